// Compiles each Jenkinsfile given as an argument to the CONVERSION phase
// (parse + AST, nothing runs) and prints, per file, one JSON line: the
// tree of method calls with closure bodies (pipeline → stages → stage …),
// every constant string, and how many GString expressions occur.
import groovy.json.JsonOutput
import org.codehaus.groovy.ast.*
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.*
import org.codehaus.groovy.control.*

class Collect extends CodeVisitorSupport {
    List strings = []
    int gstrings = 0
    void visitConstantExpression(ConstantExpression e) {
        if (e.value instanceof String) strings << e.value
        super.visitConstantExpression(e)
    }
    void visitGStringExpression(GStringExpression e) {
        gstrings++
        super.visitGStringExpression(e)
    }
}

def valueOf(Expression e) {
    if (e instanceof ConstantExpression) return e.value
    if (e instanceof VariableExpression) return [variable: e.name]
    if (e instanceof PropertyExpression) return [property: e.text]
    if (e instanceof MethodCallExpression) return callNode(e)
    if (e instanceof MapExpression) return e.mapEntryExpressions.collectEntries { [(it.keyExpression.text): valueOf(it.valueExpression)] }
    if (e instanceof ClosureExpression) return [closure: bodyOf(e.code)]
    return [expr: e.getClass().simpleName, text: e.text]
}

def callNode(MethodCallExpression m) {
    def node = [name: m.methodAsString, args: [], named: [:], body: null]
    def args = m.arguments instanceof TupleExpression ? m.arguments.expressions : [m.arguments]
    args.each { a ->
        if (a instanceof MapExpression) {
            a.mapEntryExpressions.each { node.named[it.keyExpression.text] = valueOf(it.valueExpression) }
        } else if (a instanceof ClosureExpression) {
            node.body = bodyOf(a.code)
        } else {
            node.args << valueOf(a)
        }
    }
    node
}

def bodyOf(Statement s) {
    def stmts = s instanceof BlockStatement ? s.statements : [s]
    stmts.collect { st ->
        if (!(st instanceof ExpressionStatement)) return [statement: st.getClass().simpleName]
        def e = st.expression
        if (e instanceof MethodCallExpression) return callNode(e)
        if (e instanceof BinaryExpression && e.operation.text == '=') {
            return [assign: e.leftExpression.text, value: valueOf(e.rightExpression)]
        }
        if (e instanceof VariableExpression) return [name: e.name, args: [], named: [:], body: null]
        return [expr: e.getClass().simpleName, text: e.text]
    }
}

args.each { path ->
    def result = [file: path]
    try {
        def cu = new CompilationUnit()
        cu.addSource(new File(path))
        cu.compile(Phases.CONVERSION)
        def module = cu.AST.modules[0]
        def c = new Collect()
        module.statementBlock.visit(c)
        result.strings = c.strings
        result.gstrings = c.gstrings
        result.tree = bodyOf(module.statementBlock)
        result.ok = true
    } catch (CompilationFailedException e) {
        result.ok = false
        result.error = e.message
    }
    println JsonOutput.toJson(result)
}

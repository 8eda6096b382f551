# Test-only stand-in for the Salt master's dispatch, loaded from
# `module_dirs` in place of Salt's own `saltutil` module: every function of
# Salt's saltutil is kept (its source is executed here), only `cmd` and
# `runner` change. An orchestration on a master sends `salt.function`
# states to the targeted minions (`saltutil.cmd`) and runs nested
# orchestrations as runners (`saltutil.runner`); with no master, this
# stand-in runs them on the one local minion instead, when the target
# matches its grains (Salt's own matchers decide), and returns what a
# master returns: per minion the function's return and its retcode.
# Salt's state engine (requisites, onfail, results) is untouched.
import salt.modules.saltutil as _salt_saltutil

with open(_salt_saltutil.__file__, encoding="utf-8") as _f:
    exec(compile(_f.read(), _salt_saltutil.__file__, "exec"))  # noqa: S102

_MATCHERS = {"grain": "match.grain", "compound": "match.compound", "glob": "match.glob"}


def cmd(tgt, fun, arg=(), timeout=None, tgt_type="glob", ret="", kwarg=None, ssh=False, **kwargs):
    if not __salt__[_MATCHERS[tgt_type]](tgt):  # noqa: F821
        return {}
    kwarg = dict(kwarg or {})
    me = __opts__["id"]  # noqa: F821
    if fun == "cmd.run":
        r = __salt__["cmd.run_all"](*arg, **kwarg)  # noqa: F821
        out = "\n".join(s for s in (r.get("stdout", ""), r.get("stderr", "")) if s)
        return {me: {"ret": out, "retcode": r["retcode"], "jid": "standin"}}
    r = __salt__[fun](*arg, **kwarg)  # noqa: F821
    return {me: {"ret": r, "retcode": 0, "jid": "standin"}}


def runner(name, arg=None, kwarg=None, full_return=False, saltenv="base", jid=None, **kwargs):
    # As Salt's own saltutil.runner: the calling state's saltenv wins.
    saltenv = kwargs.pop("__env__", saltenv)
    if name != "state.orchestrate":
        return {"return": {"Error": "stand-in runs state.orchestrate only"}, "success": False}
    r = __salt__["state.sls"](  # noqa: F821
        kwargs["mods"],
        saltenv=saltenv,
        pillarenv=kwargs.get("pillarenv"),
        concurrent=True,
    )
    ok = isinstance(r, dict) and all(v.get("result") is not False for v in r.values())
    return {"return": r, "success": ok, "jid": "standin"}

# err: an import that climbs out of the project (E0217); the file is never read.
import "../../../../proc/self/environ"

project "p" {}
environment "production" {}

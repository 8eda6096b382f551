# err: an import that is not a .hcl file (E0218).
import "./imports/notes.txt"

project "p" {}
environment "production" {}

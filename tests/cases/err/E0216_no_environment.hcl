# E0216: with no `environment` there is nothing to compile.
project "demo" {
  datacenters = ["dc1"]
}

# E0301: `approval` is a bool; write `true`, not 1.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {
  approval = 1
}

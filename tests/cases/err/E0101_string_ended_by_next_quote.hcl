# E0101: the second argument's closing quote is missing, so the third argument's opening quote closes it.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "nginx:1.27"
  args  = ["--listen", "0.0.0.0:8080, "--log-level", "info"]
}

# E0101: the heredoc's closing `EOT` line is missing, so the rest of the file is its text.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image   = "nginx:1.27"
  command = <<-EOT
    nginx -g 'daemon off;'
}

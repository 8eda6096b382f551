# E0312: no request can carry a newline in its User-Agent, so this rule would never match.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "bots" {
  block "scanner" {
    user_agents = ["EvilBot/1.0\nX-Forwarded-For: 127.0.0.1"]
    respond     = 403
  }
}

   # A deliberately messy spec: tests/fmt_corpus.rs snapshots its formatting.


import    "std/security"     // the stdlib middleware
import "./other.hcl"
project "messy"{
datacenters=[ "dc1" ,"dc2" , ]
    region = "global"     # trailing comment
  registry="registry.example.com"   /* block comment */



	acme_email   =   "ops@example.com"
}

variable "v" {type=string
default="1.0"}
environment "production" {   }
environment "staging"{vars={v="2.0"}}
app "web" {

   image = "${project.registry}/web:${ var.v }"   # interpolation spacing is string content
  count=2
    port "http"   {to=8080,static=8080}
  port "admin" { to = 9000 }
  env = {
      GREETING = "héllo,   wörld"      # spaces inside strings stay
    "X-Quoted-Key" : "colon entry"
  SHORT = "s",
  }
  args = [ "--a" , "--b",
           "--c" ]
  /* a block comment
       spanning lines keeps its own layout */
  secrets = {
  }
  health "http" { path = "/health" , interval = 30s ,timeout=5s }
  task "t" {
    script = <<-EOT
        #!/bin/sh
          echo "indented   heredoc bodies are verbatim"
      EOT
    raw = <<EOT
no indent ${var.v}
  EOT
    n = 1 }


}
upstream "u" { targets = [ {
      host = "a"
    }, {
host = "b" } ] }

# the end



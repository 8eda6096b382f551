# ok: interpolation of var, env and project; a heredoc with interpolation; `$${` keeps a literal `${`.
project "site" {
  datacenters = ["dc1"]
  registry    = "registry.example.com"
}

variable "version" {
  type    = string
  default = "1.4.2"
}

variable "workers" {
  type    = number
  default = 4
}

environment "staging" {
  vars        = { workers = 2 }
  region      = "staging"  # its own Nomad region: the jobs of the two environments must not clash (E0409)
  host_suffix = "-staging" # and its own host names, for any route it gains
}

environment "production" {}

app "web" {
  image = "${project.registry}/web:${var.version}"
  args  = ["--workers=${var.workers}", "--env=${env.name}"]
  env = {
    APP_ENV       = env.name
    SERVICE_LABEL = "web-${env.name}"
    # A shell template: `$${HOME}` is passed through as `${HOME}` for the container's shell.
    START_SCRIPT  = "cd $${HOME} && exec ./web"
    CONFIG = <<-EOT
      [server]
      environment = "${env.name}"
      workers     = ${var.workers}
      registry    = "${project.registry}"
      # left for the template engine in the container:
      greeting    = "$${USER}"
    EOT
    BANNER = <<EOT
Running web ${var.version}
EOT
  }

  port "http" { to = 8080 }
  health "http" { path = "/health" }
}

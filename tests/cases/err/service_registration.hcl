# --- E0341_canary_tag
# Error: E0341 7:20
# E0341: Caddy dials canary.<svc> by eosc's tag; a user's tag of that name would take its traffic.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  tags  = ["edge", "canary"]
  health "tcp" {}
}

# --- E0341_consul_meta_prefix
# Error: E0341 7:13
# E0341: Consul reserves meta keys starting consul-.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  meta  = { consul-version = "1" }
  health "tcp" {}
}

# --- E0341_meta_value_too_long
# Error: E0341 7:21
# E0341: Consul takes meta values of at most 512 bytes.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  meta  = { notes = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }
  health "tcp" {}
}

# --- E0312_tag_not_a_dns_label
# Error: E0312 7:12
# E0312: a tag is looked up as <tag>.<service>.service.consul, so it is a DNS label.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  tags  = ["traefik.enable=true"]
  health "tcp" {}
}

# --- E0312_check_header_not_a_block_key
# Error: E0312 9:16
# E0312: Nomad's header block cannot hold the name X.Trace.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "http" {
    path   = "/"
    header = { "X.Trace" = "1" }
  }
}

# --- W0508_method_on_tcp_check
# Warning: W0508 8:5
# W0508: a tcp check sends no request, so its method means nothing.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {
    method = "POST"
  }
}

# --- E0303_check_restart_limit_out_of_range
# Error: E0303 8:29
# E0303: limit is 0..=100.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {
    check_restart { limit = -1 }
  }
}

# --- W0508_tls_skip_verify_over_http
# Warning: W0508 9:5
# W0508: Consul dials http://, so there is no certificate to skip.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "http" {
    path            = "/"
    tls_skip_verify = true
  }
}

# --- W0508_protocol_on_tcp_check
# Warning: W0508 8:5
# W0508: a tcp check has no URL scheme.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {
    protocol = "https"
  }
}

# --- E0306_check_protocol_grpc
# Error: E0306 9:16
# E0306: a Consul http check's scheme is http or https; grpc is a check type eosc does not have.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "http" {
    path     = "/"
    protocol = "grpc"
  }
}

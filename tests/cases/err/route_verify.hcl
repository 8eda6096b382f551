# --- E0312_verify_path_not_a_path
# Error: E0312 10:19
# Warning: W0503 7:7
# E0312: a verify path is an absolute URL path.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "site" { targets = ["10.0.0.5:8080"] }
route "www.example.com" {
  to  = upstream.site
  dns = "external"
  verify { path = "health" }
}

# --- E0312_verify_header_name
# Error: E0312 11:17
# Warning: W0503 7:7
# E0312: a header to expect is named by an HTTP token.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "site" { targets = ["10.0.0.5:8080"] }
route "www.example.com" {
  to  = upstream.site
  dns = "external"
  verify {
    headers = { "Content Type" = "text/html" }
  }
}

# --- E0303_verify_status_out_of_range
# Error: E0303 10:21
# Warning: W0503 7:7
# E0303: an HTTP status is 100 to 599.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "site" { targets = ["10.0.0.5:8080"] }
route "www.example.com" {
  to  = upstream.site
  dns = "external"
  verify { status = 999 }
}

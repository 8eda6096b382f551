# --- E0303_caa_unknown_tag
# Error: E0303 7:38
# E0303: a misspelt CAA tag restricts nothing (RFC 8659).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "@" { type = "CAA", value = "0 issuer \"letsencrypt.org\"" }
}

# --- E0303_a_unspecified_address
# Error: E0303 7:38
# E0303: 0.0.0.0 reaches no host.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "www" { type = "A", value = "0.0.0.0" }
}

# --- E0303_cname_to_itself
# Error: E0303 7:10
# E0303: a CNAME to its own name loops.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "www" { type = "CNAME", value = "www.example.com." }
}

# --- E0303_mx_target_is_cname
# Error: E0303 8:10
# E0303: an MX target must not be an alias (RFC 2181 10.3).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "mail" { type = "CNAME", value = "example.com." }
  record "@" { type = "MX", value = "10 mail.example.com." }
}

# --- E0313_srv_without_service_labels
# Error: E0313 7:10
# E0313: clients query _service._proto names (RFC 2782).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "turn" { type = "SRV", value = "10 5 3478 turn.example.com." }
}

# --- E0303_mx_target_ip
# Error: E0303 7:37
# E0303: an MX target is a host name (RFC 5321), never an IP address.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "@" { type = "MX", value = "10 192.0.2.25" }
}

# --- E0313_record_name_repeats_zone
# Error: E0313 7:10
# E0313: a record name repeating its zone becomes hera.example.com.example.com.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "hera.example.com" { type = "CNAME", value = "example.com." }
}

# --- E0313_record_name_absolute
# Error: E0313 7:10
# E0313: record names are relative to their zone block.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
dns "example.com" {
  record "hera.example.com." { type = "CNAME", value = "example.com." }
}

# --- E0303_server_type_upper_case
# Error: E0303 7:14
# E0303: server types are lower case in the Hetzner API.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "CX22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

# --- E0303_server_type_aws
# Error: E0303 7:14
# E0303: an AWS instance type is not a Hetzner server type.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "t3.medium"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

# --- E0303_server_type_retired
# Error: E0303 7:14
# E0303: the first CX generation (cx11..cx51) is retired.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx21"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

# --- E0306_location_without_number
# Error: E0306 8:14
# E0306: Hetzner locations carry their number (fsn1).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "fsn"
  image    = "ubuntu-24.04"
}

# --- E0306_location_network_zone
# Error: E0306 8:14
# E0306: eu-central is a network zone, not a location.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "eu-central"
  image    = "ubuntu-24.04"
}

# --- E0306_location_aws_region
# Error: E0306 8:14
# E0306: an AWS region is not a Hetzner location.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "eu-central-1"
  image    = "ubuntu-24.04"
}

# --- E0303_cx_line_in_ashburn
# Error: E0303 7:14
# E0303: the cx line is offered in EU locations only.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "ash"
  image    = "ubuntu-24.04"
}

# --- E0303_server_image_docker_reference
# Error: E0303 9:14
# E0303: a Docker reference is not a server image.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu:22.04"
}

# --- E0303_server_image_retired
# Error: E0303 9:14
# E0303: ubuntu-18.04 is no longer offered.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-18.04"
}

# --- E0303_server_label_value_with_space
# Error: E0303 10:23
# E0303: a Hetzner label value cannot hold a space.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  labels   = { tier = "web tier" }
}

# --- E0317_server_name_with_underscore
# Error: E0317 6:8
# E0317: servers are named <name>-<n>, which must be a host name.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "edge_nodes" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

# --- E0202_multiregion_block
# Error: E0202 5:3
# Warning: W0504 4:1
# E0202: Nomad's multiregion is Enterprise only; an environment per region instead.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  multiregion {}
  image = "nginx:1.27.3"
}

# --- E0202_artifact_in_task
# Error: E0202 7:5
# Warning: W0504 4:1
# E0202: a task fetching files at run time runs what no review saw.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  task "main" {
    image = "nginx:1.27.3"
    artifact { source = "https://example.com/x.tgz" }
  }
}

# --- E0202_artifact_in_single_task_app
# Error: E0202 6:3
# Warning: W0504 4:1
# E0202: an app without tasks is its own task; the task's rows apply.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image    = "nginx:1.27.3"
  artifact { source = "https://example.com/x.tgz" }
}

# --- E0202_scaling_as_attribute
# Error: E0202 6:3
# Warning: W0504 4:1
# E0202: written as an attribute it is the same decision.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image   = "nginx:1.27.3"
  scaling = { max = 3 }
}

# --- E0202_connect_sidecar
# Error: E0202 6:3
# E0202: the seed's Connect sidecar (000:720); the edge dials Consul DNS, not the mesh.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  connect { sidecar_service {} }
  port "http" { to = 80 }
  health "http" {}
}

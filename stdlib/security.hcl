# std/security: the blocking rules of the user's `(security)` Caddy snippet,
# written as they were meant. Each `block` refuses a request when ANY of its
# conditions matches (the snippet's named matchers AND-ed their header
# lines, so `@blocked` only fired when all three Cloudflare headers were
# present; and its path regexp could never see `?rest_route=`, which is a
# query, so that condition is a `query` rule here).

middleware "security" {
  block "cloudflare_workers" {
    headers = ["Cf-Worker", "Cf-Connecting-Ip", "Cf-Ray"]
    respond = 404
  }

  block "scanners" {
    paths = [
      "/wp-admin/*", "/wp-login.php", "/wordpress/*", "/.git/*", "/.env", "/phpmyadmin/*",
      "/config.json", "/.DS_Store", "/info.php", "/phpinfo.php", "/test.php",
      "/telescope/*", "/horizon/*", "/pulse/*",
      "/.well-known/security.txt", "/.svn/*", "/.hg/*",
      "/backup/*", "/old/*", "/temp/*", "/tmp/*", "/sql/*",
      "/admin/*", "/manager/*", "/shell.php",
    ]
    path_regexp = "(/(vendor|node_modules|bower_components)/|\\.(sql|bak|backup|log|old|orig|original|save|swp|tmp)$)"
    query       = ["rest_route"]
    respond     = 404
  }

  # nginx's 444 ("close without a response") is Caddy's `abort`.
  block "suspicious_agents" {
    user_agent_regexp = "(?i)(bot|crawler|spider|scraper|scan|exploit|nikto|sqlmap|havij|acunetix)"
    user_agents       = ["Go-http-client/1.1"]
    abort             = true
  }
}

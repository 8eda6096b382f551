# rendered by consul-template
upstream db {
{{ range service "db" }}  server {{ .Address }}:{{ .Port }};
{{ end }}}
password_file = /secrets/db
{{ with secret "secret/tpl/db" }}pw = {{ .Data.data.password }}{{ end }}

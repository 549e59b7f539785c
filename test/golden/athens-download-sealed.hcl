downloadURL = ""
mode        = "none"

download "github.com/acme/*" {
  mode = "sync"
}

download "golang.org/x/*" {
  mode = "none"
}

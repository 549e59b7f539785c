// hello is the example service slipway releases: it prints its version, or serves it over HTTP.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/google/uuid"
)

// Set at link time by the release build (-X main.version=… -X main.commit=…).
var (
	version = "dev"
	commit  = "none"
)

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	listen := flag.String("listen", "", "serve the version over HTTP on this address, e.g. 127.0.0.1:8080")
	flag.Parse()

	if *showVersion {
		fmt.Println(version)
		return
	}
	if *listen == "" {
		fmt.Printf("hello %s (commit %s)\n", version, commit)
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", uuid.NewString())
		fmt.Fprintf(w, "hello %s\n", version)
	})
	log.Printf("hello %s listening on %s", version, *listen)
	if err := http.ListenAndServe(*listen, nil); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// Command go-web is the sample Go web application ingot's tests package:
// it answers GET / on $PORT (default 8080) with a fixed body.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

// body is what GET / answers; tests change it to prove a rebuild changes
// only the application layer.
const body = "hello from go-web\n"

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, body)
	})
	log.Printf("listening on :%s as uid %d", port, os.Getuid())
	log.Fatal(http.ListenAndServe(":"+port, nil))
}

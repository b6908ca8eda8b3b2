// Command hello is a fixture: a Go program with vendored module
// dependencies, one of them replaced, for the SBOM scanner's tests.
package main

import (
	"fmt"

	"example.com/greet"
	"example.com/old"
)

func main() { fmt.Println(greet.Hello(), old.Name) }

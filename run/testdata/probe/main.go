// Command probe reports what a container process sees, for the run tests:
// with no arguments it prints a JSON report; "exit N" exits with N; "exists
// PATH..." reports which paths exist; "sleep" blocks forever.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

type report struct {
	UID, GID int
	Groups   []int
	Cwd      string
	Env      []string
	Args     []string
	Hostname string
	Ifaces   []string
	Exists   map[string]bool `json:",omitempty"`
}

func main() {
	args := os.Args[1:]
	for len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) >= 2 && args[0] == "exit" {
		n, _ := strconv.Atoi(args[1])
		fmt.Println("exiting with", n)
		os.Exit(n)
	}
	if len(args) >= 1 && args[0] == "sleep" {
		fmt.Println("sleeping")
		for {
			time.Sleep(time.Hour)
		}
	}
	r := report{UID: os.Getuid(), GID: os.Getgid(), Env: os.Environ(), Args: os.Args}
	r.Groups, _ = os.Getgroups()
	r.Cwd, _ = os.Getwd()
	r.Hostname, _ = os.Hostname()
	ifs, _ := net.Interfaces()
	for _, i := range ifs {
		r.Ifaces = append(r.Ifaces, i.Name)
	}
	if len(args) >= 1 && args[0] == "exists" {
		r.Exists = map[string]bool{}
		for _, p := range args[1:] {
			_, err := os.Lstat(p)
			r.Exists[p] = err == nil
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		os.Exit(100)
	}
}

package spec_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/build/spec"
)

func ExampleParse() {
	s, err := spec.Parse([]byte(`
name: registry.example.com/golden/base
owner: {team: platform, contact: platform@example.com}
layers:
  - name: os
    packages: [base-files, libc6]
  - name: tls
    owner: {team: security, contact: "#security"}
    packages: [ca-certificates, libssl3]
`), "ingot.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range s.Layers {
		fmt.Println(l.Name, l.Owner, l.Packages)
	}
	fmt.Println(s.Architectures, s.RunAsUser())
	// Output:
	// os platform <platform@example.com> [base-files libc6]
	// tls security <#security> [ca-certificates libssl3]
	// [amd64 arm64] 65532:65532
}

func ExampleParse_errors() {
	_, err := spec.Parse([]byte(`name: registry.example.com/golden/base:latest
owner: {team: platform}
layers:
  - name: os
    packages: [base-files]
  - name: runtime
    owner: {contact: "#runtime"}
    packages: [python3]
`), "ingot.yaml")
	fmt.Println(err)
	// Output:
	// ingot.yaml:1:7: name must not have a tag ("registry.example.com/golden/base:latest"): name the repository only; tags are given at build or push time
	// ingot.yaml:2:8: owner.contact is required: how to reach the team that owns this image (e-mail, chat channel or pager)
	// ingot.yaml:7:12: layers[1].owner.team is required: who is woken up when this layer is vulnerable
}

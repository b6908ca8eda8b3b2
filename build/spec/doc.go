// Package spec reads, defaults and validates ingot.yaml, the declarative
// description of a golden image: its name and owner, the Debian source, the
// packages split into owned layers, accounts, files and runtime config. A
// spec with an app section describes an application image instead: the
// source directory, the golden base and the kind of application (see App);
// its packages, layers and accounts come from the base.
//
// A Spec is a plain struct; Parse and Load fill it from YAML and report
// every problem at once, each with the file, line and column it comes from
// (`ingot.yaml:12:5: layers[1].owner.team is required: ...`).
//
// The YAML is decoded by a small reflective walker over yaml.v3's node tree
// rather than by yaml.Node.Decode, because the walker knows the field path of
// every value: it reports unknown fields, wrong types and duplicate keys with
// their path and position, and remembers positions for Validate.
//
// It is not for resolving packages (see debian/resolve), nor for building
// (see build and build/app): it only says what is wanted.
package spec

package main

import (
	"github.com/spf13/cobra"
)

// commands holds the constructors of every subcommand. Each command's file
// registers itself from an init function, so adding one touches one file.
var commands []func() *cobra.Command

func register(newCmd func() *cobra.Command) { commands = append(commands, newCmd) }

// newRoot returns the ingot command tree.
func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "ingot",
		Short: "Build, know, assay and patch golden container images",
		Long: `ingot builds secure container images from real Debian packages and from
application source (no Dockerfiles), records what is in each image and who owns
each layer, and patches fleets by rebasing onto fixed bases.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	addGlobalFlags(root)
	for _, c := range commands {
		root.AddCommand(c())
	}
	return root
}

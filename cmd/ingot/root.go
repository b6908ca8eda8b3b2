package main

import (
	"github.com/spf13/cobra"
)

// newRoot returns the ingot command tree. Each subcommand lives in its own file
// and is added here.
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
	root.AddCommand(
		newVersionCmd(),
	)
	return root
}

package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/internal/version"
)

func init() { register(newVersionCmd) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the ingot version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := struct {
				Version string `json:"version"`
				Go      string `json:"go"`
				OS      string `json:"os"`
				Arch    string `json:"arch"`
			}{version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH}
			return printOut(cmd, info, func() string {
				return fmt.Sprintf("ingot %s (%s %s/%s)\n", info.Version, info.Go, info.OS, info.Arch)
			})
		},
	}
}

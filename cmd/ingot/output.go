package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Global flags shared by every command.
var (
	flagOutput    string
	flagLogFormat string
	flagVerbose   bool
)

func addGlobalFlags(root *cobra.Command) {
	root.PersistentFlags().StringVarP(&flagOutput, "output", "o", "text", `output format for data: "text" or "json"`)
	root.PersistentFlags().StringVar(&flagLogFormat, "log-format", "text", `log format on stderr: "text" or "json"`)
	root.PersistentFlags().BoolVarP(&flagVerbose, "verbose", "v", false, "log debug details")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		switch flagOutput {
		case "text", "json":
		default:
			return fmt.Errorf("unknown --output %q: use \"text\" or \"json\"", flagOutput)
		}
		switch flagLogFormat {
		case "text", "json":
		default:
			return fmt.Errorf("unknown --log-format %q: use \"text\" or \"json\"", flagLogFormat)
		}
		return nil
	}
}

// printOut writes v as indented JSON with -o json, otherwise the text that text() returns.
func printOut(cmd *cobra.Command, v any, text func() string) error {
	w := cmd.OutOrStdout()
	if flagOutput == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := io.WriteString(w, text())
	return err
}

// logger returns the logger commands hand to the libraries.
func logger(cmd *cobra.Command) *slog.Logger {
	level := slog.LevelInfo
	if flagVerbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if flagLogFormat == "json" {
		return slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), opts))
	}
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), opts))
}

// isTerminal reports whether stderr is a terminal (progress bars only go there).
func isTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

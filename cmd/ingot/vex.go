package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/vex"
)

func init() { register(newVEXCmd) }

const vexDBHelp = "the VEX decision store, a SQLite file (default $INGOT_VEX_DB, else vex.db in $INGOT_DATA_DIR or ~/.local/share/ingot)"

func newVEXCmd() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "vex",
		Short: "Record decisions about vulnerabilities (VEX) and exchange them as OpenVEX",
		Long: `A VEX decision says what an engineer concluded about a vulnerability in a
scope: one image, a repository, a package (purl), or a package in one image or
repository. "ingot scan" and "ingot assay" apply them: a finding covered by a
not_affected or fixed decision is reported as suppressed, with who decided,
when and why. When several decisions cover a finding the most specific wins
(purl in an image > image > purl in a repository > repository > purl), then
the latest.

Decisions live in their own SQLite file next to the inventory (--vex-db).`,
	}
	cmd.PersistentFlags().StringVar(&dbPath, "vex-db", "", vexDBHelp)
	cmd.AddCommand(newVEXSetCmd(&dbPath), newVEXLsCmd(&dbPath), newVEXExportCmd(&dbPath), newVEXImportCmd(&dbPath))
	return cmd
}

func newVEXSetCmd(dbPath *string) *cobra.Command {
	var d vex.Decision
	var status, when string
	cmd := &cobra.Command{
		Use:   "set VULN",
		Short: "Record a decision about a vulnerability in an image, repository or package",
		Long: `Record a decision about VULN (a CVE, GHSA, GO- or DSA- identifier; aliases
match too) in a scope: --image REPOSITORY@sha256:DIGEST, --repo REPOSITORY,
--purl PURL (without a version: every version), or --purl with --image or
--repo. A later decision for the same vulnerability and scope replaces the
earlier one.

--status is not_affected, affected, fixed or under_investigation.
not_affected needs --justification (component_not_present,
vulnerable_code_not_present, vulnerable_code_not_in_execute_path,
vulnerable_code_cannot_be_controlled_by_adversary,
inline_mitigations_already_exist) or --impact (why it does not apply);
affected needs --action (what to do; --note is used when --action is not
given). --author defaults to git's user.name and user.email, else $USER;
--time to now.`,
		Example: `  ingot vex set CVE-2024-5535 --image registry.example.com/web@sha256:4f3c... \
      --status not_affected --justification vulnerable_code_not_in_execute_path \
      --note "nginx is built without NPN"
  ingot vex set CVE-2023-39325 --repo registry.example.com/api --status affected --action "update x/net (PR 42)"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d.Vuln = args[0]
			d.Status = vuln.Status(status)
			if d.Author == "" {
				d.Author = defaultAuthor()
			}
			d.Timestamp = time.Now().UTC().Truncate(time.Second)
			if when != "" {
				t, err := time.Parse(time.RFC3339, when)
				if err != nil {
					return fmt.Errorf("--time %q is not an RFC 3339 time (2026-11-20T10:00:00Z)", when)
				}
				d.Timestamp = t.UTC()
			}
			if d.Status == vuln.StatusAffected && d.Action == "" {
				d.Action = d.Note
			}
			if d.Image != "" && !strings.Contains(d.Image, "@sha256:") {
				return fmt.Errorf("--image %q does not name a digest: use REPOSITORY@sha256:DIGEST (as \"ingot scan\" and \"ingot inventory ls\" print it), or --repo for every image of a repository", d.Image)
			}
			if err := d.Validate(); err != nil {
				return fmt.Errorf("%w (see ingot vex set --help)", err)
			}
			s, err := vex.Open(cmd.Context(), *dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Set(cmd.Context(), d); err != nil {
				return err
			}
			return printOut(cmd, d, func() string {
				return fmt.Sprintf("recorded: %s is %s for %s (by %s)\n", d.Vuln, d.Status, d.Scope(), d.Author)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.Image, "image", "", "one image: REPOSITORY@sha256:DIGEST")
	fl.StringVar(&d.Repo, "repo", "", "every image of a repository")
	fl.StringVar(&d.PURL, "purl", "", "a package (without version: every version)")
	fl.StringVar(&status, "status", "", "not_affected, affected, fixed or under_investigation")
	fl.StringVar(&d.Justification, "justification", "", "why not_affected, in OpenVEX's terms")
	fl.StringVar(&d.Impact, "impact", "", "impact statement: why it does not apply (not_affected)")
	fl.StringVar(&d.Action, "action", "", "action statement: what to do (affected)")
	fl.StringVar(&d.Note, "note", "", "free text shown with the decision")
	fl.StringVar(&d.Author, "author", "", "who decides (default: git user.name <user.email>, else $USER)")
	fl.StringVar(&when, "time", "", "when, RFC 3339 (default: now)")
	cmd.MarkFlagRequired("status")
	return cmd
}

// defaultAuthor is git's "user.name <user.email>", else $USER.
func defaultAuthor() string {
	get := func(key string) string {
		out, err := exec.Command("git", "config", "--get", key).Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	if name := get("user.name"); name != "" {
		if email := get("user.email"); email != "" {
			return name + " <" + email + ">"
		}
		return name
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

func newVEXLsCmd(dbPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "ls",
		Short: "List the recorded decisions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := vex.Open(cmd.Context(), *dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			ds, err := s.List(cmd.Context())
			if err != nil {
				return err
			}
			if ds == nil {
				ds = []vex.Decision{}
			}
			return printOut(cmd, ds, func() string {
				var b bytes.Buffer
				tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "VULNERABILITY\tSTATUS\tSCOPE\tWHY\tAUTHOR\tDATE")
				for _, d := range ds {
					why := strings.TrimSpace(d.Justification + " " + d.Impact + " " + d.Action + " " + d.Note)
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Vuln, d.Status, d.Scope(), why, d.Author, d.Timestamp.Format("2006-01-02"))
				}
				tw.Flush()
				return b.String()
			})
		},
	}
}

func newVEXExportCmd(dbPath *string) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every decision as one OpenVEX 0.2 document",
		Long: `Write the recorded decisions as an OpenVEX 0.2 JSON document, one statement
per decision. Images and repositories are pkg:oci purls (the package, if any,
is a subcomponent). The output is deterministic: its @id is a hash of its
content and its timestamp the latest decision's, so exporting the same
decisions gives the same bytes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := vex.Open(cmd.Context(), *dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			ds, err := s.List(cmd.Context())
			if err != nil {
				return err
			}
			b, err := vex.Export(ds)
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(b)
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return fmt.Errorf("writing the OpenVEX document: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write to FILE instead of standard output")
	return cmd
}

func newVEXImportCmd(dbPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Record the decisions of an OpenVEX 0.2 document",
		Long: `Read an OpenVEX 0.2 document and record each statement's decision for each of
its products (and subcomponents), replacing earlier decisions for the same
vulnerability and scope. The document is checked first: its @context, @id,
author and timestamp, and each statement's vulnerability, products (purls),
status and the rules that go with it (not_affected needs a justification or
an impact statement, affected an action statement). Nothing is recorded if
any statement is invalid.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("opening the OpenVEX document: %w", err)
			}
			defer f.Close()
			ds, err := vex.Read(f)
			if err != nil {
				return fmt.Errorf("reading %s: %w", args[0], err)
			}
			s, err := vex.Open(cmd.Context(), *dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Set(cmd.Context(), ds...); err != nil {
				return err
			}
			res := struct {
				File      string `json:"file"`
				Decisions int    `json:"decisions"`
			}{args[0], len(ds)}
			return printOut(cmd, res, func() string { return fmt.Sprintf("recorded %d decisions from %s\n", len(ds), args[0]) })
		},
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/sciorex/sciorex-secrets/session"
)

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("export")
	out := fs.String("out", "", "the backup file to write")
	passStdin := fs.Bool("passphrase-stdin", false, "read the backup passphrase from stdin instead of a dialog")
	var r session.ExportRequest
	fs.BoolVar(&r.IncludeAudit, "include-audit", false, "include the audit trail")
	fs.BoolVar(&r.Force, "force", false, "replace FILE if it exists")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *out == "" {
		return usagef("export needs --out FILE and no other argument")
	}
	path, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	r.Path = path
	params := map[string]any{"path": r.Path, "include_audit": r.IncludeAudit, "force": r.Force}
	if *passStdin {
		pass, err := readSecretLine(env.Stdin, "backup passphrase")
		if err != nil {
			return err
		}
		params["passphrase"] = string(pass)
		clear(pass)
	}
	var res session.ExportResult
	if err := call(ctx, "", "sciorex/export", params, &res); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "exported %d secrets and %d collections", res.Secrets, res.Collections)
	if r.IncludeAudit {
		fmt.Fprintf(env.Stdout, " with %d audit files", res.AuditFiles)
	}
	fmt.Fprintf(env.Stdout, " to %s\nkeep the passphrase: without it the backup cannot be read\n", res.Path)
	return nil
}

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("import")
	var r session.ImportRequest
	passStdin := fs.Bool("passphrase-stdin", false, "read the backup passphrase from stdin instead of a dialog")
	fs.StringVar(&r.OnConflict, "on-conflict", "skip", "when a secret exists: skip, overwrite or rename")
	fs.BoolVar(&r.DryRun, "dry-run", false, "show what would be added, skipped, overwritten or renamed; change nothing")
	fs.StringVar(&r.From, "from", "export", "the kind of FILE: export (a backup) or dotenv (a .env file)")
	fs.StringVar(&r.Collection, "collection", "", "dotenv: the collection to put the secrets in")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import needs exactly one FILE")
	}
	switch r.From {
	case "export", "dotenv":
	default:
		return usagef("--from must be export or dotenv")
	}
	if r.Collection != "" && r.From != "dotenv" {
		return usagef("--collection is for --from dotenv (a backup keeps its collections)")
	}
	if r.Path, err = filepath.Abs(pos[0]); err != nil {
		return err
	}
	params := map[string]any{"path": r.Path, "from": r.From, "collection": r.Collection, "on_conflict": r.OnConflict, "dry_run": r.DryRun}
	if *passStdin {
		if r.From == "dotenv" {
			return usagef("--passphrase-stdin is for backups, not .env files")
		}
		pass, err := readSecretLine(env.Stdin, "backup passphrase")
		if err != nil {
			return err
		}
		params["passphrase"] = string(pass)
		clear(pass)
	}
	var res session.ImportResult
	if err := call(ctx, "", "sciorex/import", params, &res); err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(env.Stderr, "sciorex-secrets: warning: line %d of %s not imported: %s\n", p.Line, filepath.Base(r.Path), p.Reason)
	}
	if *asJSON {
		return writeJSON(env, res)
	}
	return printImport(env.Stdout, res)
}

// printImport shows an import report as a table and a summary line.
func printImport(w io.Writer, res session.ImportResult) error {
	if len(res.Items) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ACTION\tNAME\tSCOPE\tNOTE")
		for _, it := range res.Items {
			note := it.Reason
			if it.NewName != "" {
				note = "as " + it.NewName + " (" + it.Reason + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", actionWord(it.Action, res.DryRun), it.Name, it.Scope, note)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if res.DryRun {
		fmt.Fprintf(w, "dry run, nothing changed: %d to add, %d to overwrite, %d to rename, %d to skip",
			res.Count("added"), res.Count("overwritten"), res.Count("renamed"), res.Count("skipped"))
	} else {
		fmt.Fprintf(w, "imported: %d added, %d overwritten, %d renamed, %d skipped",
			res.Count("added"), res.Count("overwritten"), res.Count("renamed"), res.Count("skipped"))
	}
	if n := len(res.CollectionsAdded); n > 0 {
		fmt.Fprintf(w, "; new collections: %d", n)
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(w, "; lines not read: %d", len(res.Problems))
	}
	fmt.Fprintln(w)
	if res.AuditDir != "" {
		fmt.Fprintf(w, "the backup's audit trail was kept in %s\n", res.AuditDir)
	}
	return nil
}

func actionWord(a session.ImportAction, dry bool) string {
	if !dry {
		return string(a)
	}
	switch a {
	case "added":
		return "add"
	case "overwritten":
		return "overwrite"
	case "renamed":
		return "rename"
	}
	return "skip"
}

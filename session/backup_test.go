package session

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciorex/sciorex-secrets/vault"
)

func (f *fixture) cli() *Session {
	s := f.agent.NewSession(Identity{Claimed: "cli"}, SessionOptions{CLI: true})
	f.t.Cleanup(s.Close)
	return s
}

func TestExportImportThroughSessions(t *testing.T) {
	ctx := context.Background()
	src := newFixture(t, map[string]string{"ALPHA": "alpha-value-1", "BETA": "beta-value-2"}, Config{})
	src.ui.set(allow)
	path := filepath.Join(t.TempDir(), "backup.sxb")

	if _, err := src.session("claude").Export(ctx, ExportRequest{Path: path}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("MCP session export: %v, want ErrInvalid", err)
	}
	if _, err := src.cli().Export(ctx, ExportRequest{Path: "relative.sxb"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("relative path: %v", err)
	}
	if _, err := src.cli().Export(ctx, ExportRequest{Path: src.log.Path(), Force: true}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("export over the audit file: %v", err)
	}
	src.ui.set(deny)
	if _, err := src.cli().Export(ctx, ExportRequest{Path: path}); !errors.Is(err, ErrDenied) {
		t.Fatalf("denied export: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a denied export wrote the file")
	}
	src.ui.set(allow)
	res, err := src.cli().Export(ctx, ExportRequest{Path: path, IncludeAudit: true}) // passphrase from the dialog
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if res.Secrets != 2 || res.AuditFiles != 1 {
		t.Errorf("result %+v", res)
	}
	if _, err := src.cli().Export(ctx, ExportRequest{Path: path, Passphrase: []byte("x")}); !errors.Is(err, ErrExists) {
		t.Errorf("second export without force: %v", err)
	}
	if ev := src.events(); !contains(ev, "export") {
		t.Errorf("no export event: %v", ev)
	}

	dst := newFixture(t, map[string]string{"ALPHA": "other"}, Config{})
	dst.ui.set(allow)
	if _, err := dst.cli().Import(ctx, ImportRequest{Path: path, Passphrase: []byte("wrong")}); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	asked := len(dst.ui.requests())
	dry, err := dst.cli().Import(ctx, ImportRequest{Path: path, OnConflict: "rename", DryRun: true})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if len(dst.ui.requests()) != asked {
		t.Error("a dry run asked for approval")
	}
	if !dry.DryRun || dry.Count(vault.ImportRenamed) != 1 || dry.Count(vault.ImportAdded) != 1 {
		t.Errorf("dry run %+v", dry.ImportReport)
	}
	if dst.vault.Len() != 1 {
		t.Fatal("the dry run changed the vault")
	}
	got, err := dst.cli().Import(ctx, ImportRequest{Path: path, OnConflict: "rename"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	reqs := dst.ui.requests()
	if last := reqs[len(reqs)-1]; last.Kind != KindImport || !strings.Contains(last.Detail, "1 new, 1 renamed") {
		t.Errorf("dialog %+v", last)
	}
	if got.AuditDir == "" {
		t.Error("the backup's audit files were not kept")
	} else if b, err := os.ReadFile(filepath.Join(got.AuditDir, "audit.jsonl")); err != nil || len(b) == 0 {
		t.Errorf("kept audit file: %v", err)
	}
	for name, want := range map[string]string{"ALPHA": "other", "ALPHA_2": "alpha-value-1", "BETA": "beta-value-2"} {
		sec, err := dst.vault.Resolve(name, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		val, _ := dst.vault.Reveal(sec.ID)
		if string(val.Bytes()) != want {
			t.Errorf("%s has the wrong value", name)
		}
		val.Wipe()
	}
	if ev := dst.events(); !contains(ev, "import") {
		t.Errorf("no import event: %v", ev)
	}
	for _, text := range []string{src.auditText(), dst.auditText()} {
		if strings.Contains(text, "alpha-value") || strings.Contains(text, "beta-value") {
			t.Error("a value reached the audit trail")
		}
	}
}

func TestImportDotenvThroughSession(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil, Config{})
	f.ui.set(allow)
	path := filepath.Join(t.TempDir(), "app.env")
	os.WriteFile(path, []byte("export TOKEN=\"tok-CANARY-1\"\nEMPTY=\nbad line CANARY\nDB_URL='postgres://x'\n"), 0o600)
	res, err := f.cli().Import(ctx, ImportRequest{Path: path, From: "auto", Collection: "App"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(vault.ImportAdded) != 2 || len(res.Problems) != 2 || res.Problems[0].Line != 2 || res.Problems[1].Line != 3 {
		t.Errorf("result %+v", res)
	}
	sec, err := f.vault.Resolve("TOKEN", "")
	if err != nil || sec.Collection != "App" {
		t.Errorf("TOKEN: %+v %v", sec, err)
	}
	if strings.Contains(f.auditText(), "CANARY") {
		t.Error("a value reached the audit trail")
	}
}

func TestPutCollection(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, map[string]string{"K": "value-k"}, Config{})
	f.ui.set(allow)
	s := f.cli()
	desc := "prod keys"
	c, err := s.PutCollection(ctx, CollectionRequest{Name: "Prod", Description: &desc, Tags: []string{"b", "a"}, Access: "deny", Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if c.Description != desc || strings.Join(c.Tags, ",") != "a,b" || c.Access != "deny" {
		t.Errorf("created %+v", c)
	}
	if _, err := s.PutCollection(ctx, CollectionRequest{Name: "prod", Create: true}); !errors.Is(err, ErrExists) {
		t.Errorf("second add: %v", err)
	}
	if _, err := s.PutCollection(ctx, CollectionRequest{Name: "nope", Tags: []string{"x"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("tag a missing collection: %v", err)
	}
	if c, err = s.PutCollection(ctx, CollectionRequest{Name: "default", Access: "reveal"}); err != nil || c.Access != "reveal" {
		t.Fatalf("access change: %+v %v", c, err)
	}
	if sec, _ := f.vault.Resolve("K", ""); sec.Access != vault.AccessReveal {
		t.Errorf("the collection's secret has access %s", sec.Access)
	}
	cols, err := s.Collections(ctx)
	if err != nil || len(cols) != 2 || cols[0].Secrets != 1 {
		t.Errorf("collections %+v %v", cols, err)
	}
	if _, err := f.session("claude").Collections(ctx); !errors.Is(err, ErrInvalid) {
		t.Errorf("MCP session listing collections: %v", err)
	}
	f.ui.set(deny)
	if _, err := s.PutCollection(ctx, CollectionRequest{Name: "Denied", Create: true}); !errors.Is(err, ErrDenied) {
		t.Errorf("denied: %v", err)
	}
	ev := f.events()
	if !contains(ev, "set") || !contains(ev, "access_change") {
		t.Errorf("events %v", ev)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

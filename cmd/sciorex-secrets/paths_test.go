package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A vault named through a symbolic link resolves to the file it points
// to, with the audit trail beside that file: a second agent started on
// the link finds the first one's lock.
func TestVaultPathThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "vault.sxv")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.sxv")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	env := &Env{Getenv: func(k string) string {
		if k == "SCIOREX_CONFIG" {
			return filepath.Join(dir, "none.json")
		}
		return ""
	}}
	p := resolvePaths(env, link)
	want, _ := filepath.EvalSymlinks(real)
	if p.Vault != want || p.Audit != filepath.Join(filepath.Dir(want), "vault.audit.jsonl") {
		t.Fatalf("through a link: vault %s, audit %s; want %s and the audit beside it", p.Vault, p.Audit, want)
	}
}

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	backupPassphrase = "backup passphrase ✓"
	projectCanary    = "project-CANARY-value-77"
	dotenvCanary     = "dotenv-CANARY-value-31"
)

// TestBackupEndToEnd: export from one world, import into a fresh one, and
// the listing, collections and values are the same; wrong passphrases,
// dry runs and .env files behave; no value reaches any output.
func TestBackupEndToEnd(t *testing.T) {
	src := newWorld(t)
	src.mustCLI(testPassword+"\n", "init", "--password-stdin")
	src.startAgent()
	src.write("answer", "allow")
	src.mustCLI(canary+"\n", "set", "GITHUB_TOKEN", "--collection", "GitHub", "--tag", "ci", "--description", "tökén für CI 🚀", "--value-stdin")
	src.mustCLI(projectCanary+"\n", "set", "db.url", "--project", "/srv/app", "--access", "deny", "--value-stdin")
	src.mustCLI("", "collection", "add", "Empty ✨", "--description", "nothing yet", "--tag", "x", "--access", "reveal")
	src.mustCLI("", "collection", "describe", "GitHub", "code hosting")
	src.mustCLI("", "collection", "tag", "GitHub", "work", "vcs")
	wantList := src.mustCLI("", "list", "--json")
	wantCols := src.mustCLI("", "collection", "list", "--json")

	backup := filepath.Join(t.TempDir(), "backup.sxb")
	src.write("answer", "deny")
	if _, _, code := src.cli(backupPassphrase+"\n", "export", "--out", backup, "--passphrase-stdin"); code != exitDenied {
		t.Fatalf("denied export: exit %d", code)
	}
	if _, err := os.Stat(backup); err == nil {
		t.Fatal("a denied export wrote the file")
	}
	src.write("answer", "allow")
	out := src.mustCLI(backupPassphrase+"\n", "export", "--out", backup, "--passphrase-stdin", "--include-audit")
	if !strings.Contains(out, "exported 2 secrets") {
		t.Errorf("export said %q", out)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	if _, errOut, code := src.cli(backupPassphrase+"\n", "export", "--out", backup, "--passphrase-stdin"); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("export over a file without --force: exit %d, %s", code, errOut)
	}

	dst := newWorld(t)
	dst.mustCLI(testPassword+"\n", "init", "--password-stdin")
	dst.startAgent()
	dst.write("answer", "deny") // a dry run needs no approval
	if _, errOut, code := dst.cli("not the passphrase\n", "import", backup, "--passphrase-stdin"); code != exitWrongPassword {
		t.Fatalf("wrong passphrase: exit %d, %s", code, errOut)
	}
	damaged := filepath.Join(t.TempDir(), "damaged.sxb")
	b, _ := os.ReadFile(backup)
	b[len(b)-5] ^= 1
	os.WriteFile(damaged, b, 0o600)
	if _, errOut, code := dst.cli(backupPassphrase+"\n", "import", damaged, "--passphrase-stdin"); code != exitDamaged {
		t.Fatalf("damaged backup: exit %d, %s", code, errOut)
	}
	out = dst.mustCLI(backupPassphrase+"\n", "import", backup, "--passphrase-stdin", "--dry-run")
	t.Logf("dry run:\n%s", out)
	if !strings.Contains(out, "add") || !strings.Contains(out, "GITHUB_TOKEN") || !strings.Contains(out, "dry run") {
		t.Errorf("dry run printed:\n%s", out)
	}
	if got := dst.mustCLI("", "list", "--json"); strings.TrimSpace(got) != "[]" {
		t.Fatalf("the dry run changed the vault: %s", got)
	}
	dst.write("answer", "allow")
	dst.mustCLI(backupPassphrase+"\n", "import", backup, "--passphrase-stdin")
	// Imported secrets keep their times, last-accessed included, so the
	// listings match exactly.
	if got := dst.mustCLI("", "list", "--json"); got != wantList {
		t.Errorf("list after the round trip:\n%s\nwant\n%s", got, wantList)
	}
	if got := dst.mustCLI("", "collection", "list", "--json"); got != wantCols {
		t.Errorf("collections after the round trip:\n%s\nwant\n%s", got, wantCols)
	}
	sum := sha256.Sum256([]byte(canary))
	out = dst.mustCLI("", "run", "--secret", "GITHUB_TOKEN", "--", "sh", "-c", `echo "got $GITHUB_TOKEN"; printf %s "$GITHUB_TOKEN" | sha256sum`)
	if !strings.Contains(out, "got [masked:GITHUB_TOKEN]") || !strings.Contains(out, hex.EncodeToString(sum[:])) {
		t.Errorf("run after import:\n%s", out)
	}
	out = dst.mustCLI(backupPassphrase+"\n", "import", backup, "--passphrase-stdin", "--on-conflict", "rename")
	t.Logf("rename:\n%s", out)
	if !strings.Contains(out, "GITHUB_TOKEN_2") || !strings.Contains(out, "2 renamed") {
		t.Errorf("import with rename:\n%s", out)
	}
	out = dst.mustCLI(backupPassphrase+"\n", "import", backup, "--passphrase-stdin")
	if !strings.Contains(out, "0 added") || !strings.Contains(out, "2 skipped") {
		t.Errorf("import with skip:\n%s", out)
	}
	if entries, _ := filepath.Glob(filepath.Join(dst.dir, "data", "*.imported-*")); len(entries) == 0 {
		t.Error("the backup's audit trail was not kept")
	}

	envFile := filepath.Join(t.TempDir(), "app.env")
	os.WriteFile(envFile, []byte("# app\r\nexport API_KEY=\""+dotenvCanary+"\"\r\nbroken "+dotenvCanary+"\r\nDB_PASS='multi\r\nline'\r\n"), 0o600)
	out, errOut, code := dst.cli("", "import", "--from", "dotenv", envFile, "--collection", "myapp")
	t.Logf("dotenv:\n%s%s", out, errOut)
	if code != 0 || !strings.Contains(out, "2 added") || !strings.Contains(errOut, "line 3 of app.env not imported") {
		t.Errorf("dotenv import: exit %d\n%s\n%s", code, out, errOut)
	}
	if got := dst.mustCLI("", "list", "--collection", "myapp"); !strings.Contains(got, "API_KEY") || !strings.Contains(got, "DB_PASS") {
		t.Errorf("myapp holds:\n%s", got)
	}
	for _, w := range []*world{src, dst} {
		w.stopAgent()
		for _, value := range []string{canary, projectCanary, dotenvCanary} {
			w.assertNoCanary(value)
		}
	}
}

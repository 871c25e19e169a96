package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var testPassphrase = []byte("backup passphrase ✓")

// richVault holds every kind of metadata: collections (one empty, described
// and tagged), unicode, project scopes, access levels, last-accessed times.
func richVault(t *testing.T) (*Vault, map[string]string) {
	t.Helper()
	v := newTestVault(t)
	cols := []Collection{
		{Name: "Empty ✨", Description: "nothing here yet\nsecond line", Tags: []string{"zz", "ümlaut"}, DefaultAccess: AccessDeny},
		{Name: "GitHub", Description: "code hosting", Tags: []string{"ci"}, DefaultAccess: AccessReveal},
	}
	for _, c := range cols {
		if err := v.PutCollection(c); err != nil {
			t.Fatal(err)
		}
	}
	values := map[string]string{
		"GITHUB_TOKEN":       "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"db.url":             "postgres://ü:pässwörd@host/db?x=1&y=2",
		"multi-line":         "-----BEGIN KEY-----\nline two\r\n\x00binary\xff\n-----END KEY-----\n",
		"PROJECT_ONLY":       "project value 🔑",
		"PROJECT_ONLY@scope": "global value",
	}
	mustPut(t, v, Secret{Name: "GITHUB_TOKEN", Collection: "GitHub", Tags: []string{"ci", "gh"}, Description: "token für CI 🚀"}, values["GITHUB_TOKEN"])
	mustPut(t, v, Secret{Name: "db.url", Access: AccessDeny, Description: "tab\there"}, values["db.url"])
	mustPut(t, v, Secret{Name: "multi-line", Collection: "GitHub", Access: AccessUse}, values["multi-line"])
	p := mustPut(t, v, Secret{Name: "PROJECT_ONLY", Scope: "/home/ü/src/app"}, values["PROJECT_ONLY"])
	mustPut(t, v, Secret{Name: "PROJECT_ONLY"}, values["PROJECT_ONLY@scope"])
	if err := v.Touch(map[string]time.Time{p.ID: time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return v, values
}

func exportTo(t *testing.T, v *Vault, opts ExportOptions) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "backup.sxb")
	if err := v.Export(path, testPassphrase, opts); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return path
}

func readBackup(t *testing.T, path string) *Backup {
	t.Helper()
	b, err := ReadExport(path, testPassphrase)
	if err != nil {
		t.Fatalf("ReadExport: %v", err)
	}
	t.Cleanup(b.Wipe)
	return b
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func valuesOf(t *testing.T, v *Vault) map[string]string {
	t.Helper()
	list, err := v.List(Query{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range list {
		out[s.Name+"@"+s.Scope] = reveal(t, v, s.ID)
	}
	return out
}

func TestExportRoundTrip(t *testing.T) {
	src, _ := richVault(t)
	audit := []AuditFile{{Name: "audit.jsonl", Data: []byte("{\"seq\":1}\n")}, {Name: "audit.jsonl.1-9", Data: []byte("old\n")}}
	b := readBackup(t, exportTo(t, src, ExportOptions{Audit: audit}))

	dst := newTestVault(t)
	rep, err := dst.Import(b, ImportOptions{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if n := rep.Count(ImportAdded); n != 5 {
		t.Errorf("added %d secrets, want 5: %+v", n, rep)
	}
	wantList, _ := src.List(Query{})
	gotList, _ := dst.List(Query{})
	if a, b := jsonOf(t, wantList), jsonOf(t, gotList); a != b {
		t.Errorf("listing differs after the round trip:\nwant %s\ngot  %s", a, b)
	}
	wantCols, _ := src.Collections()
	gotCols, _ := dst.Collections()
	if a, b := jsonOf(t, wantCols), jsonOf(t, gotCols); a != b {
		t.Errorf("collections differ:\nwant %s\ngot  %s", a, b)
	}
	if a, b := jsonOf(t, valuesOf(t, src)), jsonOf(t, valuesOf(t, dst)); a != b {
		t.Errorf("values differ after the round trip")
	}
	if jsonOf(t, b.Audit) != jsonOf(t, audit) {
		t.Errorf("audit files differ: %+v", b.Audit)
	}
	// The imported vault reopens from disk with the same content.
	if a, b := jsonOf(t, valuesOf(t, dst)), jsonOf(t, valuesOf(t, reopen(t, dst))); a != b {
		t.Errorf("the imported vault does not reopen the same")
	}
}

func TestExportFileRules(t *testing.T) {
	v, _ := richVault(t)
	path := exportTo(t, v, ExportOptions{})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(path)
	if err := v.Export(path, testPassphrase, ExportOptions{}); !errors.Is(err, ErrExportExists) || !errors.Is(err, ErrExists) {
		t.Errorf("export over an existing file without force: %v, want ErrExportExists", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the existing file changed without force")
	}
	if err := v.Export(path, testPassphrase, ExportOptions{Force: true}); err != nil {
		t.Errorf("export with force: %v", err)
	}
	if after, _ := os.ReadFile(path); bytes.Equal(before, after) {
		t.Error("force did not replace the file")
	}
	vaultBytes, _ := os.ReadFile(v.Path())
	for _, own := range []string{v.Path(), v.Path() + ".lock"} {
		if err := v.Export(own, testPassphrase, ExportOptions{Force: true}); !errors.Is(err, ErrInvalidName) {
			t.Errorf("export over %s: %v, want a refusal", own, err)
		}
	}
	if after, _ := os.ReadFile(v.Path()); !bytes.Equal(vaultBytes, after) {
		t.Error("the vault file changed")
	}
	if err := v.Export(filepath.Join(t.TempDir(), "x"), nil, ExportOptions{}); !errors.Is(err, ErrEmptyPassphrase) {
		t.Errorf("empty passphrase: %v", err)
	}
	if err := v.Export(filepath.Join(t.TempDir(), "x"), testPassphrase, ExportOptions{Audit: []AuditFile{{Name: "../evil"}}}); !errors.Is(err, ErrInvalidName) {
		t.Errorf("audit file name with a slash: %v", err)
	}
	v.Lock()
	if err := v.Export(filepath.Join(t.TempDir(), "x"), testPassphrase, ExportOptions{}); !errors.Is(err, ErrLocked) {
		t.Errorf("export while locked: %v", err)
	}
}

func TestReadExportErrors(t *testing.T) {
	v, _ := richVault(t)
	good, err := os.ReadFile(exportTo(t, v, ExportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	headerEnd := bytes.Index(good, []byte("\nsum ")) + 1
	headerEnd += bytes.IndexByte(good[headerEnd:], '\n') + 1
	tests := []struct {
		name       string
		file       []byte
		passphrase []byte
		want, kind error
	}{
		{"wrong passphrase", good, []byte("nope"), ErrWrongPassphrase, ErrWrongPassword},
		{"empty passphrase", good, nil, ErrEmptyPassphrase, ErrEmptyPassword},
		{"version 2", bytes.Replace(good, []byte("export/v1"), []byte("export/v2"), 1), testPassphrase, ErrUnsupportedExport, ErrUnsupportedVersion},
		{"a vault file", []byte("sciorex-secrets/vault/v1\nid x\n"), testPassphrase, ErrNotExport, ErrNotVault},
		{"text", []byte("API_KEY=abc\n"), testPassphrase, ErrNotExport, ErrNotVault},
		{"empty", nil, testPassphrase, ErrDamagedExport, ErrDamaged},
		{"magic prefix", good[:10], testPassphrase, ErrDamagedExport, ErrDamaged},
		{"header only", good[:headerEnd], testPassphrase, ErrDamagedExport, ErrDamaged},
		{"kdf out of bounds", resumExport(t, bytes.Replace(good, []byte("kdf argon2id 1 8 1"), []byte("kdf argon2id 1 9999999 1"), 1)), testPassphrase, ErrDamagedExport, ErrDamaged},
		{"trailing byte", append(bytes.Clone(good), 0), testPassphrase, ErrDamagedExport, ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openExport(tt.file, tt.passphrase)
			if !errors.Is(err, tt.want) || !errors.Is(err, tt.kind) {
				t.Errorf("got %v, want %v (a kind of %v)", err, tt.want, tt.kind)
			}
		})
	}
}

// resumExport recomputes the header checksum after an edit, so that only the
// edited rule is tested.
func resumExport(t *testing.T, file []byte) []byte {
	t.Helper()
	i := bytes.Index(file, []byte("\nsum ")) + 1
	j := i + bytes.IndexByte(file[i:], '\n') + 1
	head := bytes.Clone(file[:i])
	sum := sha256.Sum256(head)
	head = append(head, "sum "+b64.EncodeToString(sum[:])+"\n"...)
	return append(head, file[j:]...)
}

func TestReadExportDamaged(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "A", Description: "ü"}, "value-one")
	good, err := os.ReadFile(exportTo(t, v, ExportOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	start := len(exportMagicLine) + 1 // flips in the magic line are other errors
	for i := start; i < len(good); i++ {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(good)
			bad[i] ^= bit
			if _, err := openExport(bad, testPassphrase); !errors.Is(err, ErrDamagedExport) {
				t.Fatalf("byte %d ^ %#x: %v, want damaged", i, bit, err)
			}
		}
	}
	for n := 0; n < len(good); n++ {
		if _, err := openExport(good[:n], testPassphrase); !errors.Is(err, ErrDamagedExport) {
			t.Fatalf("truncated to %d bytes: %v, want damaged", n, err)
		}
	}
}

package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Export vectors use the vault vectors' layout (see vectors_test.go); the
// password line holds the backup passphrase. Regenerate with -vault.update.
func TestExportVectors(t *testing.T) {
	dir := filepath.Join("testdata", "export")
	if *updateVectors {
		writeExportVectors(t, dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.vector"))
	if len(files) < 6 {
		t.Fatalf("only %d vectors in %s", len(files), dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			vec := parseVector(t, raw)
			b, err := openExport(vec.file, []byte(vec.password))
			if want := expectations[vec.expect]; !errors.Is(err, want) || (want == nil) != (err == nil) {
				t.Fatalf("got %v, want %s", err, vec.expect)
			}
			if err != nil {
				return
			}
			defer b.Wipe()
			got := map[string]string{}
			for _, s := range b.Secrets {
				got[s.Name] = string(s.Value.Bytes())
			}
			for _, s := range vec.secrets {
				name, value, _ := strings.Cut(s, "=")
				if got[name] != value {
					t.Errorf("secret %s = %q, want %q", name, got[name], value)
				}
			}
			// Whatever decodes re-encodes to the same plaintext.
			h, n, _ := decodeExportHeader(vec.file)
			_, key := exportKeys([]byte(vec.password), h.salt[:], h.kdf)
			plain, _ := open(key, vec.file[n:], vec.file[:n])
			if !bytes.Equal(encodeExportPlain(b), plain) {
				t.Error("the plaintext does not re-encode to the same bytes")
			}
		})
	}
}

func writeExportVectors(t *testing.T, dir string) {
	v := newTestVault(t)
	if err := v.PutCollection(Collection{Name: "Empty ✨", Description: "no secrets", Tags: []string{"x"}, DefaultAccess: AccessDeny}); err != nil {
		t.Fatal(err)
	}
	mustPut(t, v, Secret{Name: "GITHUB_TOKEN", Tags: []string{"ci"}, Description: "für CI"}, "ghp_example_value")
	mustPut(t, v, Secret{Name: "db.url", Scope: "/srv/app", Access: AccessDeny}, "postgres://u:p@h/db")
	path := filepath.Join(t.TempDir(), "b.sxb")
	audit := []AuditFile{{Name: "audit.jsonl", Data: []byte("{}\n")}}
	if err := v.Export(path, testPassphrase, ExportOptions{Audit: audit}); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	pass := string(testPassphrase)
	secrets := []string{"GITHUB_TOKEN=ghp_example_value", "db.url=postgres://u:p@h/db"}
	headerEnd := bytes.Index(good, []byte("\nsum ")) + 1
	headerEnd += bytes.IndexByte(good[headerEnd:], '\n') + 1
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 1; return b }
	vecs := map[string]vector{
		"success":          {expect: "success", password: pass, secrets: secrets, comment: "two secrets, an empty collection, one audit file; argon2id t=1 m=8 p=1", file: good},
		"wrong_passphrase": {expect: "wrong password", password: "not the passphrase", comment: "intact file, other passphrase", file: good},
		"body_flipped":     {expect: "damaged", password: pass, comment: "one bit of the ciphertext flipped", file: flip(len(good) - 20)},
		"header_flipped":   {expect: "damaged", password: pass, comment: "one bit of the salt flipped: the checksum fails", file: flip(len(exportMagicLine) + 20)},
		"truncated":        {expect: "damaged", password: pass, comment: "the body cut in half", file: good[:headerEnd+(len(good)-headerEnd)/2]},
		"header_only":      {expect: "damaged", password: pass, comment: "no body", file: good[:headerEnd]},
		"version_2":        {expect: "unsupported version", password: pass, comment: "magic line of a future version", file: bytes.Replace(good, []byte("export/v1"), []byte("export/v2"), 1)},
		"vault_file":       {expect: "not a vault", password: pass, comment: "a vault file is not a backup", file: readFile(t, v.Path())},
	}
	os.MkdirAll(dir, 0o755)
	for name, vec := range vecs {
		if err := os.WriteFile(filepath.Join(dir, name+".vector"), vec.encode(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzExportDecode: whatever the decoder is given, it returns an error or a
// backup without panicking, and a plaintext that decodes re-encodes to the
// same bytes. Files asking for a costly KDF are only parsed, not derived.
func FuzzExportDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "export", "*.vector"))
	for _, file := range files {
		raw, _ := os.ReadFile(file)
		if _, body, ok := bytes.Cut(raw, []byte("\n\n")); ok {
			f.Add(body)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if b, err := decodeExportPlain(bytes.Clone(data)); err == nil {
			if !bytes.Equal(encodeExportPlain(b), data) {
				t.Fatal("an accepted plaintext re-encodes differently")
			}
		}
		h, _, err := decodeExportHeader(data)
		if err != nil || h.kdf.MemoryKiB > 64 || h.kdf.Time > 2 {
			return
		}
		if b, err := openExport(data, testPassphrase); err == nil {
			b.Wipe()
		}
	})
}

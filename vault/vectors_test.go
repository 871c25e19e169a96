package vault

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateVectors = flag.Bool("vault.update", false, "regenerate testdata/vectors")

// A vector file is "key: value" lines, an empty line, then the vault file.
// Keys: expect (success | wrong password | damaged | unsupported version |
// not a vault), password, secret (NAME=value present after unlock), comment.
var expectations = map[string]error{
	"success":             nil,
	"wrong password":      ErrWrongPassword,
	"damaged":             ErrDamaged,
	"unsupported version": ErrUnsupportedVersion,
	"not a vault":         ErrNotVault,
}

type vector struct {
	expect, password, comment string
	secrets                   []string
	file                      []byte
}

func (vec vector) encode() []byte {
	var b bytes.Buffer
	b.WriteString("expect: " + vec.expect + "\n")
	b.WriteString("password: " + vec.password + "\n")
	for _, s := range vec.secrets {
		b.WriteString("secret: " + s + "\n")
	}
	b.WriteString("comment: " + vec.comment + "\n\n")
	b.Write(vec.file)
	return b.Bytes()
}

func parseVector(t *testing.T, b []byte) vector {
	head, file, ok := bytes.Cut(b, []byte("\n\n"))
	if !ok {
		t.Fatal("vector without an empty line")
	}
	vec := vector{file: file}
	for _, line := range strings.Split(string(head), "\n") {
		k, val, _ := strings.Cut(line, ": ")
		switch k {
		case "expect":
			vec.expect = val
		case "password":
			vec.password = val
		case "secret":
			vec.secrets = append(vec.secrets, val)
		case "comment":
			vec.comment = val
		default:
			t.Fatalf("unknown vector key %q", k)
		}
	}
	if _, ok := expectations[vec.expect]; !ok {
		t.Fatalf("unknown expect %q", vec.expect)
	}
	return vec
}

func TestVectors(t *testing.T) {
	dir := filepath.Join("testdata", "vectors")
	if *updateVectors {
		writeVectors(t, dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.vector"))
	if len(files) < 10 {
		t.Fatalf("only %d vectors in %s", len(files), dir)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			vec := parseVector(t, b)
			path := filepath.Join(t.TempDir(), "v.vault")
			if err := os.WriteFile(path, vec.file, 0o600); err != nil {
				t.Fatal(err)
			}
			err = openAndUnlock(path, vec.password)
			if want := expectations[vec.expect]; !errors.Is(err, want) || (want == nil) != (err == nil) {
				t.Fatalf("%s: got %v, want %s", vec.comment, err, vec.expect)
			}
			if err == nil {
				v, _ := Open(path)
				_ = v.Unlock([]byte(vec.password))
				for _, s := range vec.secrets {
					n, val, _ := strings.Cut(s, "=")
					sec, err := v.Resolve(n, "")
					if err != nil || reveal(t, v, sec.ID) != val {
						t.Errorf("secret %s: %v", n, err)
					}
				}
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, vec.file) {
				t.Fatal("opening the vector modified the file")
			}
		})
	}
}

func openAndUnlock(path, password string) error {
	v, err := Open(path)
	if err != nil {
		return err
	}
	return v.Unlock([]byte(password))
}

// resum recomputes the header checksum after a deliberate header edit, so a
// vector exercises the checks behind it.
func resum(file []byte) []byte {
	i := bytes.Index(file, []byte("\nsum ")) + 1
	end := i + bytes.IndexByte(file[i:], '\n') + 1
	sum := sha256.Sum256(file[:i])
	out := append(bytes.Clone(file[:i]), "sum "+b64.EncodeToString(sum[:])+"\n"...)
	return append(out, file[end:]...)
}

func replaceLine(file []byte, prefix, line string) []byte {
	i := bytes.Index(file, []byte("\n"+prefix)) + 1
	end := i + bytes.IndexByte(file[i:], '\n')
	return append(append(bytes.Clone(file[:i]), line...), file[end:]...)
}

func writeVectors(t *testing.T, dir string) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "GITHUB_TOKEN", Collection: "GitHub", Tags: []string{"ci"}}, "ghp_example")
	mustPut(t, v, Secret{Name: "GITHUB_TOKEN", Scope: "/src/app"}, "ghp_project")
	if err := v.SetAuditCheckpoint(42, strings.Repeat("c0", 32)); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(v.Path())
	pw := string(testPassword)
	hdrEnd := len(v.c.raw)
	genBumped := resum(replaceLine(good, "gen ", "gen 999"))
	keyFlipped := resum(replaceLine(good, "key ", "key "+b64.EncodeToString(bytes.Repeat([]byte{7}, wrappedKeySize))))
	bigKDF := resum(replaceLine(good, "kdf ", "kdf argon2id 1 104857600 4 AAAAAAAAAAAAAAAAAAAAAA"))
	vectors := map[string]vector{
		"success":            {"success", pw, "a valid vault", []string{"GITHUB_TOKEN=ghp_example"}, good},
		"wrong_password":     {"wrong password", "Correct horse battery staple", "intact file, wrong password", nil, good},
		"body_byte_flipped":  {"damaged", pw, "one flipped byte in the body ciphertext", nil, flip(good, hdrEnd+40)},
		"body_tag_flipped":   {"damaged", pw, "one flipped byte in the body tag", nil, flip(good, len(good)-1)},
		"truncated_half":     {"damaged", pw, "file cut to half its length", nil, good[:len(good)/2]},
		"truncated_header":   {"damaged", pw, "file cut inside the header", nil, good[:hdrEnd-10]},
		"truncated_magic":    {"damaged", pw, "file cut inside the first line", nil, good[:8]},
		"empty":              {"damaged", pw, "empty file", nil, nil},
		"header_flipped":     {"damaged", pw, "one flipped byte in the salt, checksum not updated", nil, flip(good, bytes.Index(good, []byte("kdf "))+20)},
		"header_resummed":    {"damaged", pw, "generation edited and checksum recomputed: the body AAD no longer matches", nil, genBumped},
		"wrapped_key_forged": {"damaged", pw, "wrapped key replaced, checksum recomputed: the key check passes, unwrapping fails", nil, keyFlipped},
		"kdf_out_of_bounds":  {"damaged", pw, "argon2id memory of 100 GiB: refused before any allocation", nil, bigKDF},
		"version_2":          {"unsupported version", pw, "a newer format version", nil, bytes.Replace(good, []byte("/v1\n"), []byte("/v2\n"), 1)},
		"not_a_vault":        {"not a vault", pw, "a JSON file", nil, []byte("{\"secrets\": {}}\n")},
		"other_magic":        {"not a vault", pw, "an age file", nil, []byte("age-encryption.org/v1\n-> X25519 abc\n")},
	}
	for name, vec := range journalVectors(t, pw) {
		vectors[name] = vec
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, vec := range vectors {
		if err := os.WriteFile(filepath.Join(dir, name+".vector"), vec.encode(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// journalVectors are vaults whose last writes are journal entries: intact,
// with a torn last entry (a crash while appending), with a damaged or
// moved entry.
func journalVectors(t *testing.T, pw string) map[string]vector {
	v := newTestVault(t)
	b := &Backup{}
	for i := range 20 {
		b.Secrets = append(b.Secrets, BackupSecret{Secret: Secret{Name: fmt.Sprintf("BASE_%02d", i)}, Value: NewValue([]byte(fmt.Sprintf("base-%02d", i)))})
	}
	if _, err := v.Import(b, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	mustPut(t, v, Secret{Name: "FIRST"}, "first-entry")
	mustPut(t, v, Secret{Name: "SECOND"}, "second-entry")
	if len(v.c.entries) != 2 {
		t.Fatalf("the journal vectors need 2 entries, the vault has %d", len(v.c.entries))
	}
	file, _ := os.ReadFile(v.Path())
	first := len(v.c.raw) + len(v.c.body) // offset of the first entry's frame
	second := first + frameLen(v.c.entries[0])
	swapped := append(append(bytes.Clone(file[:first]), file[second:]...), file[first:second]...)
	return map[string]vector{
		"journal": {"success", pw, "20 secrets in the body, two more appended as journal entries", []string{"BASE_07=base-07", "FIRST=first-entry", "SECOND=second-entry"}, file},
		"journal_torn_tail": {"success", pw, "the last entry cut short, as by a crash while appending: it was never acknowledged and is ignored",
			[]string{"FIRST=first-entry"}, file[:len(file)-10]},
		"journal_zero_tail": {"success", pw, "zero bytes after the last entry, as a file system may leave after a power cut",
			[]string{"SECOND=second-entry"}, append(bytes.Clone(file), make([]byte, 300)...)},
		"journal_entry_flipped": {"damaged", pw, "one flipped byte in the first of two entries", nil, flip(file, first+30)},
		"journal_reordered":     {"damaged", pw, "the two entries swapped: each is chained to the one before it", nil, swapped},
	}
}

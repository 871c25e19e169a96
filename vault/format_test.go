package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleFile returns the bytes of a small vault with a few secrets.
func sampleFile(t testing.TB) []byte {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "A", Tags: []string{"t1", "t2"}, Description: "d\nline"}, "value-a")
	mustPut(t, v, Secret{Name: "B", Scope: "/src/p", Collection: "Coll"}, "value-b")
	b, err := os.ReadFile(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestContainerRoundTrip(t *testing.T) {
	file := sampleFile(t)
	c, err := decodeContainer(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.encode(), file) || !bytes.Equal(c.hdr.encode(), c.raw) {
		t.Fatal("container does not re-encode to the same bytes")
	}
}

func TestContainerRejects(t *testing.T) {
	file := sampleFile(t)
	hdrLen := bytes.Index(file, []byte("\nsum ")) + 1
	for _, tc := range []struct {
		name string
		file []byte
		want error
	}{
		{"empty", nil, ErrDamaged},
		{"truncated magic", file[:10], ErrDamaged},
		{"not a vault", []byte("hello world\n"), ErrNotVault},
		{"json", []byte(`{"secrets":{}}`), ErrNotVault},
		{"version 2", bytes.Replace(file, []byte("/v1\n"), []byte("/v2\n"), 1), ErrUnsupportedVersion},
		{"version 10", bytes.Replace(file, []byte("/v1\n"), []byte("/v10\n"), 1), ErrUnsupportedVersion},
		{"leading zero version", bytes.Replace(file, []byte("/v1\n"), []byte("/v01\n"), 1), ErrDamaged},
		{"header cut", file[:hdrLen], ErrDamaged},
		{"body too short", file[:bytes.Index(file, []byte("\nsum "))+50+20], ErrDamaged},
		{"extra space", bytes.Replace(file, []byte("gen "), []byte("gen  "), 1), ErrDamaged},
		{"sum flipped", flip(file, hdrLen+6), ErrDamaged},
		{"id flipped", flip(file, 30), ErrDamaged},
	} {
		_, err := decodeContainer(tc.file)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func flip(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x01
	return out
}

func TestBodyRoundTrip(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "A", Tags: []string{"x"}}, "1")
	mustPut(t, v, Secret{Name: "A", Scope: "/p"}, "2")
	b := encodeBody(v.m)
	m, err := decodeBody(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encodeBody(m), b) {
		t.Fatal("body does not re-encode to the same bytes")
	}
}

// FuzzContainer: whatever decodes re-encodes to the same bytes; anything
// else is rejected with one of the documented errors, without panic. It
// needs no key and no KDF.
func FuzzContainer(f *testing.F) {
	file := sampleFile(f)
	f.Add(file)
	f.Add(file[:len(file)/2])
	f.Add([]byte(magicLine + "\n"))
	f.Add([]byte("sciorex-secrets/vault/v9\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkContainer(t, b)
		if bytes.Contains(b, []byte("\nsum ")) && bytes.Count(b[bytes.Index(b, []byte("\nsum "))+1:], []byte("\n")) > 0 {
			checkContainer(t, resum(b)) // get past the checksum to the field checks
		}
	})
}

// FuzzChange: the journal entry plaintext decoder is strict and canonical.
func FuzzChange(f *testing.F) {
	v := newJournalingVault(f)
	mustPut(f, v, Secret{Name: "A", Tags: []string{"x", "y"}, Description: "d", Collection: "C"}, "1")
	if err := v.Delete("BASE_001", ""); err != nil {
		f.Fatal(err)
	}
	if err := v.SetAuditCheckpoint(300, strings.Repeat("5a", 32)); err != nil {
		f.Fatal(err)
	}
	prev := v.c.body
	for _, e := range v.c.entries {
		pt, err := open(v.dataKey, e, entryAAD(prev))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(pt)
		prev = e
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ch, err := decodeChange(b)
		if err != nil {
			if !errors.Is(err, errBody) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		if !bytes.Equal(encodeChange(ch), b) {
			t.Fatalf("decoded change re-encodes differently")
		}
	})
}

// FuzzBody: the plaintext body decoder is strict and canonical.
func FuzzBody(f *testing.F) {
	v := newTestVault(f)
	f.Add(encodeBody(v.m))
	mustPut(f, v, Secret{Name: "A", Tags: []string{"x", "y"}, Description: "d"}, "1")
	mustPut(f, v, Secret{Name: "A", Scope: "/p", Collection: "C"}, "2")
	f.Add(encodeBody(v.m))
	if err := v.SetAuditCheckpoint(300, strings.Repeat("5a", 32)); err != nil {
		f.Fatal(err)
	}
	f.Add(encodeBody(v.m))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeBody(b)
		if err != nil {
			if !errors.Is(err, errBody) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		if !bytes.Equal(encodeBody(m), b) {
			t.Fatalf("decoded body re-encodes differently")
		}
	})
}

func checkContainer(t *testing.T, b []byte) {
	c, err := decodeContainer(b)
	if err != nil {
		if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNotVault) && !errors.Is(err, ErrUnsupportedVersion) {
			t.Fatalf("undocumented error: %v", err)
		}
		return
	}
	if c.end > len(b) || !bytes.Equal(c.encode(), b[:c.end]) {
		t.Fatalf("decoded file re-encodes differently")
	}
	if again, err := decodeContainer(b[:c.end]); err != nil || again.end != c.end || len(again.entries) != len(c.entries) {
		t.Fatalf("the whole-framed prefix does not decode the same: %v", err)
	}
}

// TestCaseB13: wrong password, a flipped byte, a cut file and a newer version
// give four distinct errors, and none of them changes the file.
func TestCaseB13(t *testing.T) {
	good := sampleFile(t)
	c, _ := decodeContainer(good)
	for _, tc := range []struct {
		name     string
		file     []byte
		password string
		want     error
		message  string
	}{
		{"wrong password", good, "wrong", ErrWrongPassword, "wrong master password"},
		{"flipped ciphertext byte", flip(good, len(c.raw)+30), string(testPassword), ErrDamaged, "damaged"},
		{"cut to half", good[:len(good)/2], string(testPassword), ErrDamaged, "damaged"},
		{"unknown version", bytes.Replace(good, []byte("/v1\n"), []byte("/v7\n"), 1), string(testPassword), ErrUnsupportedVersion, "unsupported format version"},
	} {
		path := filepath.Join(t.TempDir(), "v.vault")
		os.WriteFile(path, tc.file, 0o600)
		err := openAndUnlock(path, tc.password)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.message) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		for _, other := range []error{ErrWrongPassword, ErrDamaged, ErrUnsupportedVersion} {
			if other != tc.want && errors.Is(err, other) {
				t.Errorf("%s: error also matches %v", tc.name, other)
			}
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, tc.file) {
			t.Errorf("%s: the file changed", tc.name)
		}
	}
}

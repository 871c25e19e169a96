package vault

import (
	"bytes"
	"errors"
	"os"
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
		c, err := decodeContainer(b)
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNotVault) && !errors.Is(err, ErrUnsupportedVersion) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		if !bytes.Equal(c.encode(), b) {
			t.Fatalf("decoded file re-encodes differently")
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

package vault

import (
	"path/filepath"
	"testing"
)

// cheapKDF keeps tests fast; never use it for a real vault.
var cheapKDF = KDFParams{Time: 1, MemoryKiB: 8, Threads: 1}

var testPassword = []byte("correct horse battery staple")

func newTestVault(t testing.TB) *Vault {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault", "secrets.vault")
	v, err := Create(path, testPassword, Options{KDF: cheapKDF})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return v
}

func mustPut(t testing.TB, v *Vault, s Secret, value string) Secret {
	t.Helper()
	out, err := v.Put(s, []byte(value))
	if err != nil {
		t.Fatalf("Put(%q, %q): %v", s.Name, s.Scope, err)
	}
	return out
}

func reveal(t testing.TB, v *Vault, id string) string {
	t.Helper()
	val, err := v.Reveal(id)
	if err != nil {
		t.Fatalf("Reveal: %v", err)
	}
	defer val.Wipe()
	return string(val.Bytes())
}

func reopen(t testing.TB, v *Vault) *Vault {
	t.Helper()
	w, err := Open(v.Path())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := w.Unlock(testPassword); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	return w
}

package vault

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCaseB14Fault: a write that fails (ENOSPC, injected after half the
// bytes) leaves the old file byte-identical, no temp file, and the in-memory
// state unchanged; the next write works.
func TestCaseB14Fault(t *testing.T) {
	for _, kind := range vaultKinds {
		t.Run(kind.name, func(t *testing.T) { testB14Fault(t, kind.make(t)) })
	}
}

// vaultKinds are the two ways a write reaches the file: a small vault is
// rewritten whole, a large one appends to its journal.
var vaultKinds = []struct {
	name string
	make func(testing.TB) *Vault
}{
	{"rewrite", newTestVault},
	{"journal", newJournalingVault},
}

func testB14Fault(t *testing.T, v *Vault) {
	base := v.Len()
	mustPut(t, v, Secret{Name: "KEEP"}, "kept")
	before, _ := os.ReadFile(v.Path())
	v.hook = func(w io.Writer, data []byte) error {
		w.Write(data[:len(data)/2])
		return syscall.ENOSPC
	}
	_, err := v.Put(Secret{Name: "NEW"}, []byte("new-CANARY"))
	if !errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "CANARY") {
		t.Fatalf("Put on full disk = %v, want ENOSPC", err)
	}
	for _, op := range []func() error{
		func() error { return v.Delete("KEEP", "") },
		func() error { return v.ChangePassword(testPassword, []byte("x")) },
		func() error { return v.SetAccess("KEEP", "", AccessDeny) },
	} {
		if err := op(); !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("write on full disk = %v", err)
		}
	}
	after, _ := os.ReadFile(v.Path())
	if !bytes.Equal(before, after) {
		t.Fatal("a failed write changed the vault file")
	}
	assertNoTemps(t, v.Path())
	if v.Len() != base+1 {
		t.Fatalf("in-memory state changed: %d secrets", v.Len())
	}
	if _, err := v.Resolve("KEEP", ""); err != nil {
		t.Fatal(err)
	}
	v.hook = nil
	mustPut(t, v, Secret{Name: "NEW"}, "new")
	w := reopen(t, v)
	if w.Len() != base+2 {
		t.Fatalf("after recovery: %d secrets", w.Len())
	}
}

func assertNoTemps(t *testing.T, path string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)+"*"))
	if len(matches) != 0 {
		t.Fatalf("temp files left: %v", matches)
	}
}

// TestCaseB15Damaged: a vault damaged on disk refuses writes and is never
// replaced, neither by an unlocked agent nor after reopening.
func TestCaseB15Damaged(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "A"}, "a")
	good, _ := os.ReadFile(v.Path())
	for name, bad := range map[string][]byte{
		"flipped":   flip(good, len(good)-5),
		"truncated": good[:len(good)/2],
		"empty":     {},
	} {
		if err := os.WriteFile(v.Path(), bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Put(Secret{Name: "B"}, []byte("b")); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: Put on damaged vault = %v, want ErrDamaged", name, err)
		}
		if after, _ := os.ReadFile(v.Path()); !bytes.Equal(after, bad) {
			t.Errorf("%s: the damaged file was replaced", name)
		}
		if err := openAndUnlock(v.Path(), string(testPassword)); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: reopen = %v, want ErrDamaged", name, err)
		}
	}
	// Another vault put in its place is refused too.
	other, _ := Create(filepath.Join(t.TempDir(), "o"), testPassword, Options{KDF: cheapKDF})
	ob, _ := os.ReadFile(other.Path())
	os.WriteFile(v.Path(), ob, 0o600)
	if _, err := v.Put(Secret{Name: "B"}, []byte("b")); !errors.Is(err, ErrDamaged) {
		t.Errorf("Put over a different vault = %v, want ErrDamaged", err)
	}
}

func TestStaleTempsRemoved(t *testing.T) {
	v := newTestVault(t)
	stale := filepath.Join(filepath.Dir(v.Path()), tempPattern(v.Path())+"123")
	unrelated := filepath.Join(filepath.Dir(v.Path()), "notes.txt")
	os.WriteFile(stale, []byte("half a vault"), 0o600)
	os.WriteFile(unrelated, []byte("x"), 0o600)
	if _, err := Open(v.Path()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("stale temp file not removed at Open")
	}
	if _, err := os.Stat(unrelated); err != nil {
		t.Fatal("Open removed an unrelated file")
	}
	// While a writer holds the lock, only old temps go.
	release, _ := lockFile(writeLockPath(v.Path()), true)
	defer release()
	fresh := stale + "fresh"
	old := stale + "old"
	os.WriteFile(fresh, nil, 0o600)
	os.WriteFile(old, nil, 0o600)
	past := time.Now().Add(-2 * staleTempAge)
	os.Chtimes(old, past, past)
	if _, err := Open(v.Path()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("Open removed a temp file of an active writer")
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("Open kept an old temp file")
	}
}

func TestOwn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.vault")
	release, err := Own(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Own(path); !errors.Is(err, ErrInUse) {
		t.Fatalf("second Own = %v, want ErrInUse", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	again, err := Own(path)
	if err != nil {
		t.Fatalf("Own after release: %v", err)
	}
	again()
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrNotVault) {
		t.Errorf("directory: %v", err)
	}
}

// TestCaseB15DamagedJournal: on a vault whose last writes are journal
// entries, damage to the body or to an entry that has another after it is
// damage: writes are refused and the file is kept. Damage to the last
// entry cannot be told from a write cut short by a crash: that entry is
// ignored, and TornTail says so, so that the agent can tell the human.
func TestCaseB15DamagedJournal(t *testing.T) {
	v := newJournalingVault(t)
	mustPut(t, v, Secret{Name: "FIRST"}, "first")
	mustPut(t, v, Secret{Name: "LAST"}, "last")
	good, _ := os.ReadFile(v.Path())
	firstEntry := len(v.c.raw) + len(v.c.body) + 20
	for name, bad := range map[string][]byte{
		"body flipped":        flip(good, len(v.c.raw)+100),
		"first entry flipped": flip(good, firstEntry),
		"cut in the body":     good[:len(v.c.raw)+len(v.c.body)/2],
	} {
		if err := os.WriteFile(v.Path(), bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Put(Secret{Name: "NEW"}, []byte("new")); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: Put = %v, want ErrDamaged", name, err)
		}
		if after, _ := os.ReadFile(v.Path()); !bytes.Equal(after, bad) {
			t.Errorf("%s: the damaged file was changed", name)
		}
	}
	if err := os.WriteFile(v.Path(), flip(good, len(good)-3), 0o600); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, v)
	if _, err := w.Resolve("LAST", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the damaged last entry was applied: %v", err)
	}
	if n := w.TornTail(); n == 0 {
		t.Fatal("TornTail does not report the ignored last entry")
	}
	mustPut(t, w, Secret{Name: "AFTER"}, "after")
	if n := w.TornTail(); n != 0 {
		t.Fatalf("TornTail = %d after a write cut the tail off", n)
	}
}

package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	v := newTestVault(t)
	s := mustPut(t, v, Secret{Name: "GITHUB_TOKEN", Collection: "GitHub", Tags: []string{"ci", "ci", "b"}, Description: "token"}, "ghp_value")
	if s.Scope != Global || s.Access != AccessUse || s.Collection != "GitHub" || len(s.Tags) != 2 || s.Created.IsZero() {
		t.Fatalf("stored secret = %+v", s)
	}
	w := reopen(t, v)
	if w.ID() != v.ID() || w.Len() != 1 {
		t.Fatalf("reopened: id %s/%s len %d", w.ID(), v.ID(), w.Len())
	}
	got, err := w.Resolve("GITHUB_TOKEN", "")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != s.ID || !got.Created.Equal(s.Created) {
		t.Fatalf("resolved %+v, want %+v", got, s)
	}
	if val := reveal(t, w, got.ID); val != "ghp_value" {
		t.Fatalf("Reveal = %q", val)
	}
	mustPut(t, w, Secret{Name: "GITHUB_TOKEN", Collection: "GitHub"}, "new")
	again, _ := w.Resolve("GITHUB_TOKEN", "")
	if again.ID != s.ID || reveal(t, w, again.ID) != "new" || len(again.Tags) != 0 {
		t.Fatalf("replace changed id or kept old metadata: %+v", again)
	}
}

func TestPutDoesNotKeepValue(t *testing.T) {
	v := newTestVault(t)
	buf := []byte("sensitive-value")
	s := mustPut(t, v, Secret{Name: "K"}, string(buf))
	val, err := v.Put(s, buf)
	if err != nil {
		t.Fatal(err)
	}
	clear(buf)
	if reveal(t, v, val.ID) != "sensitive-value" {
		t.Fatal("vault kept the caller's buffer")
	}
}

func TestCreateRefusesExisting(t *testing.T) {
	v := newTestVault(t)
	before, _ := os.ReadFile(v.Path())
	if _, err := Create(v.Path(), []byte("other"), Options{KDF: cheapKDF}); !errors.Is(err, ErrExists) {
		t.Fatalf("Create over existing: %v, want ErrExists", err)
	}
	after, _ := os.ReadFile(v.Path())
	if !bytes.Equal(before, after) {
		t.Fatal("Create modified an existing vault")
	}
	if _, err := Create(filepath.Join(t.TempDir(), "x"), nil, Options{KDF: cheapKDF}); !errors.Is(err, ErrEmptyPassword) {
		t.Fatalf("empty password: %v", err)
	}
}

func TestFileModes(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "A"}, "x")
	fi, err := os.Stat(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("vault mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(filepath.Dir(v.Path()))
	if di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", di.Mode().Perm())
	}
}

func TestLockAndKeys(t *testing.T) {
	v := newTestVault(t)
	s := mustPut(t, v, Secret{Name: "A"}, "value-a")
	audit1, _ := v.DeriveKey("audit")
	other, _ := v.DeriveKey("other")
	if len(audit1) != 32 || bytes.Equal(audit1, other) {
		t.Fatal("DeriveKey: wrong size or purposes not separated")
	}
	key, err := v.SessionKey()
	if err != nil {
		t.Fatal(err)
	}
	v.Lock()
	if !v.Locked() || v.Len() != 0 {
		t.Fatal("Lock did not lock")
	}
	for name, err := range map[string]error{
		"List":       func() error { _, err := v.List(Query{}); return err }(),
		"Reveal":     func() error { _, err := v.Reveal(s.ID); return err }(),
		"Put":        func() error { _, err := v.Put(Secret{Name: "B"}, []byte("x")); return err }(),
		"SessionKey": func() error { _, err := v.SessionKey(); return err }(),
		"DeriveKey":  func() error { _, err := v.DeriveKey("audit"); return err }(),
	} {
		if !errors.Is(err, ErrLocked) {
			t.Errorf("%s when locked: %v, want ErrLocked", name, err)
		}
	}
	wrong := bytes.Clone(key)
	wrong[0] ^= 1
	if err := v.UnlockWithKey(wrong); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("UnlockWithKey(wrong) = %v", err)
	}
	if err := v.UnlockWithKey(key); err != nil {
		t.Fatal(err)
	}
	if reveal(t, v, s.ID) != "value-a" {
		t.Fatal("value lost across lock")
	}
	if err := v.ChangePassword([]byte("nope"), []byte("new")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("ChangePassword(wrong old) = %v", err)
	}
	if err := v.ChangePassword(testPassword, []byte("new password")); err != nil {
		t.Fatal(err)
	}
	w, _ := Open(v.Path())
	if err := w.Unlock(testPassword); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password after change: %v", err)
	}
	if err := w.Unlock([]byte("new password")); err != nil {
		t.Fatal(err)
	}
	audit2, _ := w.DeriveKey("audit")
	if !bytes.Equal(audit1, audit2) || reveal(t, w, s.ID) != "value-a" {
		t.Fatal("password change altered the data key")
	}
}

func TestCollections(t *testing.T) {
	v := newTestVault(t)
	if err := v.PutCollection(Collection{Name: "Prod", Description: "production", DefaultAccess: AccessDeny}); err != nil {
		t.Fatal(err)
	}
	if err := v.PutCollection(Collection{Name: "Empty"}); err != nil {
		t.Fatal(err)
	}
	a := mustPut(t, v, Secret{Name: "A", Collection: "prod"}, "1")
	b := mustPut(t, v, Secret{Name: "B", Collection: "Prod", Access: AccessReveal}, "2")
	c := mustPut(t, v, Secret{Name: "C"}, "3")
	if a.Collection != "Prod" || a.Access != AccessDeny || b.Access != AccessReveal || c.Collection != DefaultCollection || c.Access != AccessUse {
		t.Fatalf("defaults: %+v %+v %+v", a, b, c)
	}
	n, err := v.SetCollectionAccess("PROD", AccessUse)
	if err != nil || n != 2 {
		t.Fatalf("SetCollectionAccess = %d, %v; want 2", n, err)
	}
	if _, err := v.SetCollectionAccess("nope", AccessUse); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown collection: %v", err)
	}
	w := reopen(t, v)
	cols, _ := w.Collections()
	var names []string
	for _, c := range cols {
		names = append(names, c.Name+":"+string(c.DefaultAccess))
	}
	if want := "[default:use Empty:use Prod:use]"; fmtList(names) != want {
		t.Fatalf("collections %v, want %s", names, want)
	}
	d := mustPut(t, w, Secret{Name: "D", Collection: "Prod"}, "4")
	if d.Access != AccessUse {
		t.Fatalf("new secret after SetCollectionAccess: %s", d.Access)
	}
	got, _ := w.List(Query{Collection: "prod"})
	if len(got) != 3 {
		t.Fatalf("List(collection) = %d secrets", len(got))
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

func TestUpdateDeleteAccessTouch(t *testing.T) {
	v := newTestVault(t)
	s := mustPut(t, v, Secret{Name: "A", Description: "old", Tags: []string{"x"}}, "value")
	u, err := v.Update(Secret{Name: "A", Collection: "New", Description: "new"})
	if err != nil || u.Collection != "New" || u.Description != "new" || u.Tags != nil || u.Access != AccessUse {
		t.Fatalf("Update = %+v, %v", u, err)
	}
	if _, err := v.Update(Secret{Name: "missing"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update missing: %v", err)
	}
	if err := v.SetAccess("A", "", AccessReveal); err != nil {
		t.Fatal(err)
	}
	if err := v.SetAccess("A", "", "all"); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("SetAccess(bad level): %v", err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	// An id that is gone (a secret deleted after its use) is skipped; the
	// other times of the batch are written all the same.
	if err := v.Touch(map[string]time.Time{s.ID: at, "00": at, strings.Repeat("ab", idSize): at}); err != nil {
		t.Fatal(err)
	}
	if err := v.Touch(map[string]time.Time{s.ID: {}}); !errors.Is(err, ErrInvalidName) {
		t.Fatalf("Touch with a zero time: %v", err)
	}
	w := reopen(t, v)
	got, _ := w.Resolve("A", "")
	if got.Access != AccessReveal || !got.LastAccessed.Equal(at) || reveal(t, w, got.ID) != "value" {
		t.Fatalf("after reopen: %+v", got)
	}
	if err := w.Delete("A", Global); err != nil {
		t.Fatal(err)
	}
	if err := w.Delete("A", Global); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
	if _, err := w.Reveal(s.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Reveal deleted: %v", err)
	}
}

func TestValueLimit(t *testing.T) {
	v := newTestVault(t)
	big := bytes.Repeat([]byte("CANARY"), MaxValueSize/6+1)
	_, err := v.Put(Secret{Name: "BIG"}, big)
	if !errors.Is(err, ErrTooLarge) || bytes.Contains([]byte(err.Error()), []byte("CANARY")) {
		t.Fatalf("Put(too large) = %v", err)
	}
	mustPut(t, v, Secret{Name: "MAX"}, string(big[:MaxValueSize]))
}

func TestOtherProcessWritesAreSeen(t *testing.T) {
	v := newTestVault(t)
	w := reopen(t, v)
	mustPut(t, w, Secret{Name: "FROM_W"}, "w")
	if _, err := v.Resolve("FROM_W", ""); err != nil {
		t.Fatalf("v does not see w's write: %v", err)
	}
}

// A failed Unlock on an unlocked vault must not leave the model behind the
// file, or the next write would drop another process's change.
func TestFailedUnlockKeepsModelInSync(t *testing.T) {
	v := newTestVault(t)
	w := reopen(t, v)
	mustPut(t, w, Secret{Name: "FROM_W"}, "w")
	if err := v.Unlock([]byte("wrong")); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("Unlock(wrong) = %v", err)
	}
	mustPut(t, v, Secret{Name: "FROM_V"}, "v")
	assertCount(t, reopen(t, v), 2)
}

// A sealed value moved to another secret, or into another vault, does not open.
func TestValueBoundToSecretAndVault(t *testing.T) {
	v := newTestVault(t)
	a := mustPut(t, v, Secret{Name: "A"}, "value-a")
	b := mustPut(t, v, Secret{Name: "B"}, "value-b")
	v.m.secrets[0].sealed, v.m.secrets[1].sealed = v.m.secrets[1].sealed, v.m.secrets[0].sealed
	for _, id := range []string{a.ID, b.ID} {
		if _, err := v.Reveal(id); !errors.Is(err, ErrDamaged) {
			t.Fatalf("swapped value: %v, want ErrDamaged", err)
		}
	}
	other := newTestVault(t)
	mustPut(t, other, Secret{Name: "A"}, "x")
	other.m.secrets[0].id = v.m.secrets[0].id         // same secret id,
	other.m.secrets[0].sealed = v.m.secrets[1].sealed // A's value as sealed for v
	other.m.reindex()
	if _, err := other.Reveal(a.ID); !errors.Is(err, ErrDamaged) {
		t.Fatalf("value from another vault: %v, want ErrDamaged", err)
	}
}

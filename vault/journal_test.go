package vault

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// newJournalingVault returns a vault whose body holds 200 secrets
// (BASE_000...), large enough that the next writes are appended to the
// journal rather than rewriting the file.
func newJournalingVault(t testing.TB) *Vault {
	t.Helper()
	v := newTestVault(t)
	b := &Backup{}
	for i := range 200 {
		b.Secrets = append(b.Secrets, BackupSecret{Secret: Secret{Name: fmt.Sprintf("BASE_%03d", i), Collection: "Base"},
			Value: NewValue(fmt.Appendf(nil, "base-value-%03d", i))})
	}
	if _, err := v.Import(b, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(v.c.entries) != 0 {
		t.Fatal("the bulk import was journaled instead of compacted")
	}
	return v
}

// Writes to a large vault append entries; when the journal passes a
// quarter of the body the file is rewritten; through both, every write is
// there after reopening, and the file never grows past body + journal.
func TestJournalAppendsAndCompacts(t *testing.T) {
	v := newJournalingVault(t)
	appended, compacted := 0, 0
	for i := range 300 {
		before := len(v.c.entries)
		mustPut(t, v, Secret{Name: fmt.Sprintf("NEW_%03d", i)}, fmt.Sprintf("new-value-%03d", i))
		switch after := len(v.c.entries); {
		case after == before+1:
			appended++
		case after == 0:
			compacted++
		default:
			t.Fatalf("put %d: %d entries, then %d", i, before, after)
		}
		if journal := v.c.journalLen(); compactAt(journal, len(v.c.body)) {
			t.Fatalf("put %d: journal of %d bytes for a body of %d", i, journal, len(v.c.body))
		}
		if i%50 == 0 {
			if err := v.Delete(fmt.Sprintf("BASE_%03d", i/2), ""); err != nil {
				t.Fatal(err)
			}
			if err := v.SetAccess("BASE_199", "", AccessReveal); err != nil {
				t.Fatal(err)
			}
		}
	}
	if appended < 200 || compacted == 0 {
		t.Fatalf("%d appends and %d compactions: the journal is not being used as intended", appended, compacted)
	}
	w := reopen(t, v)
	if w.Len() != v.Len() || w.Len() != 200+300-6 {
		t.Fatalf("reopened: %d secrets, in memory %d", w.Len(), v.Len())
	}
	for i := range 300 {
		s, err := w.Resolve(fmt.Sprintf("NEW_%03d", i), "")
		if err != nil || reveal(t, w, s.ID) != fmt.Sprintf("new-value-%03d", i) {
			t.Fatalf("NEW_%03d after reopening: %v", i, err)
		}
	}
	if s, _ := w.Resolve("BASE_199", ""); s.Access != AccessReveal {
		t.Fatalf("BASE_199 access %q after reopening", s.Access)
	}
	if _, err := w.Resolve("BASE_000", ""); err == nil {
		t.Fatal("a deleted secret is back after reopening")
	}
	t.Logf("%d appends, %d compactions", appended, compacted)
}

// A crash while appending leaves a torn tail: the vault opens without the
// unacknowledged entry, and the next write cuts the tail off before it
// appends, so the file is whole again.
func TestJournalTornTailIsCut(t *testing.T) {
	for _, tail := range []struct {
		name string
		tear func(file []byte) []byte
	}{
		{"cut entry", func(f []byte) []byte { return f[:len(f)-7] }},
		{"zeros", func(f []byte) []byte { return append(f, make([]byte, 512)...) }},
		{"garbage frame", func(f []byte) []byte { return append(f, 40, 1, 2, 3) }},
	} {
		t.Run(tail.name, func(t *testing.T) {
			v := newJournalingVault(t)
			mustPut(t, v, Secret{Name: "ACKED"}, "acked")
			mustPut(t, v, Secret{Name: "TORN"}, "torn")
			file, _ := os.ReadFile(v.Path())
			if err := os.WriteFile(v.Path(), tail.tear(file), 0o600); err != nil {
				t.Fatal(err)
			}
			w := reopen(t, v)
			if _, err := w.Resolve("ACKED", ""); err != nil {
				t.Fatal(err)
			}
			mustPut(t, w, Secret{Name: "AFTER"}, "after")
			again, _ := os.ReadFile(w.Path())
			c, err := decodeContainer(again)
			if err != nil || c.end != len(again) {
				t.Fatalf("the torn tail is still in the file: %v (end %d of %d)", err, c.end, len(again))
			}
			for _, name := range []string{"ACKED", "AFTER"} {
				if _, err := reopen(t, w).Resolve(name, ""); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
		})
	}
}

// A change that changes nothing writes nothing.
func TestJournalNoOpWritesNothing(t *testing.T) {
	v := newJournalingVault(t)
	before, _ := os.ReadFile(v.Path())
	if err := v.Touch(nil); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(v.Path()); !bytes.Equal(before, after) {
		t.Fatal("an empty change was written")
	}
}

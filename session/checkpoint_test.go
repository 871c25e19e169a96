package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
)

// restart stops the fixture's agent (which locks the vault and saves the
// checkpoint), lets edit change the audit file, and starts a new agent on
// the same vault and audit file, unlocked with the password.
func (f *fixture) restart(edit func(path string)) {
	f.t.Helper()
	if err := f.agent.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.log.Close()
	path := filepath.Join(f.dir, "audit.jsonl")
	edit(path)
	log, err := audit.Open(path, audit.Options{})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { log.Close() })
	f.log, f.ui = log, &scriptedUI{}
	f.agent, err = NewAgent(Config{Vault: f.vault, Audit: log, UI: f.ui})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { f.agent.Close() })
	if err := f.agent.UnlockWithPassword([]byte(testPassword)); err != nil {
		f.t.Fatalf("unlock after restart: %v", err)
	}
}

func cutLines(t *testing.T, n int) func(string) {
	return func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		lines = lines[:len(lines)-1] // the empty string after the last newline
		if err := os.WriteFile(path, []byte(strings.Join(lines[:len(lines)-n], "")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditCheckpointAtUnlock(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(t *testing.T) func(string)
		reported bool
	}{
		{"intact", func(*testing.T) func(string) { return func(string) {} }, false},
		{"last record cut", func(t *testing.T) func(string) { return cutLines(t, 1) }, true},
		{"three records cut", func(t *testing.T) func(string) { return cutLines(t, 3) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
			f.ui.set(allow)
			if _, err := f.session("c").Get(context.Background(), "K"); err != nil {
				t.Fatal(err)
			}
			f.restart(tc.edit(t))
			notices := strings.Join(f.ui.notices, "\n")
			text := f.auditText()
			hasError := strings.Contains(text, `"event":"error"`)
			if tc.reported != strings.Contains(notices, "does not match the vault's checkpoint") {
				t.Errorf("notices %q, want a checkpoint notice: %v", notices, tc.reported)
			}
			if tc.reported != hasError {
				t.Errorf("error record present: %v, want %v\n%s", hasError, tc.reported, text)
			}
			if tc.reported && !strings.Contains(text, "checkpoint") {
				t.Errorf("the error record does not name the checkpoint:\n%s", text)
			}
			if strings.Contains(text, tokenValue) || strings.Contains(notices, tokenValue) {
				t.Fatal("a secret value reached the audit trail or a notice")
			}
		})
	}
}

// An edited record in the middle is reported at unlock too.
func TestAuditCheckpointAtUnlockEditedRecord(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(allow)
	if _, err := f.session("c").Get(context.Background(), "K"); err != nil {
		t.Fatal(err)
	}
	f.restart(func(path string) {
		b, _ := os.ReadFile(path)
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), `"event":"approve"`, `"event":"deny"`, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
	})
	if n := len(f.ui.notices); n != 1 || !strings.Contains(f.ui.notices[0], "mac does not match") {
		t.Errorf("notices %q, want one naming the bad mac", f.ui.notices)
	}
}

// The lock saves the checkpoint: the vault's checkpoint is the lock record.
func TestAuditCheckpointSavedAtLock(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	if err := f.agent.Lock(); err != nil {
		t.Fatal(err)
	}
	lockSeq, lockMAC := f.log.Head()
	if err := f.vault.Unlock([]byte(testPassword)); err != nil {
		t.Fatal(err)
	}
	seq, mac, err := f.vault.AuditCheckpoint()
	if err != nil || seq != lockSeq || mac != lockMAC || mac == "" {
		t.Fatalf("checkpoint %d %q (%v), want the lock record %d %q", seq, mac, err, lockSeq, lockMAC)
	}
}

// The idle tick saves the checkpoint once the head moved.
func TestAuditCheckpointOnIdleTick(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{IdleTick: 5 * time.Millisecond})
	t.Cleanup(func() { f.agent.Close() })
	f.ui.set(allow)
	if _, err := f.session("c").Get(context.Background(), "K"); err != nil {
		t.Fatal(err)
	}
	want, _ := f.log.Head()
	waitFor(t, "the checkpoint to reach the head", func() bool {
		seq, _, err := f.vault.AuditCheckpoint()
		return err == nil && seq >= want
	})
}

// A vault file that ends with an incomplete change is reported at unlock:
// logged, recorded as an error event and shown to the human.
func TestTornTailReportedAtUnlock(t *testing.T) {
	f := newFixture(t, map[string]string{"A": tokenValue}, Config{})
	if err := f.agent.Lock(); err != nil {
		t.Fatal(err)
	}
	file, err := os.OpenFile(f.vault.Path(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	file.Write([]byte{200, 1, 'x', 'y'}) // a frame that runs past the end
	file.Close()
	if err := f.agent.UnlockWithPassword([]byte(testPassword)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.auditText(), "incomplete change") {
		t.Fatal("the torn tail is not in the audit trail")
	}
	f.ui.mu.Lock()
	notices := strings.Join(f.ui.notices, "\n")
	f.ui.mu.Unlock()
	if !strings.Contains(notices, "incomplete") {
		t.Fatalf("the human was not told: %q", notices)
	}
}

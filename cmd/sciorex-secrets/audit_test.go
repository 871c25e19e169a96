package main

import (
	"os"
	"strings"
	"testing"
)

const auditFile = "data/vault.audit.jsonl"

// auditWorld runs a few requests through an agent and stops it, which locks
// the vault and saves the audit checkpoint in it.
func auditWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI("audit-e2e-value-314\n", "set", "TOKEN", "--value-stdin")
	for range 2 {
		w.mustCLI("", "run", "--secret", "TOKEN", "--", "true")
	}
	w.stopAgent()
	out := w.mustCLI(testPassword+"\n", "audit", "verify", "--password-stdin")
	if !strings.Contains(out, "audit trail intact") || !strings.Contains(out, "checked against the vault's checkpoint at record ") {
		t.Fatalf("audit verify of an intact trail: %s", out)
	}
	return w
}

// editAudit rewrites the audit file's lines with edit.
func editAudit(t *testing.T, w *world, edit func(lines []string) []string) {
	t.Helper()
	lines := strings.SplitAfter(w.read(auditFile), "\n")
	lines = edit(lines[:len(lines)-1]) // the empty string after the last newline
	if err := os.WriteFile(w.path(auditFile), []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerifyTampering(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(lines []string) []string
		reason string
	}{
		{"last record cut", func(l []string) []string { return l[:len(l)-1] }, "vault saw record"},
		{"last three records cut", func(l []string) []string { return l[:len(l)-3] }, "cut off the end"},
		{"secret name in a middle record edited", func(l []string) []string {
			var named []int
			for i, line := range l {
				if strings.Contains(line, `"TOKEN"`) {
					named = append(named, i)
				}
			}
			i := named[len(named)/2]
			l[i] = strings.Replace(l[i], `"TOKEN"`, `"OTHER"`, 1)
			return l
		}, "mac does not match"},
		{"approval turned into a denial", func(l []string) []string {
			for i, line := range l {
				if strings.Contains(line, `"event":"approve"`) {
					l[i] = strings.Replace(line, `"event":"approve"`, `"event":"deny"`, 1)
					break
				}
			}
			return l
		}, "mac does not match"},
		{"middle record deleted", func(l []string) []string { return append(l[:len(l)/2], l[len(l)/2+1:]...) }, "deleted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := auditWorld(t)
			editAudit(t, w, tc.edit)
			out, errOut, code := w.cli(testPassword+"\n", "audit", "verify", "--password-stdin")
			if code != exitAuditTampered || !strings.Contains(errOut, "tampered") || !strings.Contains(errOut, tc.reason) {
				t.Fatalf("audit verify: exit %d, want %d naming %q\nstdout: %s\nstderr: %s", code, exitAuditTampered, tc.reason, out, errOut)
			}
			t.Logf("stderr: %s", errOut)
			w.assertNoCanary("audit-e2e-value-314")
		})
	}
}

// Without the password the checkpoint cannot be read: the output says so.
func TestAuditVerifyChainOnlySaysNoCheckpoint(t *testing.T) {
	w := auditWorld(t)
	out := w.mustCLI("", "audit", "verify", "--chain-only")
	if !strings.Contains(out, "not checked against the vault's checkpoint") {
		t.Fatalf("audit verify --chain-only: %s", out)
	}
}

// With the agent running and unlocked, "audit verify" needs no password:
// the agent, which holds the key, verifies; a changed record is exit 11.
func TestAuditVerifyByRunningAgent(t *testing.T) {
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI("audit-e2e-value-314\n", "set", "TOKEN", "--value-stdin")
	w.mustCLI("", "run", "--secret", "TOKEN", "--", "true")
	out := w.mustCLI("", "audit", "verify")
	if !strings.Contains(out, "audit trail intact") || !strings.Contains(out, "verified by the running agent") {
		t.Fatalf("audit verify with the agent unlocked: %s", out)
	}
	editAudit(t, w, func(l []string) []string {
		for i, line := range l {
			if strings.Contains(line, `"event":"approve"`) {
				l[i] = strings.Replace(line, `"event":"approve"`, `"event":"deny"`, 1)
				break
			}
		}
		return l
	})
	out, errOut, code := w.cli("", "audit", "verify")
	if code != exitAuditTampered || !strings.Contains(errOut, "mac does not match") {
		t.Fatalf("audit verify of an edited trail: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	w.assertNoCanary("audit-e2e-value-314")
}

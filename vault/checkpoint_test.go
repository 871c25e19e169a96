package vault

import (
	"errors"
	"strings"
	"testing"
)

var (
	macA = strings.Repeat("ab", 32)
	macB = strings.Repeat("0f", 32)
)

func checkpointOf(t *testing.T, v *Vault) (uint64, string) {
	t.Helper()
	seq, mac, err := v.AuditCheckpoint()
	if err != nil {
		t.Fatalf("AuditCheckpoint: %v", err)
	}
	return seq, mac
}

func TestAuditCheckpointSet(t *testing.T) {
	type set struct {
		seq uint64
		mac string
	}
	for _, tc := range []struct {
		name    string
		sets    []set
		wantSeq uint64
		wantMAC string
	}{
		{"none", nil, 0, ""},
		{"one", []set{{5, macA}}, 5, macA},
		{"moves forward", []set{{5, macA}, {9, macB}}, 9, macB},
		{"lower seq ignored", []set{{9, macB}, {5, macA}}, 9, macB},
		{"same seq new mac", []set{{9, macB}, {9, macA}}, 9, macA},
		{"unsealed head", []set{{3, ""}}, 3, ""},
		{"zero is a no-op", []set{{0, ""}}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVault(t)
			for _, s := range tc.sets {
				if err := v.SetAuditCheckpoint(s.seq, s.mac); err != nil {
					t.Fatalf("SetAuditCheckpoint(%d): %v", s.seq, err)
				}
			}
			if seq, mac := checkpointOf(t, v); seq != tc.wantSeq || mac != tc.wantMAC {
				t.Errorf("checkpoint %d %q, want %d %q", seq, mac, tc.wantSeq, tc.wantMAC)
			}
			if seq, mac := checkpointOf(t, reopen(t, v)); seq != tc.wantSeq || mac != tc.wantMAC {
				t.Errorf("after reopen: checkpoint %d %q, want %d %q", seq, mac, tc.wantSeq, tc.wantMAC)
			}
		})
	}
}

func TestAuditCheckpointRejects(t *testing.T) {
	v := newTestVault(t)
	for _, tc := range []struct {
		name string
		seq  uint64
		mac  string
	}{
		{"mac without seq", 0, macA},
		{"upper case", 1, strings.ToUpper(macA)},
		{"short", 1, macA[:63]},
		{"long", 1, macA + "a"},
		{"not hex", 1, strings.Repeat("zz", 32)},
	} {
		if err := v.SetAuditCheckpoint(tc.seq, tc.mac); !errors.Is(err, ErrBadCheckpoint) {
			t.Errorf("%s: %v, want ErrBadCheckpoint", tc.name, err)
		}
	}
	if seq, mac := checkpointOf(t, v); seq != 0 || mac != "" {
		t.Errorf("a refused checkpoint was stored: %d %q", seq, mac)
	}
}

func TestAuditCheckpointLocked(t *testing.T) {
	v := newTestVault(t)
	v.Lock()
	if _, _, err := v.AuditCheckpoint(); !errors.Is(err, ErrLocked) {
		t.Errorf("AuditCheckpoint on a locked vault: %v", err)
	}
	if err := v.SetAuditCheckpoint(1, macA); !errors.Is(err, ErrLocked) {
		t.Errorf("SetAuditCheckpoint on a locked vault: %v", err)
	}
}

// An unchanged checkpoint costs no write: the generation stays.
func TestAuditCheckpointSameWritesNothing(t *testing.T) {
	v := newTestVault(t)
	if err := v.SetAuditCheckpoint(4, macA); err != nil {
		t.Fatal(err)
	}
	gen := v.c.hdr.gen
	for _, seq := range []uint64{4, 3} {
		if err := v.SetAuditCheckpoint(seq, macA); err != nil {
			t.Fatal(err)
		}
	}
	if v.c.hdr.gen != gen {
		t.Errorf("generation %d, want %d: an ignored checkpoint was written", v.c.hdr.gen, gen)
	}
}

// Other changes keep the checkpoint; an export does not carry it.
func TestAuditCheckpointKeptAndNotExported(t *testing.T) {
	v := newTestVault(t)
	if err := v.SetAuditCheckpoint(12, macA); err != nil {
		t.Fatal(err)
	}
	mustPut(t, v, Secret{Name: "A"}, "1")
	if err := v.ChangePassword(testPassword, testPassword); err != nil {
		t.Fatal(err)
	}
	if seq, mac := checkpointOf(t, v); seq != 12 || mac != macA {
		t.Errorf("checkpoint %d %q after other writes, want 12 %q", seq, mac, macA)
	}
	dst := newTestVault(t)
	if _, err := dst.Import(readBackup(t, exportTo(t, v, ExportOptions{})), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if seq, mac := checkpointOf(t, dst); seq != 0 || mac != "" {
		t.Errorf("imported vault has checkpoint %d %q, want none", seq, mac)
	}
}

func TestBodyRejectsBadCheckpoint(t *testing.T) {
	v := newTestVault(t)
	good := encodeBody(v.m)
	tail := len(good) - 2 // uvarint(0) str("")
	for _, tc := range []struct {
		name string
		end  string
	}{
		{"mac without seq", "\x00\x40" + macA},
		{"upper-case mac", "\x01\x40" + strings.ToUpper(macA)},
		{"short mac", "\x01\x3f" + macA[:63]},
		{"mac over limit", "\x01\x41" + macA + "a"},
		{"non-minimal seq", "\x80\x00\x00"},
		{"missing", ""},
	} {
		b := append(append([]byte(nil), good[:tail]...), tc.end...)
		if _, err := decodeBody(b); !errors.Is(err, errBody) {
			t.Errorf("%s: %v, want a malformed body", tc.name, err)
		}
	}
	b := append(append([]byte(nil), good[:tail]...), "\x07\x40"+macB...)
	m, err := decodeBody(b)
	if err != nil || m.auditSeq != 7 || m.auditMAC != macB {
		t.Errorf("valid checkpoint: %v, seq %d", err, m.auditSeq)
	}
}

package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // Format prints local time; pin it for the tables
	os.Exit(m.Run())
}

var (
	testKey  = bytes.Repeat([]byte{0x42}, 32)
	otherKey = bytes.Repeat([]byte{0x17}, 32)
	t0       = time.Date(2026, 5, 1, 12, 3, 41, 120_000_000, time.UTC)
)

// openTest opens a log in a fresh directory with a clock that ticks one
// second per record.
func openTest(t *testing.T, opts Options) *Log {
	t.Helper()
	l, err := Open(filepath.Join(t.TempDir(), "audit.jsonl"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	tick := t0
	l.now = func() time.Time { tick = tick.Add(time.Second); return tick }
	return l
}

func mustAppend(t *testing.T, l *Log, r Record) Record {
	t.Helper()
	got, err := l.Append(r)
	if err != nil {
		t.Fatalf("append %s: %v", r.Event, err)
	}
	return got
}

func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(data, []byte{'\n'})
}

func writeLines(t *testing.T, path string, lines [][]byte) {
	t.Helper()
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
}

func intp(i int) *int { return &i }

func marshalLine(r Record) ([]byte, error) { return r.MarshalJSON() }

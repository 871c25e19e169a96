package audit

import (
	"path/filepath"
	"testing"
)

// BenchmarkAppend measures one sealed record with its fsync, the cost added
// to every request.
func BenchmarkAppend(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "audit.jsonl"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	l.SetKey(testKey)
	r := Record{Event: EventApprove, Session: "s-1", Agent: "claude-code", Verified: "/usr/bin/claude pid 4242",
		Project: "/home/u/src/app", Secrets: []string{"GITHUB_TOKEN"}, Request: 12}
	for b.Loop() {
		if _, err := l.Append(r); err != nil {
			b.Fatal(err)
		}
	}
}

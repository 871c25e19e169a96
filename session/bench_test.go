package session

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

var benchSizes = []int{10, 1000, 10000}

// smokeRun reports a -benchtime=1x run (make bench-smoke), which skips the
// 10,000-secret fills: they take seconds and prove nothing a smaller one
// does not.
func smokeRun() bool {
	f := flag.Lookup("test.benchtime")
	return f != nil && f.Value.String() == "1x"
}

// benchAgent returns an unlocked agent over a vault of n "use" secrets
// named secret-00000..., on the disk the benchmark's temp dir is on, and an
// always-allow UI. The vault is filled on tmpfs when there is one (each Put
// is a durable rewrite, so filling is quadratic) and then copied.
func benchAgent(b *testing.B, n int) *Agent {
	b.Helper()
	if n > 1000 && smokeRun() {
		b.Skip("10,000-secret fill skipped in the smoke run")
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "vault.sxv")
	fillVault(b, path, n)
	v, err := vault.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := v.Unlock([]byte(testPassword)); err != nil {
		b.Fatal(err)
	}
	log, err := audit.Open(filepath.Join(dir, "audit.jsonl"), audit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ui := &scriptedUI{decide: allow}
	a, err := NewAgent(Config{Vault: v, Audit: log, UI: ui})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		a.Close()
		log.Close()
	})
	return a
}

// fillVault writes a vault of n secrets to path, built on /dev/shm when
// that is writable.
func fillVault(b *testing.B, path string, n int) {
	b.Helper()
	work, err := os.MkdirTemp("/dev/shm", "sx-bench-")
	if err != nil {
		work = b.TempDir()
	} else {
		defer os.RemoveAll(work)
	}
	tmp := filepath.Join(work, "vault.sxv")
	v, err := vault.Create(tmp, []byte(testPassword),
		vault.Options{KDF: vault.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	value := []byte("0123456789012345678901234567890123456789")
	for i := range n {
		s := vault.Secret{Name: fmt.Sprintf("secret-%05d", i), Collection: fmt.Sprintf("coll-%d", i%20),
			Tags: []string{"ci", fmt.Sprintf("team-%d", i%7)}, Description: "a benchmark secret"}
		if _, err := v.Put(s, value); err != nil {
			b.Fatal(err)
		}
	}
	v.Lock()
	data, err := os.ReadFile(tmp)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkApprovedGet: an MCP-style get of a "use" secret, approved at
// once in-process, including the last-access write to the vault and the
// fsynced audit records (request, approve, grant). Target: under 1 ms.
func BenchmarkApprovedGet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			a := benchAgent(b, n)
			s := a.NewSession(Identity{Claimed: "bench", Peer: Process{PID: os.Getpid()}}, SessionOptions{})
			defer s.Close()
			ctx := context.Background()
			i := 0
			for b.Loop() {
				name := fmt.Sprintf("secret-%05d", i%n)
				i++
				if _, err := s.Get(ctx, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSessionList: a filtered listing as the MCP tool does it, in
// process (no socket). "selective" matches 10 secrets, "broad" one in
// seven. Target for the whole MCP round trip: under 0.5 ms.
func BenchmarkSessionList(b *testing.B) {
	filters := []struct{ name, search string }{{"selective", "secret-0000"}, {"broad", "team-3"}}
	for _, n := range benchSizes {
		for _, f := range filters {
			b.Run(fmt.Sprintf("%d/%s", n, f.name), func(b *testing.B) {
				a := benchAgent(b, n)
				s := a.NewSession(Identity{Claimed: "bench", Peer: Process{PID: os.Getpid()}}, SessionOptions{})
				defer s.Close()
				ctx := context.Background()
				for b.Loop() {
					if _, err := s.List(ctx, ListRequest{Search: f.search}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRunOverhead compares a plain exec of /bin/sh -c true with a
// Session.Run of the same command holding one secret (approved at once,
// in-process): the difference is what run adds. Target: under 5 ms.
func BenchmarkRunOverhead(b *testing.B) {
	b.Run("plain-exec", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command("/bin/sh", "-c", "true")
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("session-run", func(b *testing.B) {
		a := benchAgent(b, 10)
		s := a.NewSession(Identity{Claimed: "bench", Peer: Process{PID: os.Getpid()}}, SessionOptions{})
		defer s.Close()
		ctx := context.Background()
		for b.Loop() {
			res, err := s.Run(ctx, RunRequest{Command: "true", Secrets: []string{"secret-00001"}})
			if err != nil {
				b.Fatal(err)
			}
			if res.ExitCode != 0 {
				b.Fatalf("exit code %d", res.ExitCode)
			}
		}
	})
}

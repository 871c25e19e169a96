package vault

import (
	"fmt"
	"sync"
	"testing"
)

// TestCaseB15 runs two writers with separate *Vault on one file, 200 Puts
// each with different names: all 400 must be there.
func TestCaseB15(t *testing.T) {
	v := newTestVault(t)
	w := reopen(t, v)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i, vv := range []*Vault{v, w} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range n {
				if _, err := vv.Put(Secret{Name: fmt.Sprintf("w%d-%d", i, j)}, []byte("x")); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	assertCount(t, reopen(t, v), 2*n)
}

// TestCaseB15Process: the same with a second process.
func TestCaseB15Process(t *testing.T) {
	v := newTestVault(t)
	const n = 200
	child := childCommand(t, v.Path(), "child-", n)
	child.Stdout = nil
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	for j := range n {
		mustPut(t, v, Secret{Name: fmt.Sprintf("parent-%d", j)}, "x")
	}
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	assertCount(t, reopen(t, v), 2*n)
}

func assertCount(t *testing.T, v *Vault, want int) {
	t.Helper()
	if got := v.Len(); got != want {
		t.Fatalf("vault holds %d secrets, want %d", got, want)
	}
}

// TestConcurrentUse exercises every method from several goroutines on one
// *Vault, for the race detector.
func TestConcurrentUse(t *testing.T) {
	v := newTestVault(t)
	s := mustPut(t, v, Secret{Name: "BASE"}, "base")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				name := fmt.Sprintf("G%d_%d", g, j)
				if _, err := v.Put(Secret{Name: name}, []byte("v")); err != nil {
					t.Error(err)
					return
				}
				v.List(Query{Search: "g"})
				v.Resolve("BASE", "/x")
				if val, err := v.Reveal(s.ID); err == nil {
					val.Wipe()
				}
				v.Collections()
				v.Len()
				v.Locked()
			}
		}()
	}
	wg.Wait()
	assertCount(t, v, 81)
}

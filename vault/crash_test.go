package vault

import (
	"bufio"
	"flag"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"
)

var crashLoops = flag.Int("vault.crashloops", 5, "rounds of the SIGKILL crash test")

// TestCrashKill kills a writing process with SIGKILL at random moments; every
// name it acknowledged must be in the vault, and the vault must unlock.
// The kill delay is random, never needed for the test to pass.
func TestCrashKill(t *testing.T) {
	for _, kind := range vaultKinds {
		t.Run(kind.name, func(t *testing.T) { testCrashKill(t, kind.make(t)) })
	}
}

func testCrashKill(t *testing.T, v *Vault) {
	var acked []string
	for round := range *crashLoops {
		cmd := childCommand(t, v.Path(), "crash"+strconv.Itoa(round)+"-", 0)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var lines []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				mu.Lock()
				lines = append(lines, sc.Text())
				mu.Unlock()
			}
		}()
		time.Sleep(time.Duration(20+rand.IntN(200)) * time.Millisecond)
		cmd.Process.Kill()
		<-done
		cmd.Wait()
		acked = append(acked, lines...)
		w, err := Open(v.Path())
		if err != nil {
			t.Fatalf("round %d: open after kill: %v", round, err)
		}
		if err := w.Unlock(testPassword); err != nil {
			t.Fatalf("round %d: unlock after kill: %v", round, err)
		}
		for _, name := range acked {
			if _, err := w.Resolve(name, ""); err != nil {
				t.Fatalf("round %d: acknowledged %q lost: %v", round, name, err)
			}
		}
	}
	t.Logf("%d rounds, %d acknowledged puts survived", *crashLoops, len(acked))
}

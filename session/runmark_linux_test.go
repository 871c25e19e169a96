package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A process that left the run's process group (setsid) still carries the
// run's mark, and dies with the run when it times out (R6's kind for runs
// of MCP clients). Linux only: elsewhere an environment cannot be read.
func TestRunTimeoutKillsWhatLeftTheGroup(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(allow)
	pidFile := filepath.Join(t.TempDir(), "escaped")
	out, err := f.session("c").Run(context.Background(), RunRequest{
		Command: `setsid sleep 303 </dev/null >/dev/null 2>&1 & echo $! > ` + pidFile + `; sleep 30; echo $K`,
		Secrets: []string{"K"}, Timeout: 300 * time.Millisecond,
	})
	if err != nil || !out.TimedOut {
		t.Fatalf("run = %+v, %v", out, err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	waitFor(t, "the escaped process to die", func() bool {
		return syscall.Kill(pid, 0) != nil || processInfo(pid).PID == 0 || isZombie(pid)
	})
}

func isZombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(rest, "Z")
}

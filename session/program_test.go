package session

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// Only a process running this very program passes CheckCLI: another
// program, an unknown process and a process that went away are refused.
func TestCheckCLI(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("process executables are read on Linux and macOS only")
	}
	a := newFixture(t, nil, Config{}).agent
	if err := a.CheckCLI(processInfo(os.Getpid())); err != nil {
		t.Fatalf("this program: %v", err)
	}
	sleep := exec.Command("sleep", "30")
	if err := sleep.Start(); err != nil {
		t.Skip(err)
	}
	other := processInfo(sleep.Process.Pid)
	if err := a.CheckCLI(other); !errors.Is(err, ErrNotOurProgram) {
		t.Errorf("sleep: %v, want ErrNotOurProgram", err)
	}
	sleep.Process.Kill()
	sleep.Wait()
	if err := a.CheckCLI(other); !errors.Is(err, ErrNotOurProgram) {
		t.Errorf("a process that exited: %v, want ErrNotOurProgram", err)
	}
	if err := a.CheckCLI(Process{}); !errors.Is(err, ErrNotOurProgram) {
		t.Errorf("an unknown process: %v, want ErrNotOurProgram", err)
	}
}

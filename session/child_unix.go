//go:build unix

package session

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func sysProcAttr(foreground bool) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: !foreground}
	setParentDeathSignal(attr)
	return attr
}

// killGroup kills the child; in the background case its whole process
// group, so a shell's own children die with it.
func killGroup(cmd *exec.Cmd, foreground bool) {
	if cmd.Process == nil {
		return
	}
	if !foreground {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	_ = cmd.Process.Kill()
}

// notifyAll relays the signals a user or supervisor sends to a runner.
// SIGURG is left alone: the Go runtime uses it internally. SIGCHLD is ours.
func notifyAll(ch chan<- os.Signal) {
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT,
		syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH, syscall.SIGCONT, syscall.SIGTSTP)
}

func signalNumber(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return int(ws.Signal())
	}
	return 0
}

package session

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func sysProcAttr(bool) *syscall.SysProcAttr { return nil }

func killGroup(cmd *exec.Cmd, _ bool) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

func notifyAll(ch chan<- os.Signal) { signal.Notify(ch, os.Interrupt) }

func signalNumber(*os.ProcessState) int { return 0 }

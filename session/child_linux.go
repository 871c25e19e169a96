package session

import (
	"errors"
	"io"
	"syscall"

	"golang.org/x/sys/unix"
)

// setParentDeathSignal kills the child if the runner dies without passing
// a signal on (kill -9). Only the child: what it started is killed by the
// agent, which watches the runner's connection (see Session.Watch).
func setParentDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

// terminalJob: at a terminal we own, the child's group gets it, and
// job control (the child stopped by ^Z) is passed up to our own shell.
func terminalJob(stdin io.Reader) (int, int) {
	if fd, ok := foregroundTTY(stdin); ok {
		return fd, handOver
	}
	return -1, noTerminal
}

// started begins passing the child's stops up: when the job stops (^Z at
// the terminal), we take the terminal back and stop too, so that our shell
// sees a stopped job; when the shell continues us (fg), the terminal goes
// back to the child's group and it continues.
func (j *job) started() {
	if j.tty < 0 {
		return
	}
	go j.passStops(j.cmd.Process.Pid)
}

const cldStopped = 5 // si_code of a stopped child (CLD_STOPPED)

func (j *job) passStops(pid int) {
	for {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WSTOPPED|unix.WEXITED|unix.WNOWAIT, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil || info.Code != cldStopped {
			return // ended (reaped by cmd.Wait, not here) or gone
		}
		_ = unix.Waitid(unix.P_PID, pid, &info, unix.WSTOPPED, nil) // consume the stop
		setForeground(j.tty, unix.Getpgrp())
		_ = syscall.Kill(syscall.Getpid(), syscall.SIGSTOP)
		setForeground(j.tty, pid)
		_ = syscall.Kill(-pid, syscall.SIGCONT)
	}
}

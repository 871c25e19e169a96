//go:build unix

package session

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// job is the process group a child runs in. The child leads a group of its
// own, so that a signal or a kill reaches everything it started, and never
// the caller's own group (which, for a command an AI agent's shell ran,
// holds the agent itself). A foreground run at a terminal also gives the
// terminal to the child's group while it runs, as a shell does with a job.
type job struct {
	cmd      *exec.Cmd
	tty      int  // the terminal handed to the child's group, or -1
	ownGroup bool // false: the child stays in our group (see terminalJob)
}

func newJob(cmd *exec.Cmd, foreground bool, stdin io.Reader) *job {
	j := &job{cmd: cmd, tty: -1, ownGroup: true}
	attr := &syscall.SysProcAttr{Setpgid: true}
	if foreground {
		switch fd, mode := terminalJob(stdin); mode {
		case handOver:
			attr.Foreground, attr.Ctty, j.tty = true, fd, fd
		case shareGroup:
			attr.Setpgid, j.ownGroup = false, false
		}
	}
	setParentDeathSignal(attr)
	cmd.SysProcAttr = attr
	return j
}

// terminal modes of a foreground job.
const (
	noTerminal = iota // stdin is no terminal we own: a group of its own
	handOver          // the child's group gets the terminal while it runs
	shareGroup        // stay in our group (where job control is not done here)
)

// foregroundTTY returns stdin's descriptor when it is a terminal whose
// foreground process group is ours.
func foregroundTTY(stdin io.Reader) (int, bool) {
	f, ok := stdin.(*os.File)
	if !ok {
		return -1, false
	}
	fd := int(f.Fd())
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil || pgrp != unix.Getpgrp() {
		return -1, false
	}
	return fd, true
}

// signal passes sig to the child's whole group.
func (j *job) signal(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok && j.ownGroup {
		_ = syscall.Kill(-j.cmd.Process.Pid, s)
		return
	}
	_ = j.cmd.Process.Signal(sig)
}

// kill kills the child and, when it has one, its whole group.
func (j *job) kill() {
	if j.ownGroup {
		_ = syscall.Kill(-j.cmd.Process.Pid, syscall.SIGKILL)
	}
	_ = j.cmd.Process.Kill()
}

// finish takes the terminal back after the child ended.
func (j *job) finish() {
	if j.tty >= 0 {
		setForeground(j.tty, unix.Getpgrp())
	}
}

// setForeground makes pgrp the terminal's foreground group. A process not
// in the foreground group may do so only with SIGTTOU ignored.
func setForeground(tty, pgrp int) {
	signal.Ignore(syscall.SIGTTOU)
	defer signal.Reset(syscall.SIGTTOU)
	_ = unix.IoctlSetPointerInt(tty, unix.TIOCSPGRP, pgrp)
}

// KillProcessGroup kills the process group led by pid, when pid is still
// the process that was started at startTime (a pid can be reused). It is
// how the agent ends a run whose runner died before it could.
func KillProcessGroup(pid int, startTime uint64) bool {
	if pid <= 1 {
		return false
	}
	if p := processInfo(pid); p.PID == 0 || p.StartTime != startTime {
		return false
	}
	return syscall.Kill(-pid, syscall.SIGKILL) == nil
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

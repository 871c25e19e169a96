package session

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
)

// job on Windows is the child alone: no process groups are used here.
type job struct{ cmd *exec.Cmd }

func newJob(cmd *exec.Cmd, _ bool, _ io.Reader) *job { return &job{cmd: cmd} }

func (j *job) started()                 {}
func (j *job) finish()                  {}
func (j *job) signal(sig os.Signal)     { _ = j.cmd.Process.Signal(sig) }
func (j *job) kill()                    { _ = j.cmd.Process.Kill() }
func notifyAll(ch chan<- os.Signal)     { signal.Notify(ch, os.Interrupt) }
func signalNumber(*os.ProcessState) int { return 0 }

// KillProcessGroup is not available on Windows.
func KillProcessGroup(pid int, startTime uint64) bool { return false }

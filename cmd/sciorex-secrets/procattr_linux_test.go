package main

import "syscall"

// diesWithTest makes a helper process (an agent, Xvfb, a bus) die with the
// test process, so that a failed or killed test leaves nothing running.
func diesWithTest() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// diesWithTestInOwnSession is diesWithTest for a process that must also
// lead a session of its own (no controlling terminal).
func diesWithTestInOwnSession() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
}

package main

import (
	"golang.org/x/sys/unix"
)

// hardenProcess keeps the agent's memory (the unlocked key) out of core
// dumps and away from ptrace by other processes of the same user.
func hardenProcess(logf func(string, ...any)) {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}); err != nil {
		logf("cannot disable core dumps: %v", err)
	}
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		logf("cannot disable ptrace attach: %v", err)
	}
}

//go:build unix && !linux

package session

import (
	"io"
	"syscall"
)

func setParentDeathSignal(*syscall.SysProcAttr) {}

// terminalJob: job control is not passed on here, so at a terminal the
// child stays in our group, where the terminal already sends it ^C and ^Z.
func terminalJob(stdin io.Reader) (int, int) {
	if _, ok := foregroundTTY(stdin); ok {
		return -1, shareGroup
	}
	return -1, noTerminal
}

func (j *job) started() {}

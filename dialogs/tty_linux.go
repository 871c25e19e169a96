package dialogs

import (
	"cmp"
	"os"

	"golang.org/x/sys/unix"
)

// echoOff turns off echo on the terminal f and returns how to restore it.
// It reaches the descriptor through SyscallConn, since f.Fd would switch the
// file to blocking mode and defeat read deadlines.
func echoOff(f *os.File) (restore func(), err error) {
	raw, err := f.SyscallConn()
	if err != nil {
		return nil, noApprover("cannot use the terminal %s: %v", Sanitize(f.Name(), TextMax), err)
	}
	var saved *unix.Termios
	var ioErr error
	ctlErr := raw.Control(func(fd uintptr) {
		saved, ioErr = unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if ioErr != nil {
			return
		}
		quiet := *saved
		quiet.Lflag &^= unix.ECHO
		quiet.Lflag |= unix.ICANON
		ioErr = unix.IoctlSetTermios(int(fd), unix.TCSETS, &quiet)
	})
	if err := cmp.Or(ctlErr, ioErr); err != nil {
		return nil, noApprover("cannot turn off echo on %s: %v", Sanitize(f.Name(), TextMax), err)
	}
	return func() {
		_ = raw.Control(func(fd uintptr) {
			_ = unix.IoctlSetTermios(int(fd), unix.TCSETS, saved)
		})
	}, nil
}

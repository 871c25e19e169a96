//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package vault

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on path (created 0600 if needed). With
// wait false it returns errWouldBlock when another holder has it. The lock is
// per open file description, so two opens in one process exclude each other.
func lockFile(path string, wait bool) (release func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errWouldBlock
		}
		return nil, err
	}
	return f.Close, nil // closing the descriptor releases the lock
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package vault

import "errors"

// lockFile is unsupported here: writes fail closed rather than risk lost updates.
func lockFile(string, bool) (func() error, error) {
	return nil, errors.New("file locking is not supported on this platform")
}

func syncDir(string) error { return nil }

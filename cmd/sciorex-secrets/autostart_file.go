package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// fileAutostart is an autostart entry kept as one file (XDG, macOS),
// written private to the user (writeFileAtomic, in settings.go).
func fileAutostart(path string, want []byte) autostart {
	return autostart{
		where: path,
		want:  want,
		read:  func() ([]byte, error) { return os.ReadFile(path) },
		write: func(b []byte) error {
			if err := writeFileAtomic(path, b); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
			return nil
		},
		remove: func() error {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove %s: %w", path, err)
			}
			return nil
		},
	}
}

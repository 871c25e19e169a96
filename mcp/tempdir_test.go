package mcp

import (
	"os"
	"testing"
)

// mkShortTemp makes a temp dir with a short path: a Unix socket path is
// limited to about 100 bytes, and t.TempDir paths can be longer.
func mkShortTemp(t *testing.T) (string, error) { return mkShortTempB(t) }

func mkShortTempB(t testing.TB) (string, error) {
	dir, err := os.MkdirTemp("", "sxm")
	if err != nil {
		return "", err
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir, nil
}

//go:build unix

package mcp

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// umaskMu serialises the process-wide umask change in listenPrivate.
var umaskMu sync.Mutex

// listenPrivate creates the socket under umask 0077, so there is no moment
// when it is reachable by group or others.
func listenPrivate(path string) (net.Listener, error) {
	umaskMu.Lock()
	old := unix.Umask(0o077)
	ln, err := net.Listen("unix", path)
	unix.Umask(old)
	umaskMu.Unlock()
	return ln, err
}

// securePrivateDir makes sure dir exists, is a directory owned by us and
// has no group or other permissions.
func securePrivateDir(dir string) error {
	err := os.Mkdir(dir, 0o700)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create the socket directory %s: %w", dir, err)
		}
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("check the socket directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("the socket directory %s is not a directory (remove it, or set SCIOREX_SOCKET)", dir)
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("check the owner of the socket directory %s: not available on this system", dir)
	}
	if int(sys.Uid) != os.Getuid() {
		return fmt.Errorf("the socket directory %s belongs to uid %d, not to you (uid %d): refusing to use it; remove it or set SCIOREX_SOCKET", dir, sys.Uid, os.Getuid())
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("the socket directory %s can be reached by other users (mode %04o): the socket needs a directory of its own; "+
			"set SCIOREX_SOCKET to a path in a new directory, or make this one private with \"chmod 700 %s\" if it is only for sciorex-secrets",
			dir, st.Mode().Perm(), dir)
	}
	return nil
}

// userRuntimeDir is /run/user/<uid> when it is a directory of ours that no
// one else can reach, else "".
func userRuntimeDir() string {
	dir := "/run/user/" + strconv.Itoa(os.Getuid())
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() || st.Mode().Perm()&0o077 != 0 {
		return ""
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); !ok || int(sys.Uid) != os.Getuid() {
		return ""
	}
	return dir
}

package vault

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleTempAge is how old a temp file must be before Open removes it while
// another process holds the write lock.
const staleTempAge = time.Minute

// writeHook, when set (tests only), replaces the write of the temp file's
// contents, to inject faults such as ENOSPC.
type writeHook func(w io.Writer, data []byte) error

// stamp identifies one version of the vault file on disk.
type stamp struct {
	size    int64
	modTime time.Time
	info    os.FileInfo
}

func stampOf(fi os.FileInfo) stamp { return stamp{size: fi.Size(), modTime: fi.ModTime(), info: fi} }

func (s stamp) same(o stamp) bool {
	return s.info != nil && o.info != nil && s.size == o.size && s.modTime.Equal(o.modTime) && os.SameFile(s.info, o.info)
}

func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// writeTemp writes data to a new, unique temp file beside path (mode 0600),
// fsyncs and closes it. On error nothing is left behind.
func writeTemp(path string, data []byte, hook writeHook) (name string, st stamp, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPattern(path)+"*")
	if err != nil {
		return "", stamp{}, fmt.Errorf("create temp file beside the vault: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if hook != nil {
		err = hook(f, data)
	} else {
		_, err = f.Write(data)
	}
	if err != nil {
		return "", stamp{}, fmt.Errorf("write vault temp file: %w", err)
	}
	if err = f.Sync(); err != nil {
		return "", stamp{}, fmt.Errorf("sync vault temp file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		return "", stamp{}, err
	}
	if err = f.Close(); err != nil {
		return "", stamp{}, fmt.Errorf("close vault temp file: %w", err)
	}
	return f.Name(), stampOf(fi), nil
}

// replaceFile durably replaces path with data: temp file, fsync, rename,
// fsync of the directory. If it fails before the rename, path is untouched.
// It refuses to replace anything but a regular file.
func replaceFile(path string, data []byte, hook writeHook) (stamp, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return stamp{}, fmt.Errorf("refusing to replace %s: not a regular file", path)
	}
	tmp, st, err := writeTemp(path, data, hook)
	if err != nil {
		return stamp{}, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return stamp{}, fmt.Errorf("replace vault file: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return st, fmt.Errorf("sync vault directory: %w", err)
	}
	return st, nil
}

// appendFile durably writes frame at offset end of path, which must still
// be the file of stamp was: a torn tail after end (a crashed append) is cut
// first. If the write or the fsync fails, the file is cut back to end, so
// that readers see the old vault.
func appendFile(path string, was stamp, end int, frame []byte, hook writeHook) (st stamp, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return stamp{}, fmt.Errorf("open vault for writing: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return stamp{}, err
	}
	if was.info == nil || !os.SameFile(fi, was.info) {
		return stamp{}, fmt.Errorf("write vault: %s was replaced while being written", path)
	}
	defer func() {
		if err != nil {
			_ = f.Truncate(int64(end))
			_ = f.Sync()
		}
	}()
	if fi.Size() > int64(end) {
		if err := f.Truncate(int64(end)); err != nil {
			return stamp{}, fmt.Errorf("cut a torn write off the vault: %w", err)
		}
	}
	w := io.NewOffsetWriter(f, int64(end))
	if hook != nil {
		err = hook(w, frame)
	} else {
		_, err = w.Write(frame)
	}
	if err != nil {
		return stamp{}, fmt.Errorf("write vault: %w", err)
	}
	if err = f.Sync(); err != nil {
		return stamp{}, fmt.Errorf("sync vault: %w", err)
	}
	if fi, err = f.Stat(); err != nil {
		return stamp{}, err
	}
	return stampOf(fi), nil
}

// createFile durably creates path with data and never overwrites: the temp
// file is hard-linked into place, which fails when path exists. Where links
// are not supported it falls back to O_EXCL.
func createFile(path string, data []byte) error {
	tmp, _, err := writeTemp(path, data, nil)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
		if err := createExclusive(path, data); err != nil {
			return err
		}
	}
	return syncDir(filepath.Dir(path))
}

func createExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, path)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// removeStaleTemps deletes temp files of this vault left by a crash: all of
// them when no writer holds the lock (idle is true), else those older than
// staleTempAge. Errors are ignored: stale temps are harmless.
func removeStaleTemps(path string, idle bool) {
	dir, prefix := filepath.Dir(path), tempPattern(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil || !idle && time.Since(fi.ModTime()) < staleTempAge {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

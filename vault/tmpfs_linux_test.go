package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// TestCaseB14Tmpfs fills a real 64 KiB tmpfs until a Put fails with ENOSPC,
// then checks the old vault is byte-identical and unlocks. Needs root.
func TestCaseB14Tmpfs(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	v, err := Create(filepath.Join(dir, "v.vault"), testPassword, Options{KDF: cheapKDF})
	if err != nil {
		t.Fatal(err)
	}
	value := bytes.Repeat([]byte("x"), 6000)
	var full error
	for i := 0; i < 100 && full == nil; i++ {
		before, _ := os.ReadFile(v.Path())
		_, full = v.Put(Secret{Name: "S" + strconv.Itoa(i)}, value)
		if full != nil {
			if !errors.Is(full, syscall.ENOSPC) {
				t.Fatalf("Put %d: %v, want ENOSPC", i, full)
			}
			after, _ := os.ReadFile(v.Path())
			if !bytes.Equal(before, after) {
				t.Fatal("ENOSPC changed the vault file")
			}
			assertNoTemps(t, v.Path())
			w := reopen(t, v)
			if w.Len() != i {
				t.Fatalf("after ENOSPC: %d secrets, want %d", w.Len(), i)
			}
		}
	}
	if full == nil {
		t.Fatal("the tmpfs never filled up")
	}
}

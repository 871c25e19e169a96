package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// rotatedFile is a full log file renamed to <name>.<first>-<last>.
type rotatedFile struct {
	path        string
	first, last uint64
}

func rotatedName(path string, first, last uint64) string {
	return fmt.Sprintf("%s.%d-%d", path, first, last)
}

// parseRotated reads "<first>-<last>" from the suffix of a rotated file name.
func parseRotated(suffix string) (first, last uint64, ok bool) {
	a, b, found := strings.Cut(suffix, "-")
	if !found || !allDigits(a) || !allDigits(b) {
		return 0, 0, false
	}
	first, err1 := strconv.ParseUint(a, 10, 64)
	last, err2 := strconv.ParseUint(b, 10, 64)
	return first, last, err1 == nil && err2 == nil && first >= 1 && first <= last
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// rotatedFiles lists the rotated files of the log at path, oldest first.
func rotatedFiles(path string) ([]rotatedFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []rotatedFile
	for _, e := range entries {
		suffix, ok := strings.CutPrefix(e.Name(), base+".")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if first, last, ok := parseRotated(suffix); ok {
			out = append(out, rotatedFile{path: filepath.Join(dir, e.Name()), first: first, last: last})
		}
	}
	slices.SortFunc(out, func(a, b rotatedFile) int {
		if a.first != b.first {
			return cmpUint(a.first, b.first)
		}
		return cmpUint(a.last, b.last)
	})
	return out, nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// syncDir makes a rename or a new file in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

package session

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sciorex/sciorex-secrets/vault"
)

// isAuditFile reports whether path is the audit file or one of its rotated files.
func (a *Agent) isAuditFile(path string) bool {
	dir, base := filepath.Split(a.audit.Path())
	return filepath.Clean(dir) == filepath.Dir(path) && isAuditName(filepath.Base(path), base)
}

// isAuditName: the log itself, or "<log>.<first>-<last>" (audit/rotate.go).
func isAuditName(name, base string) bool {
	if name == base {
		return true
	}
	suffix, ok := strings.CutPrefix(name, base+".")
	first, last, found := strings.Cut(suffix, "-")
	return ok && found && allDigits(first) && allDigits(last)
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// auditFiles reads the audit file and its rotated files, sorted by name.
func (a *Agent) auditFiles() ([]vault.AuditFile, error) {
	dir, base := filepath.Split(a.audit.Path())
	entries, err := os.ReadDir(filepath.Clean(dir))
	if err != nil {
		return nil, err
	}
	var files []vault.AuditFile
	for _, e := range entries {
		if !e.Type().IsRegular() || !isAuditName(e.Name(), base) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, vault.AuditFile{Name: e.Name(), Data: data})
	}
	slices.SortFunc(files, func(x, y vault.AuditFile) int { return strings.Compare(x.Name, y.Name) })
	return files, nil
}

// keepImportedAudit writes a backup's audit files into a new folder beside
// the audit file, "<log>.imported-<time>-<random>", and returns its path. They are
// kept for reading: their MACs are keyed by the exporting vault.
func (a *Agent) keepImportedAudit(files []vault.AuditFile) (string, error) {
	logDir, base := filepath.Split(a.audit.Path())
	dir, err := os.MkdirTemp(logDir, base+".imported-"+a.cfg.Now().UTC().Format("20060102T150405Z")+"-")
	if err != nil {
		return "", err
	}
	for _, f := range files {
		out, err := os.OpenFile(filepath.Join(dir, filepath.Base(f.Name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return dir, err
		}
		_, err = out.Write(f.Data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return dir, fmt.Errorf("write %s: %w", f.Name, err)
		}
	}
	return dir, nil
}

package vault

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Global is the scope of secrets that apply everywhere.
const Global = "global"

// validateScope accepts Global or an absolute, cleaned directory path.
func validateScope(s string) error {
	if s == Global {
		return nil
	}
	switch {
	case len(s) > MaxScopeLen:
		return fmt.Errorf("%w: scope is longer than %d bytes", ErrInvalidName, MaxScopeLen)
	case !filepath.IsAbs(s):
		return fmt.Errorf("%w: scope %q: use %q or an absolute project directory", ErrInvalidName, s, Global)
	case filepath.Clean(s) != s:
		return fmt.Errorf("%w: scope %q is not a cleaned path (want %q)", ErrInvalidName, s, filepath.Clean(s))
	case strings.ContainsAny(s, "\x00\n\r"):
		return fmt.Errorf("%w: scope %q contains a control character", ErrInvalidName, s)
	}
	return nil
}

// normalizeScope maps "" to Global and cleans a project path; it then validates.
func normalizeScope(s string) (string, error) {
	if s == "" || s == Global {
		return Global, nil
	}
	if filepath.IsAbs(s) {
		s = filepath.Clean(s)
	}
	return s, validateScope(s)
}

// normalizeProject cleans a session's project directory; "" stays "".
func normalizeProject(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("%w: project %q is not an absolute directory", ErrInvalidName, p)
	}
	return filepath.Clean(p), nil
}

// within reports whether dir is scope or below it. Both are cleaned absolute paths.
func within(dir, scope string) bool {
	if dir == scope {
		return true
	}
	if !strings.HasPrefix(dir, scope) {
		return false
	}
	if strings.HasSuffix(scope, string(os.PathSeparator)) { // the root directory
		return true
	}
	return dir[len(scope)] == os.PathSeparator
}

// appliesTo reports whether a secret of this scope is visible in project.
func appliesTo(scope, project string) bool {
	return scope == Global || within(project, scope)
}

// scopesOverlap reports whether one resolution can see secrets of both scopes.
func scopesOverlap(a, b string) bool {
	return a == Global || b == Global || within(a, b) || within(b, a)
}

// scopeLess orders Global first, then project paths bytewise.
func scopeLess(a, b string) bool {
	if a == b {
		return false
	}
	if a == Global {
		return true
	}
	if b == Global {
		return false
	}
	return a < b
}

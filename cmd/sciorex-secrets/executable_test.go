package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWarnIfTemporary(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(os.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		exe  string
		warn bool
	}{
		{filepath.Join(tmp, "go-build123", "b001", "exe", "sciorex-secrets"), true},
		{"/opt/sciorex/bin/sciorex-secrets", false},
		{tmp + "-not-tmp/sciorex-secrets", false},
	}
	for _, tt := range tests {
		env, _, stderr := fakeHelpEnv()
		warnIfTemporary(env, tt.exe)
		if got := strings.Contains(stderr.String(), "warning:"); got != tt.warn {
			t.Errorf("%s: warned %v, want %v (%q)", tt.exe, got, tt.warn, stderr)
		}
	}
}

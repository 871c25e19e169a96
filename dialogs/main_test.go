package dialogs

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

// TestMain puts a fake zenity first in PATH before any test runs, because
// the zenity library looks the tool up once per process.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dialogs-fake-zenity")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "fake-zenity.sh"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "zenity"), script, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	os.Unsetenv("FAKE_ZENITY_DIR")
	// The fake zenity needs no display; a test about unreachable displays
	// sets this itself.
	unreachableDisplay = func(func(string) string) error { return nil }
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func sampleRequest() session.Request {
	return session.Request{
		ID:      7,
		Kind:    session.KindRun,
		Secrets: []string{"GITHUB_TOKEN", "NPM_TOKEN"},
		Agent: session.Identity{
			Claimed: "claude-code",
			Client:  session.Process{PID: 4242, Exe: "/usr/bin/node"},
		},
		Project: "/home/u/proj",
		Command: "npm publish --access public",
	}
}

//go:build !darwin && !windows

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fakeEnv(vars map[string]string) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return vars[k] }}, &stdout, &stderr
}

// One user's life with autostart, step by step, in a temporary
// XDG_CONFIG_HOME: every step's output and the file it leaves.
func TestAutostartXDG(t *testing.T) {
	const exe = "/opt/sciorex/bin/sciorex-secrets"
	config := t.TempDir()
	entry := filepath.Join(config, "autostart", "sciorex-secrets.desktop")
	golden, err := os.ReadFile(filepath.Join("testdata", "autostart", "sciorex-secrets.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		action string
		before func()
		stdout string // a substring
		file   []byte // nil: the entry must be absent
	}{
		{action: "status", stdout: "autostart: disabled"},
		{action: "disable", stdout: "already disabled"},
		{action: "enable", stdout: "autostart enabled", file: golden},
		{action: "enable", stdout: "already enabled", file: golden},
		{action: "status", stdout: "autostart: enabled\nentry: " + entry + "\n", file: golden},
		{action: "status", stdout: "not what this binary writes",
			before: func() { os.WriteFile(entry, []byte("[Desktop Entry]\nExec=/old/sx agent\n"), 0o600) },
			file:   []byte("[Desktop Entry]\nExec=/old/sx agent\n")},
		{action: "enable", stdout: "autostart enabled", file: golden},
		{action: "disable", stdout: "autostart disabled\nentry: " + entry + " (removed)"},
		{action: "disable", stdout: "already disabled"},
		{action: "status", stdout: "autostart: disabled"},
	}
	for i, step := range steps {
		if step.before != nil {
			step.before()
		}
		env, stdout, _ := fakeEnv(map[string]string{"XDG_CONFIG_HOME": config, "HOME": "/nonexistent"})
		a, err := newAutostart(env, exe)
		if err != nil {
			t.Fatal(err)
		}
		if err := autostartAction(env, a, step.action); err != nil {
			t.Fatalf("step %d %s: %v", i, step.action, err)
		}
		if !strings.Contains(stdout.String(), step.stdout) {
			t.Errorf("step %d %s: output %q does not contain %q", i, step.action, stdout.String(), step.stdout)
		}
		got, err := os.ReadFile(entry)
		switch {
		case step.file == nil && !os.IsNotExist(err):
			t.Errorf("step %d %s: entry should be absent, read: %v", i, step.action, err)
		case step.file != nil && !bytes.Equal(got, step.file):
			t.Errorf("step %d %s: entry = %q, want %q (err %v)", i, step.action, got, step.file, err)
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(config, "autostart", ".*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestAutostartXDGLocation(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"XDG_CONFIG_HOME", map[string]string{"XDG_CONFIG_HOME": "/x/conf", "HOME": home}, "/x/conf/autostart/sciorex-secrets.desktop"},
		{"HOME default", map[string]string{"HOME": home}, filepath.Join(home, ".config/autostart/sciorex-secrets.desktop")},
		{"relative XDG_CONFIG_HOME is ignored", map[string]string{"XDG_CONFIG_HOME": "conf", "HOME": home}, filepath.Join(home, ".config/autostart/sciorex-secrets.desktop")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _, _ := fakeEnv(tt.vars)
			a, err := newAutostart(env, "/opt/sx")
			if err != nil {
				t.Fatal(err)
			}
			if a.where != tt.want {
				t.Errorf("entry at %s, want %s", a.where, tt.want)
			}
		})
	}
}

// Through the CLI: the entry starts the binary that wrote it, with "agent".
func TestAutostartCommand(t *testing.T) {
	config := t.TempDir()
	exe, err := selfPath()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"autostart", "enable"}, exitOK, "autostart enabled", ""},
		{[]string{"autostart", "status"}, exitOK, "autostart: enabled", ""},
		{[]string{"autostart"}, exitUsage, "", "enable, disable, status"},
		{[]string{"autostart", "on"}, exitUsage, "", `unknown action "on"`},
		{[]string{"autostart", "disable"}, exitOK, "autostart disabled", ""},
	}
	for _, tt := range tests {
		env, stdout, stderr := fakeEnv(map[string]string{"XDG_CONFIG_HOME": config})
		if code := Main(context.Background(), env, tt.args); code != tt.code {
			t.Fatalf("%v: exit %d, want %d; stderr %s", tt.args, code, tt.code, stderr)
		}
		if !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%v: stdout %q stderr %q, want %q / %q", tt.args, stdout, stderr, tt.stdout, tt.stderr)
		}
		if tt.args[len(tt.args)-1] == "enable" {
			b, _ := os.ReadFile(filepath.Join(config, "autostart", "sciorex-secrets.desktop"))
			if !strings.Contains(string(b), "\nExec="+exe+" agent\n") {
				t.Errorf("entry does not start %s agent:\n%s", exe, b)
			}
		}
	}
}

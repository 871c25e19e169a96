package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every command answers --help (and -h) with its usage and an example that
// uses it, and exits 0; "help" lists every command.
func TestEveryCommandHelpHasExample(t *testing.T) {
	env, stdout, _ := fakeHelpEnv()
	if code := Main(context.Background(), env, []string{"help"}); code != exitOK {
		t.Fatalf("help exited %d", code)
	}
	list := stdout.String()
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(list, "\n  "+c.name+" ") {
				t.Errorf("help does not list %s", c.name)
			}
			for _, flag := range []string{"--help", "-h"} {
				env, stdout, stderr := fakeHelpEnv()
				if code := Main(context.Background(), env, []string{c.name, flag}); code != exitOK {
					t.Fatalf("%s %s exited %d; stderr: %s", c.name, flag, code, stderr)
				}
				out := stdout.String()
				if !strings.Contains(out, "example") || !strings.Contains(out, "usage: sciorex-secrets "+c.name) {
					t.Errorf("%s %s lacks the usage or an example:\n%s", c.name, flag, out)
				}
			}
			if !strings.Contains(c.example, c.name) {
				t.Errorf("the example %q does not use %s", c.example, c.name)
			}
		})
	}
}

func fakeHelpEnv() (*Env, *strings.Builder, *strings.Builder) {
	var stdout, stderr strings.Builder
	return &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}, &stdout, &stderr
}

// --version prints the version the build stamped in with the Makefile's
// -ldflags "-X main.version=...".
func TestVersionFromBuildFlags(t *testing.T) {
	env, stdout, _ := fakeHelpEnv()
	if code := Main(context.Background(), env, []string{"--version"}); code != exitOK || stdout.String() != "sciorex-secrets "+version+"\n" {
		t.Fatalf("--version: exit %d, %q", code, stdout)
	}
	bin := filepath.Join(t.TempDir(), "sciorex-secrets")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build with -ldflags: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || string(out) != "sciorex-secrets v9.8.7-test\n" {
		t.Errorf("--version = %q, %v; want the stamped version", out, err)
	}
}

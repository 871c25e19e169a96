package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The packages show the architecture: vault and audit import none of ours;
// session holds the policy; dialogs, mcp and tray talk to session only; cmd
// wires it together. This test keeps those edges true.
func TestArchitecture(t *testing.T) {
	const mod = "github.com/sciorex/sciorex-secrets/"
	allowed := map[string][]string{
		"vault":        {},
		"audit":        {},
		"session/mask": {},
		"session":      {"vault", "audit", "session/mask"},
		"dialogs":      {"session"},
		"mcp":          {"session"},
		"tray":         {"session"},
	}
	out, err := exec.Command("go", "list", "-test", "-f", `{{.ImportPath}}|{{join .Imports ","}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		pkg, _, _ = strings.Cut(strings.TrimPrefix(pkg, mod), " ") // "vault [vault.test]"
		pkg = strings.TrimSuffix(pkg, "_test")
		top := topPackage(pkg, allowed)
		if top == "" {
			continue // cmd and test-only helpers may import anything
		}
		for _, imp := range strings.Split(imports, ",") {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(imp, mod)
			if dep == top || strings.HasPrefix(dep, top+"/") {
				continue
			}
			if !contains(allowed[top], topPackage(dep, allowed)) {
				t.Errorf("%s imports %s: %s may import only %v of ours", pkg, dep, top, allowed[top])
			}
		}
	}
}

// topPackage maps a package to the architecture entry it belongs to.
func topPackage(pkg string, allowed map[string][]string) string {
	best := ""
	for name := range allowed {
		if (pkg == name || strings.HasPrefix(pkg, name+"/")) && len(name) > len(best) {
			best = name
		}
	}
	return best
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every package says what it is for in one package doc comment.
func TestPackageDocs(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{.Doc}}`, "github.com/sciorex/sciorex-secrets/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, doc, _ := strings.Cut(line, "|")
		if strings.Contains(pkg, "/internal/") {
			continue
		}
		if doc == "" {
			t.Errorf("%s has no package doc comment", pkg)
		}
	}
}

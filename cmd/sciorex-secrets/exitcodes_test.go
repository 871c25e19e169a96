package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The README's exit-code table and the exit* constants in errors.go list
// the same codes, so that scripts can rely on the documentation.
func TestExitCodesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented, err := parseExitCodeTable(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	defined := exitCodeConstants(t)
	for code, name := range defined {
		if _, ok := documented[code]; !ok {
			t.Errorf("%s = %d is not in README.md's exit-code table", name, code)
		}
	}
	for code, meaning := range documented {
		if _, ok := defined[code]; !ok {
			t.Errorf("README.md documents exit code %d (%s), which errors.go does not define", code, meaning)
		}
	}
}

// exitCodeConstants reads errors.go's exit* constants: code → name.
func exitCodeConstants(t *testing.T) map[int]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range spec.Names {
			if !strings.HasPrefix(name.Name, "exit") || i >= len(spec.Values) {
				continue
			}
			lit, ok := spec.Values[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.INT {
				t.Errorf("%s is not an integer literal; the test cannot read it", name.Name)
				continue
			}
			code, _ := strconv.Atoi(lit.Value)
			if other, dup := codes[code]; dup {
				t.Errorf("%s and %s share the code %d", other, name.Name, code)
			}
			codes[code] = name.Name
		}
		return true
	})
	if len(codes) == 0 {
		t.Fatal("no exit* constants found in errors.go")
	}
	return codes
}

var exitRow = regexp.MustCompile(`^\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$`)

// parseExitCodeTable reads the table under the "## Exit codes" heading:
// code → meaning. It fails if the section or its rows are missing, or a
// code is listed twice.
func parseExitCodeTable(readme string) (map[int]string, error) {
	_, section, ok := strings.Cut(readme, "\n## Exit codes\n")
	if !ok {
		return nil, fmt.Errorf("README.md has no \"## Exit codes\" section")
	}
	if next := strings.Index(section, "\n## "); next >= 0 {
		section = section[:next]
	}
	codes := map[int]string{}
	for _, line := range strings.Split(section, "\n") {
		m := exitRow.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		code, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("exit code %q: %v", m[1], err)
		}
		if _, dup := codes[code]; dup {
			return nil, fmt.Errorf("exit code %d is listed twice", code)
		}
		codes[code] = m[2]
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("the \"## Exit codes\" section has no table rows")
	}
	return codes, nil
}

func TestParseExitCodeTable(t *testing.T) {
	tests := []struct {
		name, readme string
		want         []int
		fails        bool
	}{
		{"table", "# x\n\n## Exit codes\n\n| code | meaning |\n|---|---|\n| 0 | ok |\n| 12 | new |\n\n## Next\n| 99 | not here |\n", []int{0, 12}, false},
		{"no section", "# x\n| 0 | ok |\n", nil, true},
		{"no rows", "## Exit codes\n\nnone\n", nil, true},
		{"duplicate", "## Exit codes\n| 1 | a |\n| 1 | b |\n", nil, true},
	}
	for _, tt := range tests {
		got, err := parseExitCodeTable(tt.readme)
		if (err != nil) != tt.fails {
			t.Errorf("%s: err = %v, want failure %v", tt.name, err, tt.fails)
			continue
		}
		if codes := slices.Sorted(maps.Keys(got)); !slices.Equal(codes, tt.want) {
			t.Errorf("%s: codes = %v, want %v", tt.name, codes, tt.want)
		}
	}
}

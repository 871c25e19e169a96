package mcp

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	mcplib "github.com/mark3labs/mcp-go/mcp"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestToolsGolden pins the advertised tools (names, parameters,
// annotations, descriptions): they are a contract with AI clients. Run
// with -update after a deliberate change, and update DEVELOPERS.md with it.
func TestToolsGolden(t *testing.T) {
	tools := make([]mcplib.Tool, len(toolSpecs))
	for i, s := range toolSpecs {
		tools[i] = s.tool()
	}
	got, err := json.MarshalIndent(tools, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "tools.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestToolsGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("tools differ from %s; if deliberate, run with -update and update the docs\n%s", path, got)
	}
}

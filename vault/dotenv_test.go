package vault

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// renderDotenv shows what ParseDotenv made of a file, one line per entry or
// problem, values quoted with %q.
func renderDotenv(entries []DotenvEntry, problems []DotenvProblem) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "line %d: %s=%q\n", e.Line, e.Name, e.Value.Bytes())
	}
	for _, p := range problems {
		fmt.Fprintf(&b, "line %d: problem: %s\n", p.Line, p.Reason)
	}
	return b.String()
}

func TestDotenvGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "dotenv", "*.env"))
	if len(files) == 0 {
		t.Fatal("no corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := renderDotenv(ParseDotenv(data))
			golden := strings.TrimSuffix(f, ".env") + ".golden"
			if *updateVectors {
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, _ := os.ReadFile(golden)
			if got != string(want) {
				t.Errorf("got:\n%s\nwant (%s):\n%s", got, golden, want)
			}
		})
	}
}

func TestDotenvCases(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"A=1", "line 1: A=\"1\"\n"},
		{"A=1\n\n\nB=2\n", "line 1: A=\"1\"\nline 4: B=\"2\"\n"},
		{"A=\"x\ny\nz\"\nB=2", "line 1: A=\"x\\ny\\nz\"\nline 4: B=\"2\"\n"},
		{"A='it''s'", "line 1: problem: unexpected text after the closing quote\n"},
		{"A=\"trailing backslash\\", "line 1: problem: the quote is never closed: this line and the rest of the file were not imported\n"},
		{"export A", "line 1: problem: no '=' after the name\n"},
		{"=value", "line 1: problem: the name is not a valid variable name (ASCII letters, digits, '_', '-' or '.', not starting with a digit)\n"},
		{"A\t=\t'x' # c", "line 1: A=\"x\"\n"},
		{"A=\"\\\"\"", "line 1: A=\"\\\"\"\n"},
		// An unquoted PEM block: its base64 lines (one ending in "==") are
		// not read as lines of their own, so no key material becomes a name.
		{"KEY=-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8w\nAbCdEfGhIjKlMnOpQrStUvWxYz0123==\n-----END PRIVATE KEY-----\nB=2\n",
			"line 5: B=\"2\"\nline 1: problem: a multi-line PEM block without quotes (lines 1 to 4 skipped): put it in double quotes, or store it with \"set --value-stdin\"\n"},
	}
	for _, tt := range tests {
		if got := renderDotenv(ParseDotenv([]byte(tt.in))); got != tt.want {
			t.Errorf("ParseDotenv(%q):\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

// Case B05 (a dotenv conversion printed the value that broke it): the
// reasons never quote the file, so a canary in every bad line stays out.
func TestCaseB05DotenvProblems(t *testing.T) {
	const canary = "CANARY-hunter2"
	in := strings.Join([]string{
		canary, "BAD NAME=" + canary, canary + "=x", "A=\"" + canary + "\" " + canary,
		"1X=" + canary, "A='" + canary,
	}, "\n")
	_, problems := ParseDotenv([]byte(in))
	if len(problems) != 5 {
		t.Errorf("%d problems, want 5: %+v", len(problems), problems)
	}
	for _, p := range problems {
		if strings.Contains(p.Reason, "CANARY") {
			t.Errorf("line %d: reason quotes the file: %s", p.Line, p.Reason)
		}
	}
}

func FuzzParseDotenv(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "dotenv", "*.env"))
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	f.Add([]byte("A=\"\\"))
	f.Add([]byte("export\texport=1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		entries, problems := ParseDotenv(data)
		if !bytes.Equal(orig, data) {
			t.Fatal("the input was modified")
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		seen := map[string]bool{}
		for _, e := range entries {
			if _, err := EnvName(e.Name); err != nil {
				t.Fatalf("entry with a bad name %q", e.Name)
			}
			if seen[e.Name] {
				t.Fatalf("name %q twice", e.Name)
			}
			seen[e.Name] = true
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("entry line %d of %d", e.Line, lines)
			}
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Reason == "" {
				t.Fatalf("problem %+v of %d lines", p, lines)
			}
		}
	})
}

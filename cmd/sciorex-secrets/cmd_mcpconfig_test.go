package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestMCPConfigSnippets(t *testing.T) {
	plain := mcpServer{Command: "/opt/sciorex/bin/sciorex-secrets", Args: []string{"mcp"}}
	pinned := mcpServer{
		Command: "/home/me/my tools/sciorex-secrets",
		Args:    []string{"mcp", "--project", "/home/me/src/it's here"},
		Env:     map[string]string{"SCIOREX_SOCKET": "/run/user/1000/sx/agent.sock"},
	}
	windows := mcpServer{Command: `C:\Program Files\sciorex\sciorex-secrets.exe`, Args: []string{"mcp"}}
	tests := []struct {
		client string
		server mcpServer
		goos   string
		golden string
	}{
		{"claude-desktop", plain, "linux", "claude-desktop.golden"},
		{"claude-code", plain, "linux", "claude-code.golden"},
		{"cursor", plain, "linux", "cursor.golden"},
		{"vscode", plain, "linux", "vscode.golden"},
		{"generic", plain, "linux", "generic.golden"},
		{"claude-code", pinned, "linux", "claude-code-pinned.golden"},
		{"vscode", pinned, "linux", "vscode-pinned.golden"},
		{"claude-code", windows, "windows", "claude-code-windows.golden"},
		{"claude-desktop", windows, "windows", "claude-desktop-windows.golden"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.golden, ".golden"), func(t *testing.T) {
			c, ok := findMCPClient(tt.client)
			if !ok {
				t.Fatalf("client %q missing", tt.client)
			}
			checkGolden(t, filepath.Join("mcp-config", tt.golden), []byte(c.render(tt.server, tt.goos)))
		})
	}
}

func TestMCPConfigLocations(t *testing.T) {
	linux := userDirs{goos: "linux", home: "/home/me", config: "/home/me/.config"}
	darwin := userDirs{goos: "darwin", home: "/Users/me", config: "/Users/me/Library/Application Support"}
	windows := userDirs{goos: "windows", home: `C:\Users\me`, appData: `C:\Users\me\AppData\Roaming`, config: `C:\Users\me\AppData\Roaming`}
	tests := []struct {
		client string
		dirs   userDirs
		want   string // a substring of the answer
	}{
		{"claude-desktop", darwin, "/Users/me/Library/Application Support/Claude/claude_desktop_config.json"},
		{"claude-desktop", windows, `C:\Users\me\AppData\Roaming\Claude\claude_desktop_config.json`},
		{"claude-desktop", linux, "/home/me/.config/Claude/claude_desktop_config.json"},
		{"cursor", linux, "/home/me/.cursor/mcp.json"},
		{"cursor", windows, `C:\Users\me\.cursor\mcp.json`},
		{"cursor", darwin, ".cursor/mcp.json in a project"},
		{"vscode", linux, "/home/me/.config/Code/User/mcp.json"},
		{"vscode", darwin, "/Users/me/Library/Application Support/Code/User/mcp.json"},
		{"vscode", windows, `.vscode\mcp.json in a workspace`},
		{"claude-code", linux, ""},
		{"generic", windows, ""},
	}
	for _, tt := range tests {
		t.Run(tt.client+"/"+tt.dirs.goos, func(t *testing.T) {
			c, _ := findMCPClient(tt.client)
			got := c.where(tt.dirs)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("where = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ word, goos, want string }{
		{"/opt/bin/sciorex-secrets", "linux", "/opt/bin/sciorex-secrets"},
		{"/home/me/my tools/sx", "linux", "'/home/me/my tools/sx'"},
		{"/home/it's/sx", "darwin", `'/home/it'\''s/sx'`},
		{"/a/$HOME/`x`", "linux", "'/a/$HOME/`x`'"},
		{"", "linux", "''"},
		{`C:\tools\sx.exe`, "windows", `C:\tools\sx.exe`},
		{`C:\Program Files\sx.exe`, "windows", `"C:\Program Files\sx.exe"`},
		{`C:\tools\sx.exe`, "linux", `'C:\tools\sx.exe'`},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.word, tt.goos); got != tt.want {
			t.Errorf("shellQuote(%q, %s) = %s, want %s", tt.word, tt.goos, got, tt.want)
		}
	}
}

func TestMCPConfigCommand(t *testing.T) {
	exe, err := selfPath()
	if err != nil {
		t.Fatal(err)
	}
	project := t.TempDir()
	tests := []struct {
		args       []string
		code       int
		stdout     string // substrings
		stderr     string
		stdoutNone string
	}{
		{args: []string{"mcp-config"}, stdout: `"command": "` + exe + `"`, stdoutNone: "Put this"},
		{args: []string{"mcp-config", "cursor"}, stdout: `"mcpServers"`, stderr: ".cursor/mcp.json"},
		{args: []string{"mcp-config", "claude-code"}, stdout: "claude mcp add --scope user sciorex-secrets -- " + shellQuote(exe, "linux") + " mcp\n"},
		{args: []string{"mcp-config", "vscode", "--project", project}, stdout: `"` + project + `"`, stderr: ".vscode/mcp.json"},
		{args: []string{"mcp-config", "--project", project, "claude-desktop"}, stdout: `"--project"`, stderr: "claude_desktop_config.json"},
		{args: []string{"mcp-config", "notepad"}, code: exitUsage, stderr: "unknown client \"notepad\""},
		{args: []string{"mcp-config", "cursor", "vscode"}, code: exitUsage, stderr: "one client name"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
			if code := Main(context.Background(), env, tt.args); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.stderr)
			}
			if tt.stdoutNone != "" && strings.Contains(stdout.String(), tt.stdoutNone) {
				t.Errorf("stdout %q contains %q", stdout.String(), tt.stdoutNone)
			}
		})
	}
}

// The snippet names the real binary even when it was started through a
// symlink (a ~/bin link, a package manager's shim).
func TestMCPConfigResolvesSymlinks(t *testing.T) {
	real, err := filepath.EvalSymlinks(binPath)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "sx-link")
	if err := os.Symlink(binPath, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	out, err := exec.Command(link, "mcp-config", "generic").Output()
	if err != nil {
		t.Fatalf("mcp-config through a symlink: %v", err)
	}
	if !strings.Contains(string(out), `"command": "`+real+`"`) {
		t.Errorf("snippet does not name %s:\n%s", real, out)
	}
}

func TestMCPConfigPassesSocketOverride(t *testing.T) {
	env := &Env{Getenv: func(k string) string {
		if k == "SCIOREX_SOCKET" {
			return "/tmp/sx/agent.sock"
		}
		return ""
	}}
	s, err := bridgeServer(env, "/opt/sx", "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Env["SCIOREX_SOCKET"] != "/tmp/sx/agent.sock" {
		t.Errorf("env = %v, want SCIOREX_SOCKET passed to the client", s.Env)
	}
}

// Clients start the bridge with little of their environment. When the
// agent's socket is found through a variable they would drop (a
// XDG_RUNTIME_DIR that is not /run/user/<uid>), the snippet passes its
// path; when the bridge finds it anyway, the snippet stays plain.
func TestMCPConfigPassesSocketTheClientWouldNotFind(t *testing.T) {
	for _, tc := range []struct {
		name    string
		vars    map[string]string
		wantEnv bool
	}{
		{"custom runtime dir", map[string]string{"HOME": "/home/u", "XDG_RUNTIME_DIR": "/tmp/custom-run"}, true},
		{"nothing set", map[string]string{"HOME": "/home/u"}, false},
	} {
		env := &Env{Getenv: func(k string) string { return tc.vars[k] }}
		s, err := bridgeServer(env, "/opt/sx", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Env["SCIOREX_SOCKET"]; (got != "") != tc.wantEnv {
			t.Errorf("%s: env %v, want SCIOREX_SOCKET: %v", tc.name, s.Env, tc.wantEnv)
		}
		if tc.wantEnv && s.Env["SCIOREX_SOCKET"] != "/tmp/custom-run/sciorex-secrets/agent.sock" {
			t.Errorf("%s: SCIOREX_SOCKET %q", tc.name, s.Env["SCIOREX_SOCKET"])
		}
	}
}

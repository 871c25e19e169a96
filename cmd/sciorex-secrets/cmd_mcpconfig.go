package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/sciorex/sciorex-secrets/mcp"
)

// mcpServerName is the name under which every client lists sciorex-secrets.
const mcpServerName = "sciorex-secrets"

// mcpServer is what a client needs to launch the stdio bridge.
type mcpServer struct {
	Command string            // absolute path of the binary
	Args    []string          // "mcp" and its flags
	Env     map[string]string // variables the bridge needs and the client would not pass (SCIOREX_SOCKET)
}

// userDirs are the per-user folders the client config files live in, for
// one OS; a value, so that every OS's answer can be tested anywhere.
type userDirs struct {
	goos    string
	home    string
	appData string // %APPDATA% (Windows only)
	config  string // os.UserConfigDir: ~/.config, ~/Library/Application Support, %APPDATA%
}

// mcpClient is one AI client mcp-config can configure.
type mcpClient struct {
	name   string
	render func(s mcpServer, goos string) string
	// where says which file the snippet goes into, or "" when the snippet
	// is a command or the client is unknown.
	where func(d userDirs) string
}

func mcpClients() []mcpClient {
	return []mcpClient{
		{"claude-desktop", renderMCPServers, whereClaudeDesktop},
		{"claude-code", renderClaudeCode, func(userDirs) string { return "" }},
		{"cursor", renderMCPServers, whereCursor},
		{"vscode", renderVSCode, whereVSCode},
		{"generic", renderMCPServers, func(userDirs) string { return "" }},
	}
}

func mcpClientNames() string {
	var names []string
	for _, c := range mcpClients() {
		names = append(names, c.name)
	}
	return strings.Join(names, "|")
}

// runMCPConfig prints the configuration snippet for one client on stdout
// (so that it can be redirected into a file) and where it goes on stderr.
func runMCPConfig(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("mcp-config")
	project := fs.String("project", "", "pin the bridge to this project directory")
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	name := "generic"
	switch len(pos) {
	case 0:
	case 1:
		name = pos[0]
	default:
		return usagef("mcp-config takes one client name: %s", mcpClientNames())
	}
	client, ok := findMCPClient(name)
	if !ok {
		return usagef("mcp-config: unknown client %q; choose one of %s", name, mcpClientNames())
	}
	exe, err := selfPath()
	if err != nil {
		return err
	}
	warnIfTemporary(env, exe)
	server, err := bridgeServer(env, exe, *project)
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, client.render(server, runtime.GOOS))
	if where := client.where(currentUserDirs(env)); where != "" {
		fmt.Fprintf(env.Stderr, "\nPut this in %s, then restart the client.\n"+
			"If the file already lists servers, add the %q entry beside them.\n", where, mcpServerName)
	}
	return nil
}

func findMCPClient(name string) (mcpClient, bool) {
	for _, c := range mcpClients() {
		if c.name == name {
			return c, true
		}
	}
	return mcpClient{}, false
}

// bridgeServer describes the bridge launched from exe, pinned to project
// when it is not empty.
func bridgeServer(env *Env, exe, project string) (mcpServer, error) {
	s := mcpServer{Command: exe, Args: []string{"mcp"}}
	if project != "" {
		abs, err := filepath.Abs(project)
		if err != nil {
			return mcpServer{}, fmt.Errorf("resolve the project directory %s: %w", project, err)
		}
		s.Args = append(s.Args, "--project", abs)
	}
	// Clients start servers with few variables (often HOME and PATH only):
	// when the bridge would then look for the agent elsewhere, say where.
	sock := mcp.SocketPathFrom(env.Getenv)
	if sock != mcp.SocketPathFrom(minimalEnv(env.Getenv)) {
		s.Env = map[string]string{"SCIOREX_SOCKET": sock}
	}
	return s, nil
}

// minimalEnv is what a client that passes little of its environment gives
// the servers it starts.
func minimalEnv(getenv func(string) string) func(string) string {
	return func(key string) string {
		switch key {
		case "HOME", "PATH", "USER", "LOGNAME", "SHELL", "TERM", "APPDATA", "USERPROFILE", "SystemRoot":
			return getenv(key)
		}
		return ""
	}
}

func currentUserDirs(env *Env) userDirs {
	d := userDirs{goos: runtime.GOOS, appData: env.Getenv("APPDATA")}
	d.home, _ = os.UserHomeDir()
	d.config, _ = os.UserConfigDir()
	return d
}

// stdioEntry is one server in the "mcpServers" format shared by Claude
// Desktop, Cursor and most other clients; VS Code adds "type".
type stdioEntry struct {
	Type    string            `json:"type,omitempty"`
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env,omitempty"`
}

func renderMCPServers(s mcpServer, _ string) string {
	return indentJSON(map[string]any{"mcpServers": map[string]stdioEntry{
		mcpServerName: {Command: s.Command, Args: s.Args, Env: s.Env},
	}})
}

func renderVSCode(s mcpServer, _ string) string {
	return indentJSON(map[string]any{"servers": map[string]stdioEntry{
		mcpServerName: {Type: "stdio", Command: s.Command, Args: s.Args, Env: s.Env},
	}})
}

// indentJSON renders v as indented JSON ending in a newline. The values
// rendered here are strings, maps and slices, which always marshal.
func indentJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic("mcp-config: " + err.Error())
	}
	return b.String()
}

// renderClaudeCode is the "claude mcp add" command, at user scope so that
// it applies in every project (the bridge finds the project itself).
func renderClaudeCode(s mcpServer, goos string) string {
	words := []string{"claude", "mcp", "add", "--scope", "user"}
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		words = append(words, "--env", shellQuote(k+"="+s.Env[k], goos))
	}
	words = append(words, mcpServerName, "--", shellQuote(s.Command, goos))
	for _, a := range s.Args {
		words = append(words, shellQuote(a, goos))
	}
	return strings.Join(words, " ") + "\n"
}

// shellQuote quotes a word for the user's shell when it needs it: POSIX
// single quotes, or double quotes for Windows (cmd and PowerShell).
func shellQuote(word, goos string) string {
	safe := word != "" && strings.IndexFunc(word, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r) ||
			goos == "windows" && r == '\\')
	}) < 0
	switch {
	case safe:
		return word
	case goos == "windows":
		return `"` + strings.ReplaceAll(word, `"`, `\"`) + `"`
	}
	return "'" + strings.ReplaceAll(word, "'", `'\''`) + "'"
}

// joinFor joins path elements with the separator of goos.
func joinFor(goos string, elem ...string) string {
	if goos == "windows" {
		return strings.Join(elem, `\`)
	}
	return strings.Join(elem, "/")
}

func whereClaudeDesktop(d userDirs) string {
	switch d.goos {
	case "darwin":
		return joinFor(d.goos, d.home, "Library", "Application Support", "Claude", "claude_desktop_config.json")
	case "windows":
		return joinFor(d.goos, d.appData, "Claude", "claude_desktop_config.json")
	}
	return joinFor(d.goos, d.config, "Claude", "claude_desktop_config.json") +
		" (Claude Desktop has no official build for this OS; community builds read this file)"
}

func whereCursor(d userDirs) string {
	return joinFor(d.goos, d.home, ".cursor", "mcp.json") + " (every project) or .cursor" +
		joinFor(d.goos, "", "mcp.json") + " in a project"
}

func whereVSCode(d userDirs) string {
	return ".vscode" + joinFor(d.goos, "", "mcp.json") + " in a workspace, or " +
		joinFor(d.goos, d.config, "Code", "User", "mcp.json") + ` (every workspace; "MCP: Open User Configuration")`
}

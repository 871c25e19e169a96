// Command sciorex-secrets lets AI agents use API keys and tokens without
// seeing them: an agent holds an encrypted vault, serves MCP on a local
// socket and asks the human before every use of a secret.
//
// Run "sciorex-secrets help" for the commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if len(os.Args) > 1 {
		tuneGC(os.Args[1])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := Main(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// tuneGC fits the garbage collector to the command's life. GOGC in the
// environment wins over both settings.
func tuneGC(command string) {
	if os.Getenv("GOGC") != "" {
		return
	}
	switch command {
	case "list":
		// A listing is decoded, printed, and the process exits: collecting
		// its garbage is wasted work (a third of the CPU time at 10,000
		// secrets). The memory limit still bounds a runaway answer.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(256 << 20)
	case "agent":
		// The agent stays resident and is idle most of the time: a heap
		// goal at 1.5 times the live data instead of 2 costs a little CPU
		// in bursts (a listing of thousands of secrets) and keeps about
		// 20 MB less resident at 10,000 secrets.
		debug.SetGCPercent(50)
	}
}

// Env is what a command may touch of the outside world, so that commands
// can be tested as functions.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string
	usage   string // the lines after "usage: sciorex-secrets "
	example string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"init", "create a new vault (never overwrites)", "init [--vault PATH] [--password-stdin]",
			"printf '%s\\n' \"$PW\" | sciorex-secrets init --password-stdin", runInit},
		{"agent", "run the agent: tray, dialogs and the MCP socket", "agent [--vault PATH] [--no-tray] [--password-stdin]",
			"sciorex-secrets agent", runAgent},
		{"status", "say whether the agent runs and the vault is unlocked", "status [--json]",
			"sciorex-secrets status", runStatus},
		{"unlock", "unlock the vault in the running agent", "unlock [--password-stdin]",
			"sciorex-secrets unlock", runUnlock},
		{"lock", "lock the vault: the key is wiped from memory", "lock", "sciorex-secrets lock", runLock},
		{"set", "store a secret; the value is typed into a dialog or read from stdin",
			"set NAME [--collection C] [--tag T]... [--description D] [--project DIR | --global] [--access LEVEL] [--value-stdin]",
			"sciorex-secrets set GITHUB_TOKEN --collection GitHub --tag ci", runSet},
		{"list", "list secrets (metadata only, never values)", "list [--collection C] [--search Q] [--json]",
			"sciorex-secrets list --collection GitHub", runList},
		{"delete", "delete a secret", "delete NAME [--project DIR | --global]",
			"sciorex-secrets delete OLD_TOKEN", runDelete},
		{"access", "set the AI access level of a secret or a whole collection", "access deny|use|reveal (NAME | --collection C) [--project DIR | --global]",
			"sciorex-secrets access deny --collection Production", runAccess},
		{"collection", "list collections, or add, describe or tag one",
			"collection list [--json] | add NAME [--description D] [--tag T]... [--access LEVEL] | describe NAME DESCRIPTION | tag NAME TAG...",
			"sciorex-secrets collection add Production --description \"live keys\" --access deny", runCollection},
		{"export", "write an encrypted backup of every secret (its own passphrase)",
			"export --out FILE [--passphrase-stdin] [--include-audit] [--force]",
			"sciorex-secrets export --out ~/backup.sxb", runExport},
		{"import", "restore a backup, or read a .env file into a collection",
			"import FILE [--passphrase-stdin] [--on-conflict skip|overwrite|rename] [--dry-run] [--from export|dotenv] [--collection C] [--json]",
			"sciorex-secrets import --from dotenv .env --collection myapp --dry-run", runImport},
		{"run", "run a command with secrets in its environment, masked in its output",
			"run [--secret NAME]... [--project DIR] -- CMD [ARGS...]",
			"sciorex-secrets run --secret GITHUB_TOKEN -- gh api user", runRun},
		{"mcp", "stdio bridge for AI clients (launched by the client)", "mcp [--project DIR]",
			`{"command": "sciorex-secrets", "args": ["mcp"]}`, runMCP},
		{"audit", "verify or show the audit trail", "audit verify | audit tail [-n N] [--follow] [--json]",
			"sciorex-secrets audit tail -n 20", runAudit},
		{"passwd", "change the master password (only the wrapped key is rewritten)", "passwd [--vault PATH] [--password-stdin]",
			"sciorex-secrets passwd", runPasswd},
		{"paths", "print where the vault, audit file, config and socket are", "paths",
			"sciorex-secrets paths", runPaths},
		{"mcp-config", "print the setup snippet for an AI client, with this binary's path",
			"mcp-config [claude-desktop|claude-code|cursor|vscode|generic] [--project DIR]",
			"sciorex-secrets mcp-config claude-desktop", runMCPConfig},
		{"autostart", "start the agent when you log in, or stop doing so", "autostart enable|disable|status",
			"sciorex-secrets autostart enable", runAutostart},
	}
}

// Main runs the CLI and returns the process exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		usage(env.Stdout)
		return exitOK
	case "version", "--version", "-version":
		fmt.Fprintf(env.Stdout, "sciorex-secrets %s\n", version)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		if wantsHelp(args[1:]) {
			commandHelp(env.Stdout, c)
			return exitOK
		}
		err := c.run(ctx, env, args[1:])
		return report(env.Stderr, err)
	}
	fmt.Fprintf(env.Stderr, "sciorex-secrets: error: unknown command %q\nhint: run \"sciorex-secrets help\" for the list of commands\n", args[0])
	return exitUsage
}

func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "sciorex-secrets %s: let AI agents use your secrets without seeing them\n\nusage: sciorex-secrets COMMAND [ARGS]\n\ncommands:\n", version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"sciorex-secrets COMMAND --help\" for a command's flags and an example.\n")
}

func commandHelp(w io.Writer, c command) {
	fmt.Fprintf(w, "usage: sciorex-secrets %s\n\n%s\n\nexample:\n  %s\n", c.usage, c.summary, c.example)
}

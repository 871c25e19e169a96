package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/sciorex/sciorex-secrets/mcp"
)

// Paths are the files sciorex-secrets uses.
type Paths struct {
	Vault  string // the encrypted vault
	Audit  string // the audit trail, beside the vault
	Config string // the settings file
	Socket string // the agent's socket
}

// resolvePaths applies, in order: the --vault flag, SCIOREX_VAULT, the
// config file's vault, the platform default; the result is absolute, with
// symbolic links resolved.
func resolvePaths(env *Env, vaultFlag string) Paths {
	p := Paths{Config: configPath(env), Socket: mcp.SocketPathFrom(env.Getenv)}
	cfg, _ := loadConfig(p.Config)
	switch {
	case vaultFlag != "":
		p.Vault = vaultFlag
	case env.Getenv("SCIOREX_VAULT") != "":
		p.Vault = env.Getenv("SCIOREX_VAULT")
	case cfg.Vault != "":
		p.Vault = cfg.Vault
	default:
		p.Vault = filepath.Join(dataDir(env), "sciorex-secrets", "vault.sxv")
	}
	if abs, err := filepath.Abs(p.Vault); err == nil {
		p.Vault = abs
	}
	// A vault reached through a symbolic link is the file it points to:
	// its locks, its audit trail and its writes are that file's, however
	// it is named, so that two agents cannot each own it by another name.
	if real, err := filepath.EvalSymlinks(p.Vault); err == nil {
		p.Vault = real
	}
	p.Audit = auditPathFor(p.Vault)
	return p
}

// auditPathFor puts the audit trail beside the vault: vault.sxv → vault.audit.jsonl.
func auditPathFor(vaultPath string) string {
	return strings.TrimSuffix(vaultPath, filepath.Ext(vaultPath)) + ".audit.jsonl"
}

func dataDir(env *Env) string {
	if d := env.Getenv("XDG_DATA_HOME"); d != "" && runtime.GOOS != "windows" {
		return d
	}
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support")
	case "windows":
		if d := env.Getenv("APPDATA"); d != "" {
			return d
		}
	}
	return filepath.Join(home, ".local", "share")
}

func configPath(env *Env) string {
	if p := env.Getenv("SCIOREX_CONFIG"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "sciorex-secrets", "config.json")
}

func runPaths(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("paths")
	vaultFlag := fs.String("vault", "", "vault file")
	if _, _, err := parse(fs, args); err != nil {
		return err
	}
	p := resolvePaths(env, *vaultFlag)
	fmt.Fprintf(env.Stdout, "vault:  %s\naudit:  %s\nconfig: %s\nsocket: %s\n", p.Vault, p.Audit, p.Config, p.Socket)
	return nil
}

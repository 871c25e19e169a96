package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sciorex/sciorex-secrets/dialogs"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/vault"
)

func runInit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("init")
	vaultFlag := fs.String("vault", "", "vault file")
	pwStdin := fs.Bool("password-stdin", false, "read the new master password from stdin")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("init takes no arguments")
	}
	p := resolvePaths(env, *vaultFlag)
	if _, err := os.Stat(p.Vault); err == nil {
		return fmt.Errorf("a vault already exists at %s: %w", p.Vault, vault.ErrExists)
	}
	cfg, err := loadConfig(p.Config)
	if err != nil {
		return err
	}
	ui := dialogs.Auto(dialogs.Env{Askpass: cfg.Askpass, Getenv: env.Getenv, Stderr: env.Stderr})
	v, err := createVault(ctx, env, ui, p.Vault, cfg, *pwStdin)
	if err != nil {
		return err
	}
	v.Lock()
	fmt.Fprintf(env.Stdout, "created vault %s\n", p.Vault)
	return nil
}

// createVault asks for a new master password (stdin, or the UI) and
// creates the vault at path.
func createVault(ctx context.Context, env *Env, ui session.UI, path string, cfg Config, pwStdin bool) (*vault.Vault, error) {
	var pw []byte
	var err error
	if pwStdin {
		pw, err = readSecretLine(env.Stdin, "master password")
	} else {
		pw, err = ui.Password(ctx, session.PasswordPrompt{Vault: path, New: true, Purpose: "create the vault"})
	}
	if err != nil {
		return nil, fmt.Errorf("no master password: %w", err)
	}
	defer clear(pw)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	return vault.Create(path, pw, vaultOptions(cfg))
}

func vaultOptions(cfg Config) vault.Options {
	var opts vault.Options
	if cfg.KDF != nil {
		opts.KDF = vault.KDFParams{Time: cfg.KDF.Time, MemoryKiB: cfg.KDF.MemoryKiB, Threads: cfg.KDF.Threads}
	}
	for _, name := range cfg.DefaultCollections {
		opts.Collections = append(opts.Collections, vault.Collection{Name: name})
	}
	if cfg.DefaultAccess != "" {
		opts.DefaultAccess = vault.Access(cfg.DefaultAccess)
	}
	return opts
}

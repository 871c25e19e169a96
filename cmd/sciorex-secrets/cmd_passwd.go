package main

import (
	"bufio"
	"context"
	"fmt"

	"github.com/sciorex/sciorex-secrets/dialogs"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/vault"
)

// runPasswd changes the master password. It needs the current password,
// so an AI agent with a shell cannot use it; only the wrapped data key is
// rewritten, and a running agent keeps working.
func runPasswd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("passwd")
	vaultFlag := fs.String("vault", "", "vault file")
	pwStdin := fs.Bool("password-stdin", false, "read the current password, then the new one, one per line from stdin")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("passwd takes no arguments")
	}
	p := resolvePaths(env, *vaultFlag)
	v, err := vault.Open(p.Vault)
	if err != nil {
		return err
	}
	var old, pw []byte
	if *pwStdin {
		r := bufio.NewReader(env.Stdin)
		if old, err = readSecretLine(r, "current password"); err != nil {
			return err
		}
		if pw, err = readSecretLine(r, "new password"); err != nil {
			clear(old)
			return err
		}
	} else {
		cfg, _ := loadConfig(p.Config)
		ui := dialogs.Auto(dialogs.Env{Askpass: cfg.Askpass, Getenv: env.Getenv, Stderr: env.Stderr})
		if old, err = ui.Password(ctx, session.PasswordPrompt{Vault: p.Vault, Purpose: "change the master password: current password"}); err != nil {
			return err
		}
		if pw, err = ui.Password(ctx, session.PasswordPrompt{Vault: p.Vault, New: true, Purpose: "new master password"}); err != nil {
			clear(old)
			return err
		}
	}
	defer clear(old)
	defer clear(pw)
	if err := v.Unlock(old); err != nil {
		return err
	}
	defer v.Lock()
	if err := v.ChangePassword(old, pw); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "master password changed")
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/dialogs"
	"github.com/sciorex/sciorex-secrets/mcp"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/tray"
	"github.com/sciorex/sciorex-secrets/vault"
)

func runAgent(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("agent")
	vaultFlag := fs.String("vault", "", "vault file")
	noTray := fs.Bool("no-tray", false, "run without the tray icon")
	pwStdin := fs.Bool("password-stdin", false, "read the master password from stdin")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("agent takes no arguments")
	}
	p := resolvePaths(env, *vaultFlag)
	cfg, err := loadConfig(p.Config)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(env.Stderr, "sciorex-secrets: "+format+"\n", args...)
	}
	hardenProcess(logf)

	if err := os.MkdirAll(dirOf(p.Vault), 0o700); err != nil {
		return err
	}
	release, err := vault.Own(p.Vault)
	if err != nil {
		return fmt.Errorf("cannot start the agent for %s: %w", p.Vault, err)
	}
	defer release()

	ui := dialogs.Auto(dialogs.Env{Askpass: cfg.Askpass, Getenv: env.Getenv, Stderr: env.Stderr})
	logf("approvals: %s", dialogs.Describe(ui))

	v, err := openOrCreate(ctx, env, ui, p.Vault, cfg, *pwStdin, logf)
	if err != nil {
		return err
	}
	log, err := audit.Open(p.Audit, audit.Options{})
	if err != nil {
		return fmt.Errorf("cannot open the audit trail: %w", err)
	}
	defer log.Close()

	agent, err := session.NewAgent(session.Config{
		Vault: v, Audit: log, UI: ui, Logf: logf,
		ApprovalTimeout: cfg.approvalTimeout(), GrantTTL: cfg.grantTTL(),
		Settings: session.Settings{AutoLockMinutes: cfg.AutoLockMinutes, RememberUnlock: cfg.Keyring},
		KeyStore: dialogs.Keyring{Getenv: env.Getenv},
	})
	if err != nil {
		return err
	}
	defer agent.Close()

	if v.Locked() && cfg.Keyring {
		if err := agent.UnlockRemembered(ctx); err == nil {
			logf("unlocked with the key kept in the OS keyring")
		} else {
			logf("OS keyring: %v; asking for the password", err)
		}
	}
	if v.Locked() {
		if err := unlockAtStart(ctx, env, agent, *pwStdin); err != nil {
			if errors.Is(err, vault.ErrDamaged) {
				return err
			}
			logf("vault stays locked (%v); unlock it from the tray or with \"sciorex-secrets unlock\"", err)
		}
	}

	ln, err := mcp.Listen(p.Socket)
	if err != nil {
		return err
	}
	server := mcp.NewServer(mcp.AgentBackend(agent), mcp.Options{
		Version:   version,
		Logf:      logf,
		OnRefused: refusedAuditor(log, logf),
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if *noTray {
		logf("running without the tray (--no-tray)")
	} else if ok, why := tray.Available(); !ok {
		logf("no tray: %s", why)
	} else {
		backup := trayBackup{agent: agent, chooser: dialogs.Chooser{Getenv: env.Getenv}, notify: ui}
		stop, err := tray.Run(ctx, agent, tray.Options{
			Title: "sciorex-secrets", OnQuit: cancel, Logf: logf,
			Settings: &settingsStore{agent: agent, path: p.Config},
			Export:   backup.export, Import: backup.importFile,
		})
		if err != nil {
			logf("no tray: %v; running headless", err)
		} else {
			defer stop()
		}
	}
	lockOnSuspend(ctx, func() { _ = agent.LockFor("system going to sleep") }, logf)
	logf("agent ready: vault %s, socket %s", p.Vault, p.Socket)
	err = server.Serve(ctx, ln)
	logf("agent stopped")
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// openOrCreate opens the vault, or creates it when there is none yet.
func openOrCreate(ctx context.Context, env *Env, ui session.UI, path string, cfg Config, pwStdin bool, logf func(string, ...any)) (*vault.Vault, error) {
	v, err := vault.Open(path)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return v, err
	}
	logf("no vault at %s yet: creating one", path)
	return createVault(ctx, env, ui, path, cfg, pwStdin)
}

func unlockAtStart(ctx context.Context, env *Env, agent *session.Agent, pwStdin bool) error {
	if pwStdin {
		pw, err := readSecretLine(env.Stdin, "master password")
		if err != nil {
			return err
		}
		return agent.UnlockWithPassword(pw)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	return agent.Unlock(ctx)
}

// refusedAuditor records connections refused for their peer credentials.
func refusedAuditor(log *audit.Log, logf func(string, ...any)) func(session.PeerCred, string) {
	return func(c session.PeerCred, reason string) {
		logf("refused a connection from uid %d pid %d: %s", c.UID, c.PID, reason)
		_, _ = log.Append(audit.Record{
			Event:    "connect_refused",
			Verified: session.IdentifyPeer(c).Verified(),
			Detail:   fmt.Sprintf("uid %d: %s", c.UID, reason),
		})
	}
}

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sciorex/sciorex-secrets/dialogs"
	"github.com/sciorex/sciorex-secrets/session"
)

// trayBackup runs the tray's Export and Import: a native file chooser, then
// the same confirmed, audited flow as the CLI through a tray session. The
// passphrase is asked in the agent's password dialog. The outcome is shown
// as a notification.
type trayBackup struct {
	agent   *session.Agent
	chooser dialogs.Chooser
	notify  session.Notifier
}

func (t trayBackup) export(ctx context.Context) error {
	name := "sciorex-secrets-backup-" + time.Now().Format("2006-01-02") + ".sxb"
	path, err := t.chooser.SaveFile(ctx, "Export an encrypted backup", name)
	if err != nil {
		return err
	}
	// The chooser already asked before replacing an existing file.
	res, err := t.agent.Export(ctx, session.ExportRequest{Path: path, Force: true})
	if err != nil {
		return err
	}
	t.notify.Notify("sciorex-secrets", fmt.Sprintf("Exported %d secrets and %d collections to %s. Keep the passphrase: without it the backup cannot be read.", res.Secrets, res.Collections, res.Path))
	return nil
}

func (t trayBackup) importFile(ctx context.Context) error {
	path, err := t.chooser.OpenFile(ctx, "Import a backup or a .env file")
	if err != nil {
		return err
	}
	// A .env file goes into the default collection; conflicts keep what
	// the vault has (the CLI offers the other policies).
	res, err := t.agent.Import(ctx, session.ImportRequest{Path: path, From: "auto", OnConflict: "skip"})
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Imported %d secrets (%d skipped because they exist)", res.Count("added"), res.Count("skipped"))
	if len(res.Problems) > 0 {
		text += fmt.Sprintf("; %d lines could not be read", len(res.Problems))
	}
	t.notify.Notify("sciorex-secrets", text+".")
	return nil
}

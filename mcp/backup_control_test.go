package mcp

import (
	"context"
	"strings"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

func TestBackupControlMethods(t *testing.T) {
	ts := startServer(t)
	c := dialClient(t, ts, "/work/p")
	ctx := context.Background()

	var exp session.ExportResult
	if err := c.Call(ctx, "sciorex/export", map[string]any{"path": "/tmp/b.sxb", "passphrase": "pässphrase\n"}, &exp); err != nil {
		t.Fatalf("export: %v", err)
	}
	if exp.Path != "/tmp/b.sxb" || exp.Secrets != len("pässphrase\n") {
		t.Errorf("export got %+v: the passphrase did not arrive as sent", exp)
	}
	if err := c.Call(ctx, "sciorex/export", map[string]any{"path": "/tmp/b.sxb"}, &exp); err != nil || exp.Secrets != 0 {
		t.Errorf("export without a passphrase: %+v, %v", exp, err)
	}
	var imp session.ImportResult
	params := map[string]any{"path": "/tmp/b.sxb", "passphrase": nil, "collection": "C", "on_conflict": "rename", "dry_run": true}
	if err := c.Call(ctx, "sciorex/import", params, &imp); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !imp.DryRun || len(imp.Items) != 1 || imp.Items[0].Name != "C" || imp.Items[0].Scope != "rename" {
		t.Errorf("import got %+v", imp)
	}
	var col session.CollectionInfo
	if err := c.Call(ctx, "sciorex/collection", session.CollectionRequest{Name: "N", Tags: []string{"t"}, Access: "deny"}, &col); err != nil || col.Name != "N" || col.Access != "deny" {
		t.Errorf("collection: %+v, %v", col, err)
	}
	var cols []session.CollectionInfo
	if err := c.Call(ctx, "sciorex/collections", nil, &cols); err != nil || cols == nil {
		t.Errorf("collections: %+v, %v", cols, err)
	}
	for _, bad := range []map[string]any{
		{"path": "/x", "passphrase": 12345},
		{"passphrase": "CANARY-passphrase"},
		{"path": "/x", "passphrase": "CANARY", "force": "yes"},
	} {
		err := c.Call(ctx, "sciorex/export", bad, nil)
		if err == nil || strings.Contains(err.Error(), "CANARY") {
			t.Errorf("bad params %v: %v", bad, err)
		}
		c = dialClient(t, ts, "/work/p")
	}
}

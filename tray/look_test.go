package tray

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

func TestLookFor(t *testing.T) {
	tests := []struct {
		name        string
		st          session.Status
		wantIcon    Icon
		wantTooltip string
	}{
		{"locked", session.Status{Locked: true}, IconLocked, "sciorex-secrets: locked"},
		{"unlocked", session.Status{Secrets: 2}, IconUnlocked, "sciorex-secrets: unlocked, 2 secrets"},
		{"unlocked-one", session.Status{Secrets: 1}, IconUnlocked, "sciorex-secrets: unlocked, 1 secret"},
		{"pending-locked", session.Status{Locked: true, Pending: 1}, IconLockedPending, "sciorex-secrets: locked; 1 request pending"},
		{"pending-unlocked", session.Status{Pending: 3}, IconUnlockedPending, "sciorex-secrets: unlocked, 0 secrets; 3 requests pending"},
		{"rate-limited-locked", session.Status{Locked: true, RateLimited: []string{"x"}}, IconLockedRateLimited, "sciorex-secrets: locked; agent x rate-limited"},
		{"rate-limited-unlocked", session.Status{RateLimited: []string{"a\x1b[31mb", "c"}}, IconUnlockedRateLimited,
			"sciorex-secrets: unlocked, 0 secrets; agent a[31mb and 1 more rate-limited"},
		{"pending-outranks-rate-limit", session.Status{Pending: 1, RateLimited: []string{"x"}}, IconUnlockedPending,
			"sciorex-secrets: unlocked, 0 secrets; agent x rate-limited; 1 request pending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LookFor(tt.st, "")
			if got.Icon != tt.wantIcon || got.Tooltip != tt.wantTooltip {
				t.Errorf("LookFor = %q %q, want %q %q", got.Icon, got.Tooltip, tt.wantIcon, tt.wantTooltip)
			}
		})
	}
	if got := LookFor(session.Status{Locked: true}, "Vault").Tooltip; got != "Vault: locked" {
		t.Errorf("custom title tooltip = %q", got)
	}
}

func TestIconsAreEmbedded(t *testing.T) {
	for _, ic := range []Icon{IconLocked, IconUnlocked, IconLockedPending, IconUnlockedPending, IconLockedRateLimited, IconUnlockedRateLimited} {
		img, err := png.Decode(bytes.NewReader(ic.PNG()))
		if err != nil {
			t.Errorf("%s: %v", ic, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != 32 || b.Dy() != 32 {
			t.Errorf("%s is %dx%d, want 32x32", ic, b.Dx(), b.Dy())
		}
	}
	if Icon("nope").PNG() != nil {
		t.Error("unknown icon has a PNG")
	}
}

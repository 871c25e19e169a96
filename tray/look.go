package tray

import (
	"embed"
	"strings"

	"github.com/sciorex/sciorex-secrets/session"
)

// Icon names one of the tray icons in icons/.
type Icon string

// The tray icons: a closed or open lock, with an accent dot when a request
// waits for the human, or a red dot when an agent is rate-limited.
const (
	IconLocked              Icon = "locked"
	IconUnlocked            Icon = "unlocked"
	IconLockedPending       Icon = "locked-pending"
	IconUnlockedPending     Icon = "unlocked-pending"
	IconLockedRateLimited   Icon = "locked-ratelimited"
	IconUnlockedRateLimited Icon = "unlocked-ratelimited"
)

//go:generate go run ./internal/genicons -out icons

//go:embed icons/*.png
var iconFiles embed.FS

// PNG returns the 32x32 PNG of the icon, or nil for an unknown name.
func (i Icon) PNG() []byte {
	b, err := iconFiles.ReadFile("icons/" + string(i) + ".png")
	if err != nil {
		return nil
	}
	return b
}

// Look is the tray icon and tooltip for a status.
type Look struct {
	Icon    Icon
	Tooltip string
}

// LookFor returns the icon and tooltip for st. title names the product at
// the start of the tooltip ("" for "sciorex-secrets").
func LookFor(st session.Status, title string) Look {
	if title == "" {
		title = "sciorex-secrets"
	}
	parts := []string{"unlocked, " + plural(st.Secrets, "secret", "secrets")}
	if st.Locked {
		parts = []string{"locked"}
	}
	if len(st.RateLimited) > 0 {
		parts = append(parts, rateLimitedLine(st.RateLimited))
	}
	if st.Pending > 0 {
		parts = append(parts, plural(st.Pending, "request", "requests")+" pending")
	}
	return Look{Icon: iconFor(st), Tooltip: untrusted(title, maxLabelRunes) + ": " + strings.Join(parts, "; ")}
}

// iconFor: a pending request outranks a rate-limited agent.
func iconFor(st session.Status) Icon {
	lockedOr := func(locked, unlocked Icon) Icon {
		if st.Locked {
			return locked
		}
		return unlocked
	}
	switch {
	case st.Pending > 0:
		return lockedOr(IconLockedPending, IconUnlockedPending)
	case len(st.RateLimited) > 0:
		return lockedOr(IconLockedRateLimited, IconUnlockedRateLimited)
	}
	return lockedOr(IconLocked, IconUnlocked)
}

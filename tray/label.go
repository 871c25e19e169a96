package tray

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLabelRunes caps untrusted text (collection and agent names) on the menu.
const maxLabelRunes = 40

// untrusted makes text chosen by someone else safe to show on one menu line:
// control, format (bidirectional overrides, zero-width), private-use and
// invalid characters are dropped, each run of white space becomes one space,
// and a result longer than max runes is cut to max runes ending in "…".
// An empty result reads "(unnamed)". max must be at least 2.
func untrusted(s string, max int) string {
	var kept []rune
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
		case unicode.IsSpace(r):
			space = len(kept) > 0
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs):
		default:
			if space {
				kept = append(kept, ' ')
				space = false
			}
			kept = append(kept, r)
		}
		if len(kept) > max {
			break
		}
	}
	if len(kept) == 0 {
		return "(unnamed)"
	}
	if len(kept) > max {
		return strings.TrimRight(string(kept[:max-1]), " ") + "…"
	}
	return string(kept)
}

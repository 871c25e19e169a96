package dialogs

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length caps, in bytes of sanitized output, for the kinds of untrusted text
// shown to the human.
const (
	NameMax    = 128  // a secret, collection or client name
	TextMax    = 512  // a project path, a reason, a detail line
	CommandMax = 2000 // a full command line for a runner request
)

// Sanitize makes untrusted text safe to show literally: in a dialog, an
// environment variable or a terminal.
//
// It escapes newline, carriage return and tab as \n, \r and \t; other C0
// controls and DEL as \xNN; C1 controls, bidirectional overrides and
// isolates, zero-width and other invisible format characters (Unicode
// category Cf, such as U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF),
// and the line and paragraph separators U+2028/U+2029 as \uNNNN (\UNNNNNNNN
// above U+FFFF); invalid UTF-8 bytes as \xNN. Backslashes are left as they
// are, so escapes are readable rather than reversible.
//
// The escaped text is cut at max bytes, on a character boundary, and then
// gets the marker "…(N more bytes)" where N counts the input bytes not shown.
// max <= 0 means [NameMax].
func Sanitize(s string, max int) string {
	if max <= 0 {
		max = NameMax
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		piece := escapeRune(r, size, s[i])
		if b.Len()+len(piece) > max {
			return b.String() + truncationMarker(len(s)-i)
		}
		b.WriteString(piece)
		i += size
	}
	return b.String()
}

func truncationMarker(rest int) string {
	return fmt.Sprintf("…(%d more bytes)", rest)
}

func escapeRune(r rune, size int, first byte) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, first)
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r == '\t':
		return `\t`
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r)
	case needsEscape(r) && r > 0xffff:
		return fmt.Sprintf(`\U%08x`, r)
	case needsEscape(r):
		return fmt.Sprintf(`\u%04x`, r)
	}
	return string(r)
}

// needsEscape reports characters that are invisible, reorder text or break
// lines when shown.
func needsEscape(r rune) bool {
	return unicode.IsControl(r) ||
		unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// sanitizeList sanitizes each name and joins them with sep.
func sanitizeList(names []string, max int, sep string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = Sanitize(n, max)
	}
	return strings.Join(out, sep)
}

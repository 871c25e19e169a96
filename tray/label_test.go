package tray

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestUntrusted(t *testing.T) {
	tests := []struct{ in, want string }{
		{"work", "work"},
		{"", "(unnamed)"},
		{"\x00\x07", "(unnamed)"},
		{"  spaced \t\n out  ", "spaced out"},
		{"abc\u202edcba", "abcdcba"},     // right-to-left override
		{"zero\u200bwidth", "zerowidth"}, // zero-width space (format)
		{"bad\xffutf8", "badutf8"},       // invalid byte
		{"0123456789", "0123456789"},     // exactly max
		{"0123456789a", "012345678…"},    // cut
		{"01234567 9abc", "01234567…"},   // no space before the ellipsis
		{"ünïcødé ok", "ünïcødé ok"},     // runes, not bytes
	}
	for _, tt := range tests {
		if got := untrusted(tt.in, 10); got != tt.want {
			t.Errorf("untrusted(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzUntrusted(f *testing.F) {
	for _, s := range []string{"", "work", "a\u202eb", "x\ny", strings.Repeat("é", 100), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := untrusted(s, maxLabelRunes)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		if n := utf8.RuneCountInString(got); n > maxLabelRunes || n == 0 {
			t.Fatalf("%d runes: %q", n, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.In(r, unicode.Cf) || (unicode.IsSpace(r) && r != ' ') {
				t.Fatalf("unsafe rune %U in %q", r, got)
			}
		}
		if strings.Contains(got, "  ") || strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") {
			t.Fatalf("untidy spaces: %q", got)
		}
	})
}

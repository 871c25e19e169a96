package dialogs

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "GITHUB_TOKEN", 128, "GITHUB_TOKEN"},
		{"markup stays literal", `<b>PROD</b> & co`, 128, `<b>PROD</b> & co`},
		{"newline", "a\nb", 128, `a\nb`},
		{"cr and tab", "a\r\tb", 128, `a\r\tb`},
		{"escape sequence", "\x1b[2J", 128, `\x1b[2J`},
		{"nul and del", "\x00\x7f", 128, `\x00\x7f`},
		{"c1 control", "a\u0085b", 128, `a\u0085b`},
		{"bidi override", "abc\u202etxt.exe", 128, `abc\u202etxt.exe`},
		{"bidi isolates", "\u2066x\u2069", 128, `\u2066x\u2069`},
		{"zero width", "a\u200bb\u200fc\ufeff", 128, `a\u200bb\u200fc\ufeff`},
		{"line separator", "a\u2028b", 128, `a\u2028b`},
		{"tag character", "a\U000e0041", 128, `a\U000e0041`},
		{"invalid utf-8", "a\xffb", 128, `a\xffb`},
		{"unicode kept", "clé-秘密", 128, "clé-秘密"},
		{"backslash kept", `C:\dir`, 128, `C:\dir`},
		{"cap", strings.Repeat("x", 10), 4, "xxxx…(6 more bytes)"},
		{"cap exact", "xxxx", 4, "xxxx"},
		{"cap on escape boundary", "ab\ncd", 3, "ab…(3 more bytes)"},
		{"cap on rune boundary", "aé", 2, "a…(2 more bytes)"},
		{"default cap", strings.Repeat("y", 200), 0, strings.Repeat("y", NameMax) + "…(72 more bytes)"},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in, tt.max); got != tt.want {
				t.Errorf("Sanitize(%q, %d) = %q; want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{"", "plain", "a\nb", "\x1b[31m", "\u202e\u2066\u200b\ufeff", "\xff\xfe", "<b>&amp;</b>", strings.Repeat("é", 100)} {
		f.Add(seed, 16)
	}
	f.Fuzz(func(t *testing.T, in string, max int) {
		if max > 4096 || max < -1 {
			max = max % 4096
		}
		out := Sanitize(in, max)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", in, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
				t.Fatalf("Sanitize(%q) kept %U: %q", in, r, out)
			}
		}
		limit := max
		if limit <= 0 {
			limit = NameMax
		}
		if len(out) > limit+len(truncationMarker(len(in))) {
			t.Fatalf("Sanitize(%q, %d) is %d bytes long", in, max, len(out))
		}
		if again := Sanitize(out, len(out)+1); again != out {
			t.Fatalf("Sanitize changes its own output %q to %q", out, again)
		}
	})
}

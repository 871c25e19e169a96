package audit

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"unicode"
)

// Format renders r as one readable line for a terminal, in local time:
//
//	12:03:41 approve GITHUB_TOKEN for claude-code (/usr/bin/claude pid 4242) project ~/src/app #12
//
// "#12" is the request number. Control and bidirectional-override
// characters in any field are shown escaped (\u001b), so a name cannot
// rewrite the terminal.
func Format(r Record) string {
	var b strings.Builder
	b.WriteString(r.Time.Local().Format("15:04:05"))
	b.WriteString(" " + printable(r.Event))
	if len(r.Secrets) > 0 {
		names := make([]string, len(r.Secrets))
		for i, n := range r.Secrets {
			names[i] = printable(n)
		}
		b.WriteString(" " + strings.Join(names, ","))
	}
	if r.Agent != "" {
		b.WriteString(" for " + printable(r.Agent))
	}
	if r.Verified != "" {
		b.WriteString(" (" + printable(r.Verified) + ")")
	}
	if r.Project != "" {
		b.WriteString(" project " + printable(shortHome(r.Project)))
	}
	if r.Command != "" {
		b.WriteString(" $ " + printable(r.Command))
	}
	if r.ExitCode != nil {
		fmt.Fprintf(&b, " exit %d", *r.ExitCode)
	}
	if r.Masked != nil {
		fmt.Fprintf(&b, " masked %d", *r.Masked)
	}
	if r.Request != 0 {
		fmt.Fprintf(&b, " #%d", r.Request)
	}
	if r.Detail != "" {
		b.WriteString(": " + printable(r.Detail))
	}
	return b.String()
}

// printable escapes control characters and the invisible characters that
// reorder or hide text (bidi controls, zero-width marks).
func printable(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if unsafeRune(c) {
			fmt.Fprintf(&b, `\u%04x`, c)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func unsafeRune(c rune) bool {
	if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
		return true
	}
	return unicode.Is(unicode.Cf, c) // bidi controls, zero-width marks, BOM
}

var homeDir = sync.OnceValue(func() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(h, string(os.PathSeparator))
})

// shortHome writes a path under the home directory as ~/...
func shortHome(p string) string {
	h := homeDir()
	if h == "" {
		return p
	}
	if p == h {
		return "~"
	}
	if rest, ok := strings.CutPrefix(p, h+string(os.PathSeparator)); ok {
		return "~" + string(os.PathSeparator) + rest
	}
	return p
}

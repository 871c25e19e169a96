package main

import (
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAutostartEntriesGolden(t *testing.T) {
	const exe = "/opt/sciorex/bin/sciorex-secrets"
	desktop, err := xdgAutostartEntry(exe)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "autostart/sciorex-secrets.desktop", desktop)
	checkGolden(t, "autostart/com.sciorex.secrets.plist", launchAgentPlist(exe))
	if got, want := windowsRunCommand(`C:\Program Files\sciorex\sciorex-secrets.exe`), `"C:\Program Files\sciorex\sciorex-secrets.exe" agent`; got != want {
		t.Errorf("Run value = %s, want %s", got, want)
	}
}

// The plist stays well-formed XML and keeps the path intact whatever
// characters the path holds.
func TestLaunchAgentPlistEscapesPath(t *testing.T) {
	const exe = "/Users/a&b/<dir>/\"sx\""
	var doc struct {
		Strings []string `xml:"dict>array>string"`
	}
	if err := xml.Unmarshal(launchAgentPlist(exe), &doc); err != nil {
		t.Fatalf("plist is not XML: %v", err)
	}
	if len(doc.Strings) != 2 || doc.Strings[0] != exe || doc.Strings[1] != "agent" {
		t.Errorf("ProgramArguments = %q, want [%q agent]", doc.Strings, exe)
	}
}

func TestDesktopExecArg(t *testing.T) {
	tests := []struct {
		arg, want string
		fails     bool
	}{
		{arg: "/opt/bin/sciorex-secrets", want: "/opt/bin/sciorex-secrets"},
		{arg: "/home/me/my tools/sx", want: `"/home/me/my tools/sx"`},
		{arg: "/home/me/100%/sx", want: "/home/me/100%%/sx"},
		{arg: `/a"b/sx`, want: `"/a\\"b/sx"`},
		{arg: "/a$b`c/sx", want: "\"/a\\\\$b\\\\`c/sx\""},
		{arg: `/a\b/sx`, want: `"/a\\\\b/sx"`},
		{arg: "/it's/sx", want: `"/it's/sx"`},
		{arg: "/a\nb/sx", fails: true},
		{arg: "", fails: true},
	}
	for _, tt := range tests {
		got, err := desktopExecArg(tt.arg)
		if tt.fails {
			if err == nil {
				t.Errorf("desktopExecArg(%q) = %s, want an error", tt.arg, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("desktopExecArg(%q) = %s, %v; want %s", tt.arg, got, err, tt.want)
		}
		if back, ok := parseDesktopExecArg(got); !ok || back != tt.arg {
			t.Errorf("%s reads back as %q (ok %v), want %q", got, back, ok, tt.arg)
		}
	}
}

// FuzzDesktopExecArg checks that every path the encoder accepts reads back
// unchanged through the specification's decoding: string escapes first,
// then the quoting rule, then "%%" to "%".
func FuzzDesktopExecArg(f *testing.F) {
	for _, s := range []string{"/opt/sx", "/my tools/sx", `/a\b"c$d` + "`e%f", "/it's", "~/x;y|z&", "/ü/日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		enc, err := desktopExecArg(arg)
		if err != nil {
			if arg != "" && !strings.ContainsAny(arg, "\r\n") {
				t.Fatalf("desktopExecArg(%q) failed: %v", arg, err)
			}
			return
		}
		if !utf8.ValidString(arg) {
			return // a .desktop file is UTF-8; the OS never hands us such a path here
		}
		if strings.ContainsAny(enc, "\r\n") {
			t.Fatalf("encoding %q spans lines", enc)
		}
		if back, ok := parseDesktopExecArg(enc); !ok || back != arg {
			t.Fatalf("desktopExecArg(%q) = %s, reads back as %q (ok %v)", arg, enc, back, ok)
		}
	})
}

// parseDesktopExecArg decodes one Exec argument the way the Desktop Entry
// Specification says a launcher does; it is the reference for the tests.
func parseDesktopExecArg(s string) (string, bool) {
	var str strings.Builder // after the string-type escapes
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == '\\' {
			str.WriteByte('\\')
			i++
			continue
		}
		str.WriteByte(s[i])
	}
	v := str.String()
	if strings.HasPrefix(v, `"`) {
		if len(v) < 2 || !strings.HasSuffix(v, `"`) {
			return "", false
		}
		var out strings.Builder
		inner := v[1 : len(v)-1]
		for i := 0; i < len(inner); i++ {
			c := inner[i]
			if c == '\\' {
				if i+1 >= len(inner) || !strings.ContainsRune("\"`$\\", rune(inner[i+1])) {
					return "", false
				}
				out.WriteByte(inner[i+1])
				i++
				continue
			}
			if c == '"' || c == '`' || c == '$' {
				return "", false // must have been escaped
			}
			out.WriteByte(c)
		}
		v = out.String()
	} else if strings.ContainsAny(v, " \t\"'\\><~|&;$*?#()`") {
		return "", false // reserved characters need quotes
	}
	if strings.Count(v, "%")%2 != 0 || strings.Contains(strings.ReplaceAll(v, "%%", ""), "%") {
		return "", false
	}
	return strings.ReplaceAll(v, "%%", "%"), true
}

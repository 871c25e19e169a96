package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// The names the autostart entry goes by on every OS.
const (
	autostartName    = "sciorex-secrets"     // .desktop file stem, Run value name
	launchAgentLabel = "com.sciorex.secrets" // macOS LaunchAgent label and file stem
)

// xdgAutostartEntry is the XDG autostart .desktop file that starts the
// agent at login. It fails only if exe cannot be written in an Exec line
// (a newline in the path).
func xdgAutostartEntry(exe string) ([]byte, error) {
	arg, err := desktopExecArg(exe)
	if err != nil {
		return nil, err
	}
	return []byte("[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=sciorex-secrets\n" +
		"Comment=Lets AI agents use your secrets without seeing them, asking you before every use\n" +
		"Exec=" + arg + " agent\n" +
		"Icon=sciorex-secrets\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"), nil
}

// desktopExecArg writes one argument of a .desktop Exec line: quoted when
// it holds a reserved character, with the quoting escapes and then the
// string escapes the Desktop Entry Specification requires ("%" becomes
// "%%", a backslash inside quotes ends up as four).
func desktopExecArg(arg string) (string, error) {
	if arg == "" || strings.ContainsAny(arg, "\n\r") {
		return "", fmt.Errorf("the path %q cannot be written in a .desktop file; move the binary to a path without line breaks", arg)
	}
	arg = strings.ReplaceAll(arg, "%", "%%")
	if !strings.ContainsAny(arg, " \t\"'\\><~|&;$*?#()`") {
		return arg, nil
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range arg {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`) // the quoting backslash, itself string-escaped
			b.WriteRune(r)
		case '\\':
			b.WriteString(`\\\\`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

// launchAgentPlist is the macOS LaunchAgent that starts the agent when the
// user logs in to the desktop (not for ssh sessions), and does not restart
// it after the user quits it from the tray.
func launchAgentPlist(exe string) []byte {
	var path bytes.Buffer
	_ = xml.EscapeText(&path, []byte(exe)) // writes to a bytes.Buffer never fail
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + launchAgentLabel + `</string>
	<key>ProgramArguments</key>
	<array>
		<string>` + path.String() + `</string>
		<string>agent</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>LimitLoadToSessionType</key>
	<string>Aqua</string>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`)
}

// windowsRunCommand is the command line stored under the Run key. Windows
// paths cannot contain a double quote, so quoting the path is enough.
func windowsRunCommand(exe string) string {
	return `"` + exe + `" agent`
}

//go:build linux || freebsd || openbsd || netbsd

package tray

import "strings"

// menuLabel escapes a title for dbusmenu, where "_" marks an access key.
func menuLabel(s string) string { return strings.ReplaceAll(s, "_", "__") }

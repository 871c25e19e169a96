package tray

import "strings"

// menuLabel escapes a title for a Windows menu, where "&" marks an access key.
func menuLabel(s string) string { return strings.ReplaceAll(s, "&", "&&") }

package tray

// menuLabel returns the title unchanged: macOS menus have no access keys.
func menuLabel(s string) string { return s }

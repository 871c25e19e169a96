package session

func defaultShell(command string) []string { return []string{"cmd", "/c", command} }

//go:build !windows

package session

func defaultShell(command string) []string { return []string{"/bin/sh", "-c", command} }

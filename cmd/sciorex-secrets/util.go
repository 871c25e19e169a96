package main

import (
	"fmt"
	"path/filepath"
)

func dirOf(path string) string { return filepath.Dir(path) }

// count writes n and the noun, plural unless n is 1: "1 secret", "2 secrets".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

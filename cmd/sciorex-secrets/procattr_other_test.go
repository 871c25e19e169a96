//go:build !linux

package main

import "syscall"

// Elsewhere no parent-death signal exists: the tests' cleanups stop the
// processes they start. These keep the test files building on every OS.

func diesWithTest() *syscall.SysProcAttr { return nil }

func diesWithTestInOwnSession() *syscall.SysProcAttr { return nil }

//go:build unix && !linux

package session

import "syscall"

func setParentDeathSignal(*syscall.SysProcAttr) {}

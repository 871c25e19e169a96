package session

import "syscall"

// setParentDeathSignal kills the child if the runner dies without passing
// a signal on (kill -9), so no orphan keeps the secrets.
func setParentDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

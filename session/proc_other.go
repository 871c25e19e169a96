//go:build !linux && !darwin

package session

func processInfo(pid int) Process {
	if pid <= 0 {
		return Process{}
	}
	return Process{PID: pid, UID: -1}
}

func parentPID(pid int) int { return 0 }

package session

import (
	"bytes"

	"golang.org/x/sys/unix"
)

// processInfo asks the kernel (sysctl kern.proc.pid, kern.procargs2) about
// pid. Unreadable fields stay zero.
func processInfo(pid int) Process {
	if pid <= 0 {
		return Process{}
	}
	p := Process{PID: pid, UID: -1}
	if k, err := unix.SysctlKinfoProc("kern.proc.pid", pid); err == nil && int(k.Proc.P_pid) == pid {
		p.UID = int(k.Eproc.Pcred.P_ruid)
		tv := k.Proc.P_starttime
		p.StartTime = uint64(tv.Sec)*1_000_000 + uint64(tv.Usec)
	}
	p.Exe = execPath(pid)
	return p
}

// execPath is the path the process was started from: procargs2 is argc
// (int32) followed by that path, NUL-terminated.
func execPath(pid int) string {
	b, err := unix.SysctlRaw("kern.procargs2", pid)
	if err != nil || len(b) < 5 {
		return ""
	}
	b = b[4:]
	if i := bytes.IndexByte(b, 0); i > 0 {
		return string(b[:i])
	}
	return ""
}

// parentPID returns the parent of pid, 0 when unknown.
func parentPID(pid int) int {
	k, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil || int(k.Proc.P_pid) != pid {
		return 0
	}
	return int(k.Eproc.Ppid)
}

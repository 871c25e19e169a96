package session

import (
	"bytes"
	"os"
	"strconv"
)

// processInfo reads what /proc says about pid. Unreadable fields stay zero.
func processInfo(pid int) Process {
	if pid <= 0 {
		return Process{}
	}
	p := Process{PID: pid, UID: -1}
	dir := "/proc/" + strconv.Itoa(pid)
	if exe, err := os.Readlink(dir + "/exe"); err == nil {
		p.Exe = exe
	}
	if f := statFields(pid); len(f) > 19 {
		p.StartTime, _ = strconv.ParseUint(string(f[19]), 10, 64)
	}
	if fi, err := os.Stat(dir); err == nil {
		p.UID = fileUID(fi)
	}
	return p
}

// parentPID returns the parent of pid, 0 when unknown.
func parentPID(pid int) int {
	f := statFields(pid)
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(string(f[1]))
	return ppid
}

// statFields returns the fields of /proc/pid/stat after the command name
// (field 3, "state", is index 0). The name is skipped by its closing
// parenthesis, since it may itself hold spaces and parentheses.
func statFields(pid int) [][]byte {
	if pid <= 0 {
		return nil
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return bytes.Fields(b[i+1:])
}

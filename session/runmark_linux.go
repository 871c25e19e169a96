package session

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// killMarked kills the processes of this user, other than this one, whose
// environment holds the entry kv, and that are not in killed yet (a killed
// process may linger a moment); it adds them to killed and returns how
// many it found. Each environment read is wiped: it may hold values.
func killMarked(kv string, killed map[int]bool) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	want, uid, self := []byte(kv), uint32(os.Getuid()), os.Getpid()
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self || killed[pid] {
			continue
		}
		if fi, err := e.Info(); err != nil || fi.Sys().(*syscall.Stat_t).Uid != uid {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue
		}
		marked := false
		for entry := range bytes.SplitSeq(env, []byte{0}) {
			if bytes.Equal(entry, want) {
				marked = true
				break
			}
		}
		clear(env)
		if marked && syscall.Kill(pid, syscall.SIGKILL) == nil {
			killed[pid] = true
			n++
		}
	}
	return n
}

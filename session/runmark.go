package session

import (
	"crypto/rand"
	"encoding/hex"
)

// RunMarkVar is set in the environment of every command run with secrets,
// to a random id of that run. Every process the command starts inherits
// it, so the run's processes can be found and killed even after they left
// its process group (setsid, a daemon's double fork): a runner killed with
// SIGKILL, a timeout or a cancelled run leaves no process with the values.
// A process that replaces its whole environment drops the mark, and its
// copy of the values with it.
const RunMarkVar = "SCIOREX_RUN"

// newRunMark returns a fresh run id: 32 hex digits.
func newRunMark() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// validRunMark reports whether m looks like newRunMark's output, so that a
// client cannot make the agent kill processes by another variable's value.
func validRunMark(m string) bool {
	if len(m) != 32 {
		return false
	}
	_, err := hex.DecodeString(m)
	return err == nil
}

// KillRun kills, with SIGKILL, every process of this user whose
// environment carries the run's mark, and reports how many it killed. It
// repeats until no new one is found, so that children forked meanwhile die
// too.
// Where processes' environments cannot be read (not Linux), it kills none.
func KillRun(mark string) int {
	if !validRunMark(mark) {
		return 0
	}
	killed := map[int]bool{}
	for range 5 {
		if killMarked(RunMarkVar+"="+mark, killed) == 0 {
			break
		}
	}
	return len(killed)
}

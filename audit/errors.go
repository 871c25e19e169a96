package audit

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Errors for branching with errors.Is. Every failure of [Log.Append] wraps
// ErrWrite; the caller must then deny the access it was recording.
var (
	ErrWrite        = errors.New("audit record not written, so the access is refused")
	ErrUnknownEvent = errors.New("unknown audit event")
	ErrReplaced     = errors.New("audit log file was removed or replaced while in use; restart the agent after checking it with \"sciorex-secrets audit verify\"")
	ErrModified     = errors.New("audit log file was changed by another writer; check it with \"sciorex-secrets audit verify\"")
	ErrTooLarge     = errors.New("audit record too large")
	ErrClosed       = errors.New("audit log is closed")
	ErrDamaged      = errors.New("audit log cannot be read; check it with \"sciorex-secrets audit verify\"")
)

// VerifyError names the first record of a log that fails verification.
// Seq is the sequence number the bad record has or should have had, Line
// the 1-based line in File, and Reason says what is wrong (edited, deleted,
// reordered, inserted, torn, mac does not match...).
type VerifyError struct {
	Seq    uint64
	Line   int
	File   string
	Reason string
}

// Error reads like "record 12 (line 12 of audit.jsonl): mac does not match".
func (e *VerifyError) Error() string {
	return fmt.Sprintf("record %d (line %d of %s): %s", e.Seq, e.Line, filepath.Base(e.File), e.Reason)
}

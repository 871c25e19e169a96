package audit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

// Report sums up a log that passed verification.
type Report struct {
	Records      int      // records checked, over all files
	Files        []string // files checked, oldest first
	MACsChecked  bool     // false when no key was given: only the hash chain was checked
	Unsealed     int      // records without a mac (written while the vault was locked)
	UnsealedTail int      // unsealed records after the last sealed one: not yet protected by any mac
	LastSeq      uint64   // seq of the last record
	LastMAC      string   // mac of the last record, "" when unsealed
}

// VerifyOptions carry a checkpoint the caller kept elsewhere (in the vault),
// so that cutting records off the end of the log is noticed.
type VerifyOptions struct {
	MinSeq  uint64 // the log must reach at least this seq
	HeadMAC string // when set, the record MinSeq must carry this mac
}

// Verify checks the log at path and its rotated files, oldest first: every
// line is a canonical record, seqs run from 1 without gaps, each prev is the
// hash of the line before, and (when key is not nil) every mac present is
// right. The error is a *[VerifyError] naming the first bad record, or an
// I/O error. With a nil key, macs are not checked and Report says so.
//
// Verify cannot see records cut off the end of the log; see [VerifyWith].
func Verify(path string, key []byte) (Report, error) {
	return VerifyWith(path, key, VerifyOptions{})
}

// VerifyWith is [Verify] plus a check against a checkpoint taken with
// [Log.Head]: the log must not end before opts.MinSeq, and that record must
// carry opts.HeadMAC.
func VerifyWith(path string, key []byte, opts VerifyOptions) (Report, error) {
	rotated, err := rotatedFiles(path)
	if err != nil {
		return Report{}, fmt.Errorf("verify audit log: %w", err)
	}
	_, statErr := os.Stat(path)
	if statErr != nil && (!errors.Is(statErr, os.ErrNotExist) || len(rotated) == 0) {
		return Report{}, fmt.Errorf("verify audit log: %w", statErr)
	}
	v := verifier{key: key, next: 1, prev: genesis, minSeq: opts.MinSeq}
	v.report.MACsChecked = key != nil
	for _, rf := range rotated {
		if err := v.file(rf.path, &rf); err != nil {
			return v.report, err
		}
	}
	if statErr == nil {
		if err := v.file(path, nil); err != nil {
			return v.report, err
		}
	}
	return v.report, v.checkpoint(opts)
}

type verifier struct {
	key       []byte
	next      uint64 // seq the next record must have
	prev      string // hash the next record's prev must equal
	sealed    bool   // the previous record's mac was checked and is right
	minSeq    uint64
	macAtMin  string
	lineAtMin int
	fileAtMin string
	lastFile  string
	lastLine  int
	report    Report
}

func (v *verifier) file(path string, rotated *rotatedFile) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("verify audit log: %w", err)
	}
	v.report.Files = append(v.report.Files, path)
	firstSeq := v.next
	lines := bytes.Split(data, []byte{'\n'})
	torn := len(lines[len(lines)-1]) > 0
	lines = lines[:len(lines)-1] // after the last newline: empty, or a torn line
	for i, line := range lines {
		if err := v.line(path, i+1, line, lines[i+1:]); err != nil {
			return err
		}
	}
	if torn {
		return &VerifyError{Seq: v.next, Line: len(lines) + 1, File: path,
			Reason: "incomplete last line (torn by an interrupted write, or the file was cut)"}
	}
	if rotated != nil && (len(lines) == 0 || rotated.first != firstSeq || rotated.last != v.next-1) {
		return &VerifyError{Seq: firstSeq, Line: 1, File: path,
			Reason: fmt.Sprintf("rotated file is named for records %d-%d but holds records %d-%d (renamed or replaced)",
				rotated.first, rotated.last, firstSeq, v.next-1)}
	}
	return nil
}

func (v *verifier) line(path string, lineNo int, line []byte, rest [][]byte) error {
	bad := func(seq uint64, reason string) error {
		return &VerifyError{Seq: seq, Line: lineNo, File: path, Reason: reason}
	}
	r, err := parseLine(line)
	if err != nil {
		return bad(v.next, err.Error()+" (edited or corrupted)")
	}
	if err := checkEvent(r.Event); err != nil {
		return bad(r.Seq, err.Error()+" (edited)")
	}
	switch {
	case r.Seq > v.next && seqLater(rest, v.next):
		return bad(v.next, fmt.Sprintf("record %d comes later in the file (reordered)", v.next))
	case r.Seq > v.next && r.Seq == v.next+1:
		return bad(v.next, "record is missing (deleted)")
	case r.Seq > v.next:
		return bad(v.next, fmt.Sprintf("records %d to %d are missing (deleted)", v.next, r.Seq-1))
	case r.Seq < v.next:
		return bad(r.Seq, fmt.Sprintf("a second record %d after record %d (inserted or reordered)", r.Seq, v.next-1))
	}
	if v.key != nil && r.MAC != "" && !macMatches(v.key, r) {
		return bad(r.Seq, "mac does not match (edited, forged, or sealed with another key)")
	}
	if r.Prev != v.prev {
		if r.Seq > 1 && !v.sealed {
			return &VerifyError{Seq: r.Seq - 1, Line: v.lastLine, File: v.lastFile, Reason: fmt.Sprintf("record %d's prev does not match this record (this record was edited, or one was inserted after it)", r.Seq)}
		}
		return bad(r.Seq, "prev does not match the record before (inserted, edited, or a record before it was removed)")
	}
	v.sealed = v.key != nil && r.MAC != ""
	v.prev, v.next = lineHash(line), r.Seq+1
	v.lastFile, v.lastLine = path, lineNo
	v.report.Records++
	v.report.LastSeq, v.report.LastMAC = r.Seq, r.MAC
	if r.MAC == "" {
		v.report.Unsealed++
		v.report.UnsealedTail++
	} else {
		v.report.UnsealedTail = 0
	}
	if r.Seq == v.minSeq {
		v.macAtMin, v.lineAtMin, v.fileAtMin = r.MAC, lineNo, path
	}
	return nil
}

// seqLater reports whether a record with this seq appears in lines.
func seqLater(lines [][]byte, seq uint64) bool {
	for _, l := range lines {
		if r, err := parseLine(l); err == nil && r.Seq == seq {
			return true
		}
	}
	return false
}

func (v *verifier) checkpoint(opts VerifyOptions) error {
	if opts.MinSeq == 0 {
		return nil
	}
	if v.report.LastSeq < opts.MinSeq {
		return &VerifyError{Seq: v.report.LastSeq + 1, Line: v.lastLine + 1, File: v.lastFileOr(),
			Reason: fmt.Sprintf("the log ends at record %d but the vault saw record %d (records cut off the end)", v.report.LastSeq, opts.MinSeq)}
	}
	if opts.HeadMAC != "" && v.macAtMin != opts.HeadMAC {
		return &VerifyError{Seq: opts.MinSeq, Line: v.lineAtMin, File: v.fileAtMin,
			Reason: "record does not match the checkpoint kept in the vault (rewritten)"}
	}
	return nil
}

func (v *verifier) lastFileOr() string {
	if v.lastFile != "" {
		return v.lastFile
	}
	if n := len(v.report.Files); n > 0 {
		return v.report.Files[n-1]
	}
	return "audit log"
}

package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultMaxSize is the size past which a log file is rotated when
// [Options.MaxSize] is 0.
const DefaultMaxSize = 10 << 20

// Options tune [Open].
type Options struct {
	MaxSize int64 // rotate the file once it has grown past this many bytes; 0 means DefaultMaxSize
}

// Log is an open audit log that records are appended to. It is safe for
// concurrent use. Only one Log (in one process) may write a given file:
// another writer is detected and makes Append fail.
type Log struct {
	path    string
	maxSize int64

	mu       sync.Mutex
	f        *os.File    // nil after a rotation whose new file could not be created
	info     os.FileInfo // identity of f, to notice a replaced file
	size     int64       // bytes of f that this Log knows about
	firstSeq uint64      // seq of the first record in f, 0 while f is empty
	seq      uint64      // seq of the last record written
	prev     string      // lineHash of the last line written
	headMAC  string      // mac of the last record written, "" if unsealed
	key      []byte
	broken   error // set when the file is in an unknown state; every Append fails
	closed   bool

	// Seams for tests; production uses time.Now and the *os.File methods.
	now   func() time.Time
	write func(f *os.File, b []byte) (int, error)
	sync  func(f *os.File) error
}

// Open opens the log at path for appending, creating it with mode 0600 if it
// is missing (and tightening the mode of an existing file to 0600). It reads
// the end of the file, or of the newest rotated file when the file is empty,
// to continue the sequence and the chain.
//
// An incomplete last line (left by a crash in the middle of a write, which
// Append never reported as written) is cut off and an "error" record saying
// so is appended. Open fails if path is not a regular file or its last
// complete line is not a record.
func Open(path string, opts Options) (*Log, error) {
	l := &Log{
		path: path, maxSize: opts.MaxSize, seq: 0, prev: genesis,
		now: time.Now, write: (*os.File).Write, sync: (*os.File).Sync,
	}
	if l.maxSize <= 0 {
		l.maxSize = DefaultMaxSize
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open audit log: %s is not a regular file", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	torn, err := l.adopt(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
	if torn > 0 {
		_, err := l.Append(Record{Event: EventError,
			Detail: fmt.Sprintf("cut an incomplete last line of %d bytes left by an interrupted write", torn)})
		if err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

// adopt makes f the current file: it checks the mode, cuts a torn tail and
// loads seq and prev from the last record. It returns how many bytes it cut.
func (l *Log) adopt(f *os.File) (torn int64, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, errors.New("not a regular file")
	}
	if fi.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			return 0, err
		}
	}
	size := fi.Size()
	lines, tornAt, err := lastLines(f, size, 1)
	if err != nil {
		return 0, err
	}
	if tornAt < size {
		if err := f.Truncate(tornAt); err != nil {
			return 0, err
		}
		if err := f.Sync(); err != nil {
			return 0, err
		}
		torn, size = size-tornAt, tornAt
	}
	l.f, l.info, l.size = f, fi, size
	if len(lines) == 0 {
		return torn, l.continueFromRotated()
	}
	last, err := lenientRecord(lines[0])
	if err != nil {
		return 0, err
	}
	first, err := firstLine(f)
	if err != nil {
		return 0, err
	}
	firstRec, err := lenientRecord(first)
	if err != nil {
		return 0, err
	}
	l.firstSeq, l.seq, l.prev, l.headMAC = firstRec.Seq, last.Seq, lineHash(lines[0]), last.MAC
	return torn, nil
}

// continueFromRotated takes seq and prev from the newest rotated file, so
// the chain goes on after a rotation (or a crash right after one).
func (l *Log) continueFromRotated() error {
	rotated, err := rotatedFiles(l.path)
	if err != nil || len(rotated) == 0 {
		return err
	}
	newest := rotated[len(rotated)-1]
	f, err := os.Open(newest.path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	lines, _, err := lastLines(f, fi.Size(), 1)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return fmt.Errorf("%w: rotated file %s holds no record", ErrDamaged, filepath.Base(newest.path))
	}
	last, err := lenientRecord(lines[0])
	if err != nil {
		return err
	}
	l.seq, l.prev, l.headMAC = last.Seq, lineHash(lines[0]), last.MAC
	return nil
}

func lenientRecord(line []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(line, &r); err != nil {
		return Record{}, fmt.Errorf("%w: last record is not valid", ErrDamaged)
	}
	return r, nil
}

// Path is the file the log writes to.
func (l *Log) Path() string { return l.path }

// SetKey sets the MAC key for the records that follow; the key should be 32
// bytes derived for the audit log alone. The Log keeps its own copy. A nil
// key clears (and wipes) it: records are then written unsealed until the
// next SetKey. Call it with nil when the vault locks.
func (l *Log) SetKey(key []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.key)
	l.key = nil
	if len(key) > 0 {
		l.key = bytes.Clone(key)
	}
}

// Head returns the seq and mac of the last record written ("" when it was
// written unsealed), for the vault to store as a checkpoint against
// truncation; see [VerifyWith].
func (l *Log) Head() (seq uint64, mac string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq, l.headMAC
}

// Close closes the file and wipes the key. Appends after Close fail.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	clear(l.key)
	l.key = nil
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

// Append fills in r's Time, Seq, Prev and MAC, writes it as one line and
// fsyncs the file before returning the record as written. Text fields are
// cut to their limits and made valid UTF-8.
//
// Any error wraps [ErrWrite] (and a more precise sentinel: [ErrUnknownEvent],
// [ErrReplaced], [ErrModified], [ErrTooLarge], [ErrClosed]); the caller must
// then refuse the access being recorded. A failed write leaves no partial
// line behind.
func (l *Log) Append(r Record) (Record, error) {
	if err := checkEvent(r.Event); err != nil {
		return Record{}, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	r = clean(r)

	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.ready(); err != nil {
		return Record{}, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	r.Seq, r.Prev, r.MAC = l.seq+1, l.prev, ""
	r.Time = l.now().UTC().Truncate(time.Millisecond)
	if l.key != nil {
		mac, err := sealMAC(l.key, r)
		if err != nil {
			return Record{}, fmt.Errorf("%w: %w", ErrWrite, err)
		}
		r.MAC = mac
	}
	line, err := json.Marshal(r)
	if err != nil {
		return Record{}, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	if len(line) >= maxLine {
		return Record{}, fmt.Errorf("%w: %w (%d bytes, limit %d)", ErrWrite, ErrTooLarge, len(line), maxLine)
	}
	if err := l.writeLine(append(line, '\n')); err != nil {
		return Record{}, fmt.Errorf("%w: %s: %w", ErrWrite, l.path, err)
	}
	if l.firstSeq == 0 {
		l.firstSeq = r.Seq
	}
	l.seq, l.prev, l.headMAC = r.Seq, lineHash(line), r.MAC
	return r, nil
}

// ready checks that the next line can go to the current file: the Log is
// open and healthy, the file at path is still ours, and it is rotated if
// full.
func (l *Log) ready() error {
	switch {
	case l.closed:
		return ErrClosed
	case l.broken != nil:
		return l.broken
	}
	if l.f != nil {
		if err := l.checkIdentity(); err != nil {
			return err
		}
	}
	return l.rotateIfFull()
}

// checkIdentity fails unless path still names the file this Log opened and
// that file holds exactly the bytes this Log wrote.
func (l *Log) checkIdentity() error {
	onDisk, err := os.Lstat(l.path)
	if err != nil {
		return fmt.Errorf("%w (%w)", ErrReplaced, err)
	}
	if !os.SameFile(onDisk, l.info) {
		return ErrReplaced
	}
	open, err := l.f.Stat()
	if err != nil {
		return err
	}
	if open.Size() != l.size {
		return fmt.Errorf("%w (size %d, expected %d)", ErrModified, open.Size(), l.size)
	}
	return nil
}

// writeLine writes and fsyncs one line. On failure it cuts the file back to
// its previous size; if even that fails, or fsync failed (after which the
// kernel's page state is unknown), the Log is marked broken.
func (l *Log) writeLine(line []byte) error {
	n, err := l.write(l.f, line)
	if err == nil && n != len(line) {
		err = io.ErrShortWrite
	}
	if err == nil {
		if err = l.sync(l.f); err != nil {
			l.broken = fmt.Errorf("fsync failed earlier (%w); restart the agent", err)
		}
	}
	if err != nil {
		if terr := l.f.Truncate(l.size); terr != nil {
			l.broken = fmt.Errorf("a failed write could not be undone (%w); restart the agent", terr)
		}
		return err
	}
	l.size += int64(len(line))
	return nil
}

// rotateIfFull renames a full file to <name>.<first>-<last> and starts a new
// one; the chain continues into it. Failing to create the new file leaves
// l.f nil, and the next Append tries again.
func (l *Log) rotateIfFull() error {
	if l.f != nil && (l.size < l.maxSize || l.firstSeq == 0) {
		return nil
	}
	if l.f != nil {
		target := rotatedName(l.path, l.firstSeq, l.seq)
		if _, err := os.Lstat(target); err == nil {
			return fmt.Errorf("cannot rotate: %s already exists", filepath.Base(target))
		}
		if err := os.Rename(l.path, target); err != nil {
			return fmt.Errorf("cannot rotate: %w", err)
		}
		l.f.Close()
		l.f, l.info, l.size, l.firstSeq = nil, nil, 0, 0
	}
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("cannot start a new log file after rotation: %w", err)
	}
	fi, err := f.Stat()
	if err == nil {
		err = syncDir(filepath.Dir(l.path))
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("cannot start a new log file after rotation: %w", err)
	}
	l.f, l.info = f, fi
	return nil
}

package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
)

// ReadLast returns the last n records of the log at path, oldest first,
// reaching into rotated files when the current one holds fewer. An
// incomplete last line is skipped. It does not verify anything: use
// [Verify] for that. A line that is not a record is an error wrapping
// [ErrDamaged].
func ReadLast(path string, n int) ([]Record, error) {
	if n <= 0 {
		return nil, nil
	}
	rotated, err := rotatedFiles(path)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	files := []string{path}
	for i := len(rotated) - 1; i >= 0; i-- {
		files = append(files, rotated[i].path)
	}
	var out []Record
	for i, name := range files {
		recs, err := lastRecords(name, n-len(out))
		if i == 0 && errors.Is(err, os.ErrNotExist) && len(rotated) > 0 {
			continue // just rotated, or a crash right after rotating
		}
		if err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		out = append(recs, out...)
		if len(out) >= n {
			break
		}
	}
	return out, nil
}

func lastRecords(path string, n int) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	lines, _, err := lastLines(f, fi.Size(), n)
	if err != nil {
		return nil, err
	}
	recs := make([]Record, 0, len(lines))
	for _, line := range lines {
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("%w: %s holds a line that is not a record", ErrDamaged, path)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// followPoll is how often Follow looks for new lines.
var followPoll = 250 * time.Millisecond

// Follow calls fn, in order, for every record appended to the log at path
// after Follow starts, following the log across rotations, until ctx is
// done; it then returns nil. Use [FollowAfter] to continue gap-free from
// records already shown with [ReadLast]. It returns an error wrapping
// [ErrDamaged] if a line is not a record.
func Follow(ctx context.Context, path string, fn func(Record)) error {
	last, err := ReadLast(path, 1)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	var after uint64
	if len(last) > 0 {
		after = last[0].Seq
	}
	return FollowAfter(ctx, path, after, fn)
}

// FollowAfter is [Follow] starting after the record with seq after: records
// of the current file with a higher seq are delivered first.
func FollowAfter(ctx context.Context, path string, after uint64, fn func(Record)) error {
	fw := follower{path: path, after: after, fn: fn}
	tick := time.NewTicker(followPoll)
	defer tick.Stop()
	defer fw.close()
	for {
		if err := fw.poll(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

type follower struct {
	path    string
	after   uint64
	fn      func(Record)
	f       *os.File
	info    os.FileInfo
	pending []byte
}

func (fw *follower) close() {
	if fw.f != nil {
		fw.f.Close()
	}
}

// poll delivers new complete lines; when the path now names another file
// (rotated), it drains the old one and moves to the new one.
func (fw *follower) poll() error {
	if fw.f == nil {
		f, err := os.Open(fw.path)
		if errors.Is(err, os.ErrNotExist) {
			return nil // between rotation steps, or not created yet
		}
		if err != nil {
			return err
		}
		if fw.info, err = f.Stat(); err != nil {
			f.Close()
			return err
		}
		fw.f, fw.pending = f, nil
	}
	if err := fw.drain(); err != nil {
		return err
	}
	onDisk, err := os.Stat(fw.path)
	if err != nil || os.SameFile(onDisk, fw.info) {
		return nil
	}
	if err := fw.drain(); err != nil {
		return err
	}
	fw.f.Close()
	fw.f = nil
	return fw.poll()
}

func (fw *follower) drain() error {
	buf, err := io.ReadAll(fw.f)
	if err != nil {
		return err
	}
	fw.pending = append(fw.pending, buf...)
	for {
		i := bytes.IndexByte(fw.pending, '\n')
		if i < 0 {
			break
		}
		line := fw.pending[:i]
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("%w: %s holds a line that is not a record", ErrDamaged, fw.path)
		}
		fw.pending = slices.Clone(fw.pending[i+1:])
		if r.Seq > fw.after {
			fw.after = r.Seq
			fw.fn(r)
		}
	}
	if len(fw.pending) > maxLine {
		return fmt.Errorf("%w: a line is longer than %d bytes", ErrDamaged, maxLine)
	}
	return nil
}

package audit

import (
	"bytes"
	"fmt"
	"io"
)

const readChunk = 64 << 10

// lastLines returns up to n complete lines (without newlines, oldest first)
// that end the first size bytes of r, and the offset where an incomplete
// last line starts (size when the data ends in a newline). It reads
// backwards and never holds more than (n+1) lines of maxLine bytes.
func lastLines(r io.ReaderAt, size int64, n int) (lines [][]byte, tornAt int64, err error) {
	var buf []byte
	pos := size
	limit := int64(n+1)*maxLine + readChunk
	for pos > 0 && bytes.Count(buf, []byte{'\n'}) <= n {
		step := min(int64(readChunk), pos)
		pos -= step
		chunk := make([]byte, step, int64(len(buf))+step)
		if _, err := r.ReadAt(chunk, pos); err != nil && err != io.EOF {
			return nil, 0, err
		}
		buf = append(chunk, buf...)
		if int64(len(buf)) > limit {
			return nil, 0, fmt.Errorf("%w: a line is longer than %d bytes", ErrDamaged, maxLine)
		}
	}
	end := bytes.LastIndexByte(buf, '\n') + 1 // 0 when there is no newline at all
	tornAt = pos + int64(end)
	complete := buf[:end]
	if end == 0 {
		return nil, tornAt, nil
	}
	parts := bytes.Split(complete[:len(complete)-1], []byte{'\n'})
	if pos > 0 {
		parts = parts[1:] // the first part may be the end of an earlier line
	}
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return parts, tornAt, nil
}

// firstLine returns the first complete line of r, or nil if there is none.
func firstLine(r io.ReaderAt) ([]byte, error) {
	buf := make([]byte, 0, readChunk)
	var off int64
	for int64(len(buf)) <= maxLine {
		chunk := make([]byte, readChunk)
		n, err := r.ReadAt(chunk, off)
		buf = append(buf, chunk[:n]...)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			return buf[:i], nil
		}
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		off += int64(n)
	}
	return nil, fmt.Errorf("%w: a line is longer than %d bytes", ErrDamaged, maxLine)
}

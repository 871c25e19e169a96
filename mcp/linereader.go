package mcp

import (
	"bufio"
	"errors"
	"io"
)

// MaxMessage is the longest line (one JSON-RPC message, without its newline)
// the agent reads. A longer line is answered with -32600 and the connection
// is closed.
const MaxMessage = 1 << 20

var errLineTooLong = errors.New("message too large")

// lineReader reads newline-delimited messages with bounded memory: it never
// holds more than max bytes of one line, however long the line is.
type lineReader struct {
	br  *bufio.Reader
	max int
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its "\n" (and "\r"), in a fresh slice
// the caller owns. It returns errLineTooLong as soon as a line passes max,
// and io.EOF at the end (a last line without newline is returned first).
func (l *lineReader) next() ([]byte, error) {
	var line []byte
	for {
		chunk, err := l.br.ReadSlice('\n')
		n := len(line) + len(chunk)
		if endsLine(chunk) {
			n-- // the newline does not count
		}
		if n > l.max {
			clear(line)
			return nil, errLineTooLong
		}
		line = append(growWiping(line, len(chunk)), chunk...) // a line may hold a value: leave no stray copy
		switch {
		case err == nil:
			return trimEOL(line), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, nil
		default:
			return nil, err
		}
	}
}

func endsLine(b []byte) bool { return len(b) > 0 && b[len(b)-1] == '\n' }

func trimEOL(b []byte) []byte {
	b = b[:len(b)-1]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

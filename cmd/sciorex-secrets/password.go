package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// readSecretLine reads one line from r, without its line ending. The
// caller wipes the result. An empty line is an error.
func readSecretLine(r io.Reader, what string) ([]byte, error) {
	br := bufio.NewReaderSize(r, 4096)
	line, err := br.ReadSlice('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, usagef("the %s on stdin is longer than 4 KiB", what)
		}
		return nil, err
	}
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return nil, usagef("no %s on stdin", what)
	}
	return bytes.Clone(line), nil
}

// readValue reads a secret value from r: everything up to EOF, with one
// trailing newline removed (as "echo" adds), at most maxSize bytes.
func readValue(r io.Reader, maxSize int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(maxSize)+2))
	if err != nil {
		return nil, err
	}
	if bytes.HasSuffix(b, []byte("\r\n")) {
		b = b[:len(b)-2]
	} else if bytes.HasSuffix(b, []byte("\n")) {
		b = b[:len(b)-1]
	}
	if len(b) > maxSize {
		clear(b)
		return nil, usagef("the value on stdin is larger than %d bytes", maxSize)
	}
	if len(b) == 0 {
		return nil, usagef("no value on stdin")
	}
	return b, nil
}

package mask

import (
	"encoding/binary"
	"io"
	"sync"
)

const (
	chunkSize = 64 << 10 // text scanned in place per step
	outBatch  = 32 << 10 // masked output gathered before one write to dst
)

// Writer masks what is written to it and passes the result to the writer
// it wraps. It holds back only bytes that could start a pattern; Flush
// writes them once the stream ends. Its methods may be called from several
// goroutines. After an error from the wrapped writer every call returns
// that error and nothing more is written.
type Writer struct {
	mu    sync.Mutex
	set   *Set
	dst   io.Writer
	held  []byte // bytes that may start a pattern, from stream offset base
	out   []byte // masked output not yet written to dst
	count int
	err   error

	base     int64 // stream offset of held[0], or of the next byte when held is empty
	covered  int64 // stream offset where the last masked run ends
	emitted  int64 // stream offset up to which output was produced
	lastName int32 // secret of the last masked run
}

// NewWriter returns a Writer that masks the patterns of s into dst.
func (s *Set) NewWriter(dst io.Writer) *Writer {
	return &Writer{set: s, dst: dst, lastName: -1}
}

// Write masks p into the wrapped writer and returns len(p), or 0 and the
// error of the wrapped writer (or ErrWiped). It does not keep p.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.check(); err != nil {
		return 0, err
	}
	if w.set.scan == nil {
		w.emit(p)
		w.flushOut()
		if w.err != nil {
			return 0, w.err
		}
		return len(p), nil
	}
	w.write(p)
	w.flushOut()
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

func (w *Writer) write(rest []byte) {
	maxLen := w.set.maxLen
	chunk := max(chunkSize, 2*maxLen)
	for len(rest) > 0 && w.err == nil {
		if len(w.held) == 0 {
			n := min(len(rest), chunk)
			u := w.step(rest[:n], false)
			w.base += int64(u)
			switch {
			case u == n:
				rest = rest[n:]
			case n < len(rest):
				rest = rest[u:] // the tail is scanned again with what follows
			default:
				w.held = append(w.held, rest[u:]...)
				rest = nil
			}
			continue
		}
		// Join the held bytes with enough new ones to resolve them.
		hl := len(w.held)
		take := min(len(rest), maxLen)
		pend := append(w.held, rest[:take]...)
		u := w.step(pend, false)
		w.base += int64(u)
		if u >= hl {
			clear(pend)
			w.held = pend[:0]
			rest = rest[u-hl:]
			continue
		}
		n := copy(pend, pend[u:])
		clear(pend[n:])
		w.held = pend[:n]
		rest = rest[take:]
	}
}

// Flush masks and writes the held-back bytes, ending every partial match:
// the next Write starts afresh. It returns the wrapped writer's error, if any.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.check(); err != nil {
		return err
	}
	if len(w.held) > 0 {
		w.step(w.held, true)
		w.base += int64(len(w.held))
		clear(w.held)
		w.held = w.held[:0]
	}
	w.flushOut()
	return w.err
}

// Close is Flush, for callers that want an io.WriteCloser. It does not
// close the wrapped writer.
func (w *Writer) Close() error { return w.Flush() }

// Count is how many occurrences were masked so far.
func (w *Writer) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count
}

func (w *Writer) check() error {
	if w.err == nil && w.set.wiped.Load() {
		clear(w.held)
		w.held = nil
		w.err = ErrWiped
	}
	return w.err
}

// step masks text, which starts at stream offset w.base, up to the first
// position whose match is not yet known (all of it when final), and
// returns that position. Matches are taken in order of start; each takes
// the longest pattern there, and one that overlaps the masked run before
// it extends that run.
func (w *Writer) step(text []byte, final bool) int {
	s := w.set
	t := s.scan
	u := len(text)
	if !final {
		u = s.firstUnresolved(text)
	}
	m := t.m
	end := min(len(text), u+m-1) // windows ending before end start before u
	for i := m - 1; i < end; {
		h := blockHash(binary.LittleEndian.Uint32(text[i-3:]) >> 8)
		if sh := t.shift[h]; sh != 0 {
			i += int(sh)
			continue
		}
		q := i - m + 1
		if id := s.longestAt(text, q, h); id >= 0 {
			w.masked(text, q, id)
		}
		i++
	}
	if final {
		w.maskTruncated(text)
	}
	if start := w.base + int64(u); w.emitted < start {
		w.emit(text[w.emitted-w.base : u])
		w.emitted = start
	}
	return u
}

// MinTailLen is the shortest start of a pattern masked when a stream ends
// with it (a child that dies halfway through printing a value must not
// leave that half in clear). It is below MinLen: a stream's end is one
// place, where masking a false match costs little.
const MinTailLen = 4

// maskTruncated masks the end of a stream that is the start of a pattern,
// MinTailLen bytes or longer.
func (w *Writer) maskTruncated(text []byte) {
	s := w.set
	for q := max(0, len(text)-(s.maxLen-1)); q <= len(text)-MinTailLen; q++ {
		if id := s.extending(text[q:]); id >= 0 {
			w.maskRun(text, q, len(text), s.patterns[id].secret)
			return
		}
	}
}

// masked records that pattern id occurs in text at q.
func (w *Writer) masked(text []byte, q, id int) {
	p := w.set.patterns[id]
	w.maskRun(text, q, q+len(p.b), p.secret)
}

// maskRun masks text[q:qEnd] as the value of secret: a run starting after
// the masked run opens a new one; one overlapping it and reaching further
// extends it, under a new mask only if the secret differs.
func (w *Writer) maskRun(text []byte, q, qEnd int, secret int32) {
	start, end := w.base+int64(q), w.base+int64(qEnd)
	switch {
	case end <= w.covered:
		return
	case start >= w.covered:
		w.emit(text[w.emitted-w.base : q])
		w.emit(w.set.tokens[secret])
		w.count++
	case secret != w.lastName:
		w.emit(w.set.tokens[secret])
		w.count++
	}
	w.covered, w.emitted, w.lastName = end, end, secret
}

func (w *Writer) emit(b []byte) {
	if w.err != nil || len(b) == 0 {
		return
	}
	if len(w.out)+len(b) > outBatch {
		w.flushOut()
		if len(b) > outBatch {
			w.writeDst(b)
			return
		}
	}
	w.out = append(w.out, b...)
}

func (w *Writer) flushOut() {
	if len(w.out) > 0 {
		w.writeDst(w.out)
		w.out = w.out[:0]
	}
}

func (w *Writer) writeDst(b []byte) {
	if w.err != nil {
		return
	}
	n, err := w.dst.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	w.err = err
}

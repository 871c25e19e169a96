package dialogs

// cappedBuffer collects a program's output up to max bytes and drops the
// rest, so a runaway program cannot exhaust memory. When it grows, the old
// storage is wiped, since the output may be a secret.
type cappedBuffer struct {
	buf      []byte
	max      int
	overflow bool
}

// Write keeps what fits and reports every byte as written, so the program
// is not killed by a broken pipe before it exits.
func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.max - len(c.buf)
	keep := p
	if len(keep) > room {
		keep = keep[:room]
		c.overflow = true
	}
	if len(c.buf)+len(keep) > cap(c.buf) {
		grown := make([]byte, len(c.buf), max(2*cap(c.buf), len(c.buf)+len(keep), 512))
		copy(grown, c.buf)
		wipe(c.buf)
		c.buf = grown
	}
	c.buf = append(c.buf, keep...)
	return len(p), nil
}

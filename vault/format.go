package vault

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// The container: a text header of fixed lines, the sealed body, then the
// journal of sealed changes. FORMAT.md is the specification; this file
// implements its grammar.

const (
	magicPrefix   = "sciorex-secrets/vault/"
	magicLine     = magicPrefix + "v1"
	formatVersion = 1

	// MaxFileSize is the largest vault file a decoder accepts.
	MaxFileSize    = 256 << 20
	maxHeaderLen   = 1024
	wrappedKeySize = nonceSize + keySize + tagSize
)

var b64 = base64.RawStdEncoding.Strict()

// header is the decoded, checked header. raw is its exact bytes, the
// associated data of the body.
type header struct {
	id        [idSize]byte
	kdf       KDFParams
	salt      [saltSize]byte
	gen       uint64
	wrapped   [wrappedKeySize]byte
	kekCheck  [checkSize]byte
	dataCheck [checkSize]byte
	bodyLen   uint64 // nonce || ciphertext || tag of the body
}

// encode writes the header lines including the checksum line.
func (h *header) encode() []byte {
	var b bytes.Buffer
	b.Grow(400)
	b.WriteString(magicLine + "\n")
	b.WriteString("id " + hex.EncodeToString(h.id[:]) + "\n")
	fmt.Fprintf(&b, "kdf argon2id %d %d %d %s\n", h.kdf.Time, h.kdf.MemoryKiB, h.kdf.Threads, b64.EncodeToString(h.salt[:]))
	b.WriteString("gen " + strconv.FormatUint(h.gen, 10) + "\n")
	b.WriteString("key " + b64.EncodeToString(h.wrapped[:]) + "\n")
	b.WriteString("check " + b64.EncodeToString(h.kekCheck[:]) + " " + b64.EncodeToString(h.dataCheck[:]) + "\n")
	b.WriteString("body " + strconv.FormatUint(h.bodyLen, 10) + "\n")
	sum := sha256.Sum256(b.Bytes())
	b.WriteString("sum " + b64.EncodeToString(sum[:]) + "\n")
	return b.Bytes()
}

// decodeHeader parses the header at the start of file and returns it with
// its length. Errors: ErrNotVault, ErrUnsupportedVersion, ErrDamaged.
func decodeHeader(file []byte) (*header, int, error) {
	if err := checkMagic(file); err != nil {
		return nil, 0, err
	}
	r := lineReader{b: file}
	r.line() // magic, checked above
	h := &header{}
	idHex := r.field("id", 1)
	kdf := r.field("kdf", 5)
	gen := r.field("gen", 1)
	key := r.field("key", 1)
	check := r.field("check", 2)
	body := r.field("body", 1)
	sumStart := r.off
	sum := r.field("sum", 1)
	if r.err != nil {
		return nil, 0, r.err
	}
	want := sha256.Sum256(file[:sumStart])
	var got [checkSize]byte
	if !decodeFixed(sum[0], got[:], checkSize) || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return nil, 0, fmt.Errorf("%w: header checksum does not match", ErrDamaged)
	}
	if len(idHex[0]) != 2*idSize || strings.ToLower(idHex[0]) != idHex[0] {
		return nil, 0, fmt.Errorf("%w: bad vault id", ErrDamaged)
	}
	if _, err := hex.Decode(h.id[:], []byte(idHex[0])); err != nil {
		return nil, 0, fmt.Errorf("%w: bad vault id", ErrDamaged)
	}
	if kdf[0] != "argon2id" {
		return nil, 0, fmt.Errorf("%w: unknown key derivation %q", ErrUnsupportedVersion, kdf[0])
	}
	t, okT := parseCanonicalUint(kdf[1], 32)
	m, okM := parseCanonicalUint(kdf[2], 32)
	p, okP := parseCanonicalUint(kdf[3], 8)
	if !okT || !okM || !okP {
		return nil, 0, fmt.Errorf("%w: bad argon2id parameters", ErrDamaged)
	}
	h.kdf = KDFParams{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(p)}
	if err := h.kdf.validate(); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	var ok bool
	if h.gen, ok = parseCanonicalUint(gen[0], 64); !ok {
		return nil, 0, fmt.Errorf("%w: bad generation", ErrDamaged)
	}
	if h.bodyLen, ok = parseCanonicalUint(body[0], 64); !ok || h.bodyLen < nonceSize+tagSize || h.bodyLen > MaxFileSize {
		return nil, 0, fmt.Errorf("%w: bad body length", ErrDamaged)
	}
	if !decodeFixed(kdf[4], h.salt[:], saltSize) || !decodeFixed(key[0], h.wrapped[:], wrappedKeySize) ||
		!decodeFixed(check[0], h.kekCheck[:], checkSize) || !decodeFixed(check[1], h.dataCheck[:], checkSize) {
		return nil, 0, fmt.Errorf("%w: bad base64 field in header", ErrDamaged)
	}
	return h, r.off, nil
}

// checkMagic classifies the first line.
func checkMagic(file []byte) error {
	if len(file) == 0 {
		return fmt.Errorf("%w: the file is empty", ErrDamaged)
	}
	full := magicLine + "\n"
	if len(file) < len(full) && strings.HasPrefix(full, string(file)) {
		return fmt.Errorf("%w: the file is truncated", ErrDamaged)
	}
	if !bytes.HasPrefix(file, []byte(magicPrefix)) {
		return ErrNotVault
	}
	if bytes.HasPrefix(file, []byte(full)) {
		return nil
	}
	rest := file[len(magicPrefix):]
	if i := bytes.IndexByte(rest, '\n'); i > 1 && i <= 21 && rest[0] == 'v' {
		if n, ok := parseCanonicalUint(string(rest[1:i]), 64); ok && n != formatVersion {
			return fmt.Errorf("%w: v%d (this build reads v%d)", ErrUnsupportedVersion, n, formatVersion)
		}
	}
	return fmt.Errorf("%w: bad first line", ErrDamaged)
}

// container is a whole decoded file: header, its raw bytes, the sealed
// body and the well-framed journal entries. Whether the entries open is
// known only with the key (see openBody).
type container struct {
	hdr     *header
	raw     []byte   // header bytes: the body's associated data
	body    []byte   // nonce || ciphertext || tag
	entries [][]byte // each nonce || ciphertext || tag, in file order
	end     int      // offset after the last well-framed entry
	size    int      // length of the file; size > end: a torn tail
	dropped int      // bytes of a last entry that did not open (see openJournal)
}

// torn is the number of bytes at the end of the file that were ignored: a
// change whose write did not complete, or damage at the very end.
func (c *container) torn() int { return c.size - c.end + c.dropped }

// decodeContainer checks the structure of a whole file without any key.
func decodeContainer(file []byte) (*container, error) {
	if len(file) > MaxFileSize {
		return nil, fmt.Errorf("%w: %w: the file is larger than %d bytes", ErrDamaged, ErrTooLarge, MaxFileSize)
	}
	h, n, err := decodeHeader(file)
	if err != nil {
		return nil, err
	}
	if uint64(len(file)-n) < h.bodyLen {
		return nil, fmt.Errorf("%w: the body is truncated", ErrDamaged)
	}
	bodyEnd := n + int(h.bodyLen)
	c := &container{hdr: h, raw: file[:n:n], body: file[n:bodyEnd:bodyEnd], size: len(file)}
	c.entries, c.end = frameEntries(file, bodyEnd)
	return c, nil
}

// encode returns the file up to the last well-framed entry: a decoded file
// without a torn tail re-encodes to the same bytes.
func (c *container) encode() []byte {
	out := make([]byte, 0, c.end)
	out = append(append(out, c.raw...), c.body...)
	for _, e := range c.entries {
		out = appendEntryFrame(out, e)
	}
	return out
}

// lineReader reads "keyword arg arg...\n" lines; the first error sticks.
type lineReader struct {
	b   []byte
	off int
	err error
}

func (r *lineReader) line() string {
	rest := r.b[r.off:]
	if len(rest) > maxHeaderLen {
		rest = rest[:maxHeaderLen]
	}
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		r.err = fmt.Errorf("%w: the header is truncated", ErrDamaged)
		return ""
	}
	r.off += i + 1
	return string(rest[:i])
}

// field reads the next line, which must be keyword followed by exactly n
// arguments separated by single spaces.
func (r *lineReader) field(keyword string, n int) []string {
	if r.err != nil {
		return make([]string, n)
	}
	l := r.line()
	if r.err != nil {
		return make([]string, n)
	}
	parts := strings.Split(l, " ")
	if len(parts) != n+1 || parts[0] != keyword {
		r.err = fmt.Errorf("%w: expected header line %q", ErrDamaged, keyword)
		return make([]string, n)
	}
	for _, p := range parts[1:] {
		if p == "" {
			r.err = fmt.Errorf("%w: empty field in header line %q", ErrDamaged, keyword)
		}
	}
	return parts[1:]
}

// parseCanonicalUint accepts decimal digits without leading zeros.
func parseCanonicalUint(s string, bits int) (uint64, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, bits)
	return n, err == nil
}

// decodeFixed decodes strict unpadded base64 of exactly size bytes into dst.
func decodeFixed(s string, dst []byte, size int) bool {
	if b64.EncodedLen(size) != len(s) {
		return false
	}
	b, err := b64.DecodeString(s)
	if err != nil || len(b) != size {
		return false
	}
	copy(dst, b)
	return true
}

package vault

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The body plaintext is a compact binary encoding of the model (FORMAT.md,
// "Body"). Decoding is strict: whatever decodes re-encodes to the same bytes.

var errBody = errors.New("malformed body")

func encodeBody(m *model) []byte {
	return appendBody(make([]byte, 0, bodySize(m)), m)
}

// bodySize is an upper bound of the encoded size of m.
func bodySize(m *model) int {
	size := 16 + binary.MaxVarintLen64 + 1 + auditMACLen
	for _, c := range m.collections {
		size += 16 + len(c.Name) + len(c.Description) + tagsSize(c.Tags)
	}
	for _, r := range m.secrets {
		size += idSize + 40 + len(r.name) + len(r.collection) + len(r.description) + len(r.scope) + tagsSize(r.tags) + len(r.sealed)
	}
	return size
}

// appendBody appends the plaintext encoding of m to b.
func appendBody(b []byte, m *model) []byte {
	b = append(b, accessCode(m.defaultAccess))
	b = binary.AppendUvarint(b, uint64(len(m.collections)))
	for _, c := range m.collections {
		b = appendCollection(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(m.secrets)))
	for _, r := range m.secrets {
		b = appendRecord(b, r)
	}
	b = binary.AppendUvarint(b, m.auditSeq)
	return appendString(b, m.auditMAC)
}

func appendCollection(b []byte, c *collectionRec) []byte {
	b = appendString(b, c.Name)
	b = appendString(b, c.Description)
	b = appendTags(b, c.Tags)
	return append(b, accessCode(c.DefaultAccess))
}

func appendRecord(b []byte, r *record) []byte {
	b = append(b, r.id[:]...)
	b = appendString(b, r.name)
	b = appendString(b, r.collection)
	b = appendTags(b, r.tags)
	b = appendString(b, r.description)
	b = appendString(b, r.scope)
	b = append(b, accessCode(r.access))
	b = appendTime(b, r.created)
	b = appendTime(b, r.updated)
	b = appendTime(b, r.accessed)
	return append(binary.AppendUvarint(b, uint64(len(r.sealed))), r.sealed...)
}

func tagsSize(tags []string) int {
	n := 2
	for _, t := range tags {
		n += 2 + len(t)
	}
	return n
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendTags(b []byte, tags []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(tags)))
	for _, t := range tags {
		b = appendString(b, t)
	}
	return b
}

// appendTime stores Unix nanoseconds big-endian; the zero time is 0.
func appendTime(b []byte, t time.Time) []byte {
	var n int64
	if !t.IsZero() {
		n = t.UnixNano()
	}
	return binary.BigEndian.AppendUint64(b, uint64(n))
}

// decodeBody parses and checks a body plaintext. Errors wrap errBody and say
// which rule failed; they contain no value.
func decodeBody(b []byte) (*model, error) {
	d := bodyDecoder{b: b}
	m := &model{}
	var ok bool
	if m.defaultAccess, ok = accessFromCode(d.byte()); !ok && d.err == nil {
		return nil, d.fail("bad default access")
	}
	nc := d.count(MaxCollections)
	m.collections = make([]*collectionRec, 0, min(nc, len(b)/4))
	for i := 0; i < nc && d.err == nil; i++ {
		c, err := d.collection()
		if err != nil {
			return nil, err
		}
		if c == nil {
			break
		}
		if i > 0 && m.collections[i-1].folded >= c.folded {
			return nil, d.fail("collections out of order")
		}
		m.collections = append(m.collections, c)
	}
	d.interned = make(map[string]string, len(m.collections)+16)
	for _, c := range m.collections {
		d.interned[c.Name] = c.Name
	}
	ns := d.count(MaxSecrets)
	m.secrets = make([]*record, 0, min(ns, len(b)/(idSize+40)))
	m.base, m.delta = &index{byID: make(map[[idSize]byte]*record, cap(m.secrets))}, newIndex(0)
	for i := 0; i < ns && d.err == nil; i++ {
		r, err := d.record(m)
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		if i > 0 {
			p := m.secrets[i-1]
			if !recordLess(p.name, p.scope, r.name, r.scope) {
				return nil, d.fail("secrets out of order")
			}
		}
		if m.base.byID[r.id] != nil {
			return nil, d.fail("duplicate secret id")
		}
		m.base.byID[r.id] = r
		m.secrets = append(m.secrets, r.finish())
	}
	m.auditSeq = d.uvarint()
	m.auditMAC = d.string(auditMACLen)
	if d.err != nil {
		return nil, d.err
	}
	if validateCheckpoint(m.auditSeq, m.auditMAC) != nil {
		return nil, d.fail("bad audit checkpoint")
	}
	if len(d.b) != 0 {
		return nil, d.fail("trailing bytes")
	}
	return m, nil
}

// collection reads one collection; nil, nil at a truncation (d.err is set).
func (d *bodyDecoder) collection() (*collectionRec, error) {
	c := &collectionRec{}
	c.Name = d.string(MaxCollectionLen)
	c.Description = d.string(MaxDescriptionLen)
	c.Tags = d.tags()
	access, ok := accessFromCode(d.byte())
	if d.err != nil {
		return nil, nil
	}
	if !ok {
		return nil, d.fail("bad collection access")
	}
	c.DefaultAccess = access
	c.folded = strings.ToLower(c.Name)
	if validateLabel("collection", c.Name, MaxCollectionLen) != nil || validateDescription(c.Description) != nil {
		return nil, d.fail("bad collection")
	}
	return c, nil
}

// record reads one secret; nil, nil at a truncation (d.err is set). With
// m, the secret's collection must be one of m's, spelled the same; without,
// the caller checks that.
func (d *bodyDecoder) record(m *model) (*record, error) {
	r := &record{}
	copy(r.id[:], d.take(idSize))
	r.name = d.string(MaxNameLen)
	r.collection = d.shared(MaxCollectionLen)
	r.tags = d.tags()
	r.description = d.string(MaxDescriptionLen)
	r.scope = d.shared(MaxScopeLen)
	access, okAccess := accessFromCode(d.byte())
	r.created = d.time()
	r.updated = d.time()
	r.accessed = d.time()
	r.sealed = d.take(d.count(MaxValueSize + nonceSize + tagSize)) // aliases the plaintext: ciphertext only
	if d.err != nil {
		return nil, nil
	}
	r.access = access
	switch {
	case !okAccess:
		return nil, d.fail("bad secret access")
	case ValidateName(r.name) != nil, validateDescription(r.description) != nil, validateScope(r.scope) != nil:
		return nil, d.fail("bad secret metadata")
	case len(r.sealed) < nonceSize+tagSize:
		return nil, d.fail("sealed value too short")
	}
	if m != nil && !m.hasCollection(r.collection) {
		return nil, d.fail("secret in unknown collection")
	}
	return r, nil
}

type bodyDecoder struct {
	b        []byte
	err      error
	interned map[string]string // see shared; nil: no interning
}

func (d *bodyDecoder) fail(what string) error {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errBody, what)
	}
	return d.err
}

func (d *bodyDecoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail("truncated")
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *bodyDecoder) byte() byte {
	b := d.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// uvarint reads a minimal-length uvarint.
func (d *bodyDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || n != uvarintLen(v) {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *bodyDecoder) count(limit int) int {
	n := d.uvarint()
	if n > uint64(limit) {
		d.fail("count over limit")
		return 0
	}
	return int(n)
}

func (d *bodyDecoder) string(limit int) string {
	n := d.count(limit)
	return string(d.take(n))
}

// shared reads a string that many records repeat (a collection, a scope, a
// tag): while decoding a body, each distinct one is allocated once.
func (d *bodyDecoder) shared(limit int) string {
	b := d.take(d.count(limit))
	if d.interned == nil {
		return string(b)
	}
	if s, ok := d.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	d.interned[s] = s
	return s
}

// tags reads a strictly increasing list of valid tags.
func (d *bodyDecoder) tags() []string {
	n := d.count(MaxTags)
	if n == 0 {
		return nil
	}
	tags := make([]string, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		t := d.shared(MaxTagLen)
		if d.err == nil && (validateLabel("tag", t, MaxTagLen) != nil || i > 0 && tags[i-1] >= t) {
			d.fail("bad tags")
		}
		tags = append(tags, t)
	}
	return slices.Clip(tags)
}

func (d *bodyDecoder) time() time.Time {
	b := d.take(8)
	if b == nil {
		return time.Time{}
	}
	n := int64(binary.BigEndian.Uint64(b))
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

package vault

import (
	"bytes"
	"cmp"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
)

// The journal (FORMAT.md, "Journal"): a write that leaves the header alone
// appends one sealed change after the body instead of rewriting the file,
// so that its cost does not grow with the vault. Each entry is chained to
// the one before it (the body for the first) through its GCM tag. When the
// journal would pass an eighth of the body, the write rewrites the whole
// file instead (compaction), which empties the journal: unlocking replays
// at most that much.

const journalAADPrefix = "sciorex-secrets/vault/v1 entry"

// compactAt reports whether a journal of this many bytes calls for a full
// rewrite, for a body of bodyLen bytes.
func compactAt(journal, bodyLen int) bool { return journal > bodyLen/8 }

// change is what one entry records: collections created or changed,
// secrets removed, secrets created or changed (whole records), and the
// audit checkpoint after the change.
type change struct {
	collections []*collectionRec // sorted by folded name, unique
	removed     [][idSize]byte   // sorted, unique
	secrets     []*record        // sorted by id, unique, none of them removed
	auditSeq    uint64
	auditMAC    string
}

func (ch *change) empty(old *model) bool {
	return len(ch.collections) == 0 && len(ch.removed) == 0 && len(ch.secrets) == 0 &&
		ch.auditSeq == old.auditSeq && ch.auditMAC == old.auditMAC
}

// diff is the change from old to m, where m is a clone of old that has
// been changed but not yet committed (its index delta names every secret
// it touched).
func diff(old, m *model) *change {
	ch := &change{auditSeq: m.auditSeq, auditMAC: m.auditMAC}
	for id, r := range m.delta.byID {
		switch was := old.byID(id); {
		case r == nil && was != nil:
			ch.removed = append(ch.removed, id)
		case r != nil && r != was:
			ch.secrets = append(ch.secrets, r)
		}
	}
	slices.SortFunc(ch.removed, func(a, b [idSize]byte) int { return bytes.Compare(a[:], b[:]) })
	slices.SortFunc(ch.secrets, func(a, b *record) int { return bytes.Compare(a.id[:], b.id[:]) })
	before := make(map[*collectionRec]bool, len(old.collections))
	for _, c := range old.collections {
		before[c] = true
	}
	for _, c := range m.collections { // already in order
		if !before[c] {
			ch.collections = append(ch.collections, c)
		}
	}
	return ch
}

func encodeChange(ch *change) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(ch.collections)))
	for _, c := range ch.collections {
		b = appendCollection(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(ch.removed)))
	for _, id := range ch.removed {
		b = append(b, id[:]...)
	}
	b = binary.AppendUvarint(b, uint64(len(ch.secrets)))
	for _, r := range ch.secrets {
		b = appendRecord(b, r)
	}
	b = binary.AppendUvarint(b, ch.auditSeq)
	return appendString(b, ch.auditMAC)
}

// decodeChange parses a change plaintext strictly: whatever decodes
// re-encodes to the same bytes. Errors wrap errBody.
func decodeChange(b []byte) (*change, error) {
	d := bodyDecoder{b: b}
	ch := &change{}
	nc := d.count(MaxCollections)
	for i := 0; i < nc && d.err == nil; i++ {
		c, err := d.collection()
		if err != nil {
			return nil, err
		}
		if c == nil {
			break
		}
		if i > 0 && ch.collections[i-1].folded >= c.folded {
			return nil, d.fail("collections out of order")
		}
		ch.collections = append(ch.collections, c)
	}
	nr := d.count(MaxSecrets)
	for i := 0; i < nr && d.err == nil; i++ {
		var id [idSize]byte
		copy(id[:], d.take(idSize))
		if d.err == nil && i > 0 && bytes.Compare(ch.removed[i-1][:], id[:]) >= 0 {
			return nil, d.fail("removed ids out of order")
		}
		ch.removed = append(ch.removed, id)
	}
	ns := d.count(MaxSecrets)
	for i := 0; i < ns && d.err == nil; i++ {
		r, err := d.record(nil)
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		if i > 0 && bytes.Compare(ch.secrets[i-1].id[:], r.id[:]) >= 0 {
			return nil, d.fail("secrets out of order")
		}
		if _, gone := slices.BinarySearchFunc(ch.removed, r.id, func(a, b [idSize]byte) int { return bytes.Compare(a[:], b[:]) }); gone {
			return nil, d.fail("secret both removed and written")
		}
		ch.secrets = append(ch.secrets, r.finish())
	}
	ch.auditSeq = d.uvarint()
	ch.auditMAC = d.string(auditMACLen)
	switch {
	case d.err != nil:
		return nil, d.err
	case validateCheckpoint(ch.auditSeq, ch.auditMAC) != nil:
		return nil, d.fail("bad audit checkpoint")
	case len(d.b) != 0:
		return nil, d.fail("trailing bytes")
	}
	return ch, nil
}

// frameEntries splits file[off:] into entries, each uvarint(length) ||
// sealed bytes. It stops at the first frame that is not whole (a torn
// tail: the remainder is ignored) and returns the offset after the last
// whole frame.
func frameEntries(file []byte, off int) (entries [][]byte, end int) {
	for off < len(file) {
		n, k := binary.Uvarint(file[off:])
		if k <= 0 || k != uvarintLen(n) || n < nonceSize+tagSize || n > uint64(len(file)-off-k) {
			break
		}
		start, stop := off+k, off+k+int(n)
		entries = append(entries, file[start:stop:stop])
		off = stop
	}
	return entries, off
}

func appendEntryFrame(b, sealed []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(sealed))), sealed...)
}

// entryAAD binds an entry to the one before it through that one's tag.
func entryAAD(prev []byte) []byte {
	return append([]byte(journalAADPrefix), prev[len(prev)-tagSize:]...)
}

// lastSealed is the body or the last entry: what the next entry chains to.
func (c *container) lastSealed() []byte {
	if len(c.entries) > 0 {
		return c.entries[len(c.entries)-1]
	}
	return c.body
}

// journalLen is the number of bytes the entries take.
func (c *container) journalLen() int { return c.end - len(c.raw) - len(c.body) }

// openJournal opens the entries of c in order and applies them to m. An
// entry that does not open or parse is damage, except the last one, which
// is a torn write (a crash while it was appended: it was never
// acknowledged) and is dropped from c with everything after it.
func openJournal(key []byte, c *container, m *model) error {
	changes := make([]*change, 0, len(c.entries))
	aead := newGCM(key)
	prev := c.body
	for i, e := range c.entries {
		ch, err := openEntry(aead, e, prev)
		if err != nil {
			if i == len(c.entries)-1 {
				c.entries = c.entries[:i]
				c.end -= frameLen(e)
				c.dropped = frameLen(e)
				break
			}
			return fmt.Errorf("%w: journal entry %d of %d: %w", ErrDamaged, i+1, len(c.entries), err)
		}
		changes = append(changes, ch)
		prev = e
	}
	if err := m.apply(changes); err != nil {
		return fmt.Errorf("%w: journal: %w", ErrDamaged, err)
	}
	return nil
}

func openEntry(aead cipher.AEAD, sealed, prev []byte) (*change, error) {
	pt, err := aead.Open(nil, sealed[:nonceSize], sealed[nonceSize:], entryAAD(prev))
	if err != nil {
		return nil, errOpen
	}
	return decodeChange(pt)
}

func frameLen(sealed []byte) int { return uvarintLen(uint64(len(sealed))) + len(sealed) }

// apply replays changes on a freshly decoded m, in one pass over its
// secrets whatever their number, and checks the rules of the body on the
// result. It rebuilds m's indexes.
func (m *model) apply(changes []*change) error {
	if len(changes) == 0 {
		return nil
	}
	cols := make(map[string]*collectionRec)
	latest := make(map[[idSize]byte]*record) // nil: removed
	for _, ch := range changes {
		for _, c := range ch.collections {
			cols[c.folded] = c
		}
		for _, id := range ch.removed {
			latest[id] = nil
		}
		for _, r := range ch.secrets {
			latest[r.id] = r
		}
		m.auditSeq, m.auditMAC = ch.auditSeq, ch.auditMAC
	}
	for _, c := range m.collections {
		if nc, ok := cols[c.folded]; ok && nc.Name != c.Name {
			return fmt.Errorf("%w: collection %q respelled", errBody, c.Name)
		}
	}
	for _, c := range m.collections {
		if _, ok := cols[c.folded]; !ok {
			cols[c.folded] = c
		}
	}
	if len(cols) > MaxCollections {
		return fmt.Errorf("%w: too many collections", errBody)
	}
	m.collections = slices.SortedFunc(maps.Values(cols), func(a, b *collectionRec) int { return cmp.Compare(a.folded, b.folded) })

	var written []*record
	for _, r := range latest {
		if r != nil {
			written = append(written, r)
		}
	}
	slices.SortFunc(written, func(a, b *record) int { return compareRecords(a, b) })
	kept := slices.DeleteFunc(m.secrets, func(r *record) bool { _, touched := latest[r.id]; return touched })
	merged := make([]*record, 0, len(kept)+len(written))
	for len(kept) > 0 || len(written) > 0 {
		switch {
		case len(written) == 0 || len(kept) > 0 && compareRecords(kept[0], written[0]) < 0:
			merged, kept = append(merged, kept[0]), kept[1:]
		default:
			merged, written = append(merged, written[0]), written[1:]
		}
		if n := len(merged); n > 1 && compareRecords(merged[n-2], merged[n-1]) == 0 {
			return fmt.Errorf("%w: two secrets named %q in scope %q", errBody, merged[n-1].name, merged[n-1].scope)
		}
	}
	if len(merged) > MaxSecrets {
		return fmt.Errorf("%w: too many secrets", errBody)
	}
	m.secrets = merged
	for _, r := range latest {
		if r != nil && !m.hasCollection(r.collection) {
			return fmt.Errorf("%w: secret %q in unknown collection", errBody, r.name)
		}
	}
	m.reindex()
	return nil
}

// compareRecords is the canonical order of recordLess as a comparison.
func compareRecords(a, b *record) int {
	switch {
	case recordLess(a.name, a.scope, b.name, b.scope):
		return -1
	case recordLess(b.name, b.scope, a.name, a.scope):
		return 1
	}
	return 0
}

package vault

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The export plaintext (FORMAT.md, "Export files"): the model with each
// value in the clear, then the audit files. Decoding is strict: whatever
// decodes re-encodes to the same bytes.

// Limits on the audit files an export carries.
const (
	maxAuditFiles    = 1024
	maxAuditNameLen  = 255
	maxExportEntries = MaxSecrets
)

func encodeExportPlain(b *Backup) []byte {
	size := 64
	for _, s := range b.Secrets {
		size += idSize + 48 + len(s.Name) + len(s.Collection) + len(s.Description) + len(s.Scope) + tagsSize(s.Tags) + s.Value.Len()
	}
	for _, c := range b.Collections {
		size += 16 + len(c.Name) + len(c.Description) + tagsSize(c.Tags)
	}
	for _, a := range b.Audit {
		size += 16 + len(a.Name) + len(a.Data)
	}
	out := make([]byte, 0, size) // sized so that no value is left behind by a reallocation
	out = appendTime(out, b.Exported)
	out = append(out, accessCode(b.DefaultAccess))
	out = binary.AppendUvarint(out, uint64(len(b.Collections)))
	for _, c := range b.Collections {
		out = appendString(out, c.Name)
		out = appendString(out, c.Description)
		out = appendTags(out, c.Tags)
		out = append(out, accessCode(c.DefaultAccess))
	}
	out = binary.AppendUvarint(out, uint64(len(b.Secrets)))
	for _, s := range b.Secrets {
		id, _ := hex.DecodeString(s.ID)
		out = append(out, id...)
		out = appendString(out, s.Name)
		out = appendString(out, s.Collection)
		out = appendTags(out, s.Tags)
		out = appendString(out, s.Description)
		out = appendString(out, s.Scope)
		out = append(out, accessCode(s.Access))
		out = appendTime(out, s.Created)
		out = appendTime(out, s.Updated)
		out = appendTime(out, s.LastAccessed)
		out = binary.AppendUvarint(out, uint64(s.Value.Len()))
		out = append(out, s.Value.Bytes()...)
	}
	out = binary.AppendUvarint(out, uint64(len(b.Audit)))
	for _, a := range b.Audit {
		out = appendString(out, a.Name)
		out = binary.AppendUvarint(out, uint64(len(a.Data)))
		out = append(out, a.Data...)
	}
	return out
}

// decodeExportPlain parses and checks an export plaintext. The backup's
// values alias plain. Errors wrap errBody and contain no value.
func decodeExportPlain(plain []byte) (*Backup, error) {
	d := bodyDecoder{b: plain}
	b := &Backup{plain: plain}
	b.Exported = d.time()
	var ok bool
	if b.DefaultAccess, ok = accessFromCode(d.byte()); !ok && d.err == nil {
		return nil, d.fail("bad default access")
	}
	var m model // the collections, to check the secrets against
	nc := d.count(MaxCollections)
	for i := 0; i < nc && d.err == nil; i++ {
		c := &collectionRec{}
		c.Name = d.string(MaxCollectionLen)
		c.Description = d.string(MaxDescriptionLen)
		c.Tags = d.tags()
		access, ok := accessFromCode(d.byte())
		if d.err != nil {
			break
		}
		c.DefaultAccess, c.folded = access, strings.ToLower(c.Name)
		switch {
		case !ok:
			return nil, d.fail("bad collection access")
		case validateLabel("collection", c.Name, MaxCollectionLen) != nil || validateDescription(c.Description) != nil:
			return nil, d.fail("bad collection")
		case i > 0 && m.collections[i-1].folded >= c.folded:
			return nil, d.fail("collections out of order")
		}
		m.collections = append(m.collections, c)
		b.Collections = append(b.Collections, c.Collection)
	}
	ns := d.count(maxExportEntries)
	seen := make(map[[idSize]byte]struct{}, min(ns, len(plain)/(idSize+40)))
	for i := 0; i < ns && d.err == nil; i++ {
		s, id := d.exportSecret(&m)
		if d.err != nil {
			break
		}
		if i > 0 {
			p := b.Secrets[i-1]
			if !recordLess(p.Name, p.Scope, s.Name, s.Scope) {
				return nil, d.fail("secrets out of order")
			}
		}
		if _, dup := seen[id]; dup {
			return nil, d.fail("duplicate secret id")
		}
		seen[id] = struct{}{}
		b.Secrets = append(b.Secrets, s)
	}
	na := d.count(maxAuditFiles)
	for i := 0; i < na && d.err == nil; i++ {
		a := AuditFile{Name: d.string(maxAuditNameLen)}
		a.Data = d.take(d.count(maxExportSize))
		if d.err != nil {
			break
		}
		if validateAuditName(a.Name) != nil || i > 0 && b.Audit[i-1].Name >= a.Name {
			return nil, d.fail("bad audit file name or order")
		}
		b.Audit = append(b.Audit, a)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, d.fail("trailing bytes")
	}
	return b, nil
}

func (d *bodyDecoder) exportSecret(m *model) (BackupSecret, [idSize]byte) {
	var id [idSize]byte
	copy(id[:], d.take(idSize))
	s := Secret{ID: hex.EncodeToString(id[:])}
	s.Name = d.string(MaxNameLen)
	s.Collection = d.string(MaxCollectionLen)
	s.Tags = d.tags()
	s.Description = d.string(MaxDescriptionLen)
	s.Scope = d.string(MaxScopeLen)
	access, okAccess := accessFromCode(d.byte())
	s.Access = access
	s.Created = d.time()
	s.Updated = d.time()
	s.LastAccessed = d.time()
	value := d.take(d.count(MaxValueSize))
	if d.err != nil {
		return BackupSecret{}, id
	}
	switch {
	case !okAccess:
		d.fail("bad secret access")
	case ValidateName(s.Name) != nil, validateDescription(s.Description) != nil, validateScope(s.Scope) != nil:
		d.fail("bad secret metadata")
	}
	if i, ok := m.findCollection(s.Collection); !ok || m.collections[i].Name != s.Collection {
		d.fail("secret in unknown collection")
	}
	return BackupSecret{Secret: s, Value: NewValue(value[:len(value):len(value)])}, id
}

// validateAuditFiles checks the names and order of audit files to export.
func validateAuditFiles(files []AuditFile) error {
	if len(files) > maxAuditFiles {
		return fmt.Errorf("%w: more than %d audit files", ErrTooLarge, maxAuditFiles)
	}
	for i, a := range files {
		if err := validateAuditName(a.Name); err != nil {
			return err
		}
		if i > 0 && files[i-1].Name >= a.Name {
			return fmt.Errorf("%w: audit files must be sorted by name, without repeats", ErrInvalidName)
		}
	}
	return nil
}

// validateAuditName accepts a plain file name: 1 to 255 bytes of UTF-8, no
// path separator, no control character, not "." or "..".
func validateAuditName(name string) error {
	bad := name == "" || name == "." || name == ".." || len(name) > maxAuditNameLen ||
		!utf8.ValidString(name) || strings.ContainsAny(name, `/\`)
	for _, r := range name {
		bad = bad || unicode.IsControl(r) || isBidiControl(r)
	}
	if bad {
		return fmt.Errorf("%w: %w %q", ErrInvalidName, errAuditName, name)
	}
	return nil
}

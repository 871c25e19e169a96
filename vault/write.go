package vault

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// readContainer reads the file, checks its structure and makes it current.
// A file with another vault id is reported as damaged: the vault was replaced.
func (v *Vault) readContainer() error {
	f, err := os.Open(v.path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrNotVault, v.path)
	}
	if fi.Size() > MaxFileSize {
		return fmt.Errorf("%w: %w: %s is larger than %d bytes", ErrDamaged, ErrTooLarge, v.path, MaxFileSize)
	}
	file, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read vault: %w", err)
	}
	c, err := decodeContainer(file)
	if err != nil {
		return err
	}
	if v.c != nil && c.hdr.id != v.c.hdr.id {
		return fmt.Errorf("%w: %s now holds a different vault", ErrDamaged, v.path)
	}
	v.c, v.st = c, stampOf(fi)
	return nil
}

// changedOnDisk reports whether the file differs from the current container.
// With deep set it also compares the header bytes, which include the
// generation counter, so a reused inode with equal size and time is caught.
func (v *Vault) changedOnDisk(deep bool) (bool, error) {
	if !deep {
		fi, err := os.Stat(v.path) // one system call: this runs before every read
		if err != nil {
			return true, err
		}
		return !stampOf(fi).same(v.st), nil
	}
	f, err := os.Open(v.path)
	if err != nil {
		return true, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return true, err
	}
	if !stampOf(fi).same(v.st) {
		return true, nil
	}
	head := make([]byte, len(v.c.raw))
	if _, err := io.ReadFull(f, head); err != nil {
		return true, nil
	}
	return !bytes.Equal(head, v.c.raw), nil
}

// sync brings the vault up to date with the file: the model too when
// unlocked, so that the container and the model never disagree.
func (v *Vault) sync() error {
	if v.dataKey != nil {
		return v.refresh(false)
	}
	return v.refreshContainer()
}

// refreshContainer re-reads the container if the file changed.
func (v *Vault) refreshContainer() error {
	changed, err := v.changedOnDisk(false)
	if err != nil {
		return err
	}
	if !changed {
		return nil
	}
	return v.readContainer()
}

// refresh brings an unlocked vault up to date with the file, which another
// process may have written. Fails closed: any error refuses the operation.
func (v *Vault) refresh(deep bool) error {
	if v.dataKey == nil {
		return ErrLocked
	}
	changed, err := v.changedOnDisk(deep)
	if err != nil {
		return fmt.Errorf("read vault: %w", err)
	}
	if !changed {
		return nil
	}
	if err := v.readContainer(); err != nil {
		return err
	}
	if !hmacEqual(checkValue(v.dataKey, dataCheckLabel), v.c.hdr.dataCheck[:]) {
		return fmt.Errorf("%w: the data key check failed", ErrDamaged)
	}
	m, err := openBody(v.dataKey, v.c)
	if err != nil {
		return err
	}
	v.m = m
	return nil
}

func openBody(key []byte, c *container) (*model, error) {
	pt, err := open(key, c.body, c.raw)
	if err != nil {
		return nil, fmt.Errorf("%w: the body does not decrypt", ErrDamaged)
	}
	m, err := decodeBody(pt)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	if err := openJournal(key, c, m); err != nil {
		return nil, err
	}
	return m, nil
}

// seal encodes and encrypts m under h (setting h.bodyLen), makes the
// result current and returns the whole file, which has no journal.
func (v *Vault) seal(m *model, h *header) []byte {
	pt := encodeBody(m)
	defer clear(pt)
	h.bodyLen = uint64(nonceSize + len(pt) + tagSize)
	raw := h.encode()
	buf := make([]byte, 0, len(raw)+int(h.bodyLen))
	buf = append(buf, raw...)
	nonce := randomBytes(nonceSize)
	buf = newGCM(v.dataKey).Seal(append(buf, nonce...), nonce, pt, raw)
	v.c = &container{hdr: h, raw: buf[:len(raw):len(raw)], body: buf[len(raw):], end: len(buf), size: len(buf)}
	return buf
}

// wrapKey wraps dataKey in h under a key derived from password with a fresh salt.
func wrapKey(h *header, dataKey, password []byte) {
	copy(h.salt[:], randomBytes(saltSize))
	kek := deriveKEK(password, h.salt[:], h.kdf)
	defer clear(kek)
	copy(h.wrapped[:], seal(kek, dataKey, wrapAAD(h.id[:])))
	copy(h.kekCheck[:], checkValue(kek, kekCheckLabel))
	copy(h.dataCheck[:], checkValue(dataKey, dataCheckLabel))
}

// mutate runs change on a copy of the model and header and durably writes
// the result, holding the cross-process write lock from the re-read to the
// end of the write so that no other writer's change is lost. A change that
// leaves the header alone is appended to the journal; one that changes it,
// or that would make the journal too long, rewrites the file. A change that
// changes nothing writes nothing. On any error neither the file nor the
// in-memory state changes.
func (v *Vault) mutate(change func(m *model, h *header) error) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.dataKey == nil {
		return ErrLocked
	}
	release, err := lockFile(writeLockPath(v.path), true)
	if err != nil {
		return fmt.Errorf("lock vault for writing: %w", err)
	}
	defer release()
	if err := v.refresh(true); err != nil {
		return err
	}
	m, h := v.m.clone(), *v.c.hdr
	if err := change(m, &h); err != nil {
		return err
	}
	if h == *v.c.hdr {
		ch := diff(v.m, m)
		if ch.empty(v.m) {
			return nil
		}
		entry := seal(v.dataKey, encodeChange(ch), entryAAD(v.c.lastSealed()))
		frame := appendEntryFrame(nil, entry)
		if !compactAt(v.c.journalLen()+len(frame), len(v.c.body)) {
			st, err := appendFile(v.path, v.st, v.c.end, frame, v.hook)
			if err != nil {
				return err
			}
			v.c.entries = append(v.c.entries, frame[len(frame)-len(entry):])
			v.c.end += len(frame)
			v.c.size, v.c.dropped = v.c.end, 0
			m.commit()
			v.m, v.st = m, st
			return nil
		}
	}
	h.gen++
	old := v.c
	file := v.seal(m, &h)
	st, err := replaceFile(v.path, file, v.hook)
	if err != nil && st.info == nil {
		v.c = old
		return err
	}
	m.commit()
	v.m, v.st = m, st
	return err
}

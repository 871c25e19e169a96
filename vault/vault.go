package vault

import (
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Vault is one vault file, locked or unlocked. All methods are safe for
// concurrent use. Writes are durable when they return nil and are safe
// against other processes writing the same file (see FORMAT.md, "Writers").
type Vault struct {
	path string

	mu      sync.Mutex
	c       *container // last container read or written
	st      stamp      // the file version c came from
	dataKey []byte     // nil when locked
	m       *model     // nil when locked
	hook    writeHook  // tests only
}

// Create makes a new vault at path and returns it unlocked. It never
// overwrites: ErrExists when path exists. The file is 0600; its directory is
// created 0700 when missing. password is not kept.
func Create(path string, password []byte, opts Options) (*Vault, error) {
	if len(password) == 0 {
		return nil, ErrEmptyPassword
	}
	m, kdf, err := opts.model()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create vault directory: %w", err)
	}
	release, err := lockFile(writeLockPath(path), true)
	if err != nil {
		return nil, fmt.Errorf("lock vault: %w", err)
	}
	defer release()
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, path)
	}
	v := &Vault{path: path, dataKey: randomBytes(keySize), m: m}
	h := &header{kdf: kdf}
	copy(h.id[:], randomBytes(idSize))
	wrapKey(h, v.dataKey, password)
	file := v.seal(m, h)
	if err := createFile(path, file); err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	v.st = stampOf(fi)
	return v, nil
}

// Open reads and checks the container at path and returns the vault locked.
// Errors: ErrNotVault, ErrUnsupportedVersion, ErrDamaged, or a file system
// error. It also removes temp files left by a crashed writer.
func Open(path string) (*Vault, error) {
	v := &Vault{path: path}
	if err := v.readContainer(); err != nil {
		return nil, err
	}
	if release, err := lockFile(writeLockPath(path), false); err == nil {
		removeStaleTemps(path, true)
		release()
	} else {
		removeStaleTemps(path, false)
	}
	return v, nil
}

// Path is the vault file's path as given to Create or Open.
func (v *Vault) Path() string { return v.path }

// ID is the vault id in hex. It never changes.
func (v *Vault) ID() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return hex.EncodeToString(v.c.hdr.id[:])
}

// Locked reports whether the vault is locked.
func (v *Vault) Locked() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.dataKey == nil
}

// Len is the number of secrets; 0 when locked.
func (v *Vault) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		return 0
	}
	return len(v.m.secrets)
}

// Unlock derives the key from password and decrypts the metadata. Errors:
// ErrWrongPassword when the header is intact but the password does not fit;
// ErrDamaged when the file fails to decrypt. It never modifies the file.
func (v *Vault) Unlock(password []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.sync(); err != nil {
		return err
	}
	h := v.c.hdr
	kek := deriveKEK(password, h.salt[:], h.kdf)
	defer clear(kek)
	if !hmac.Equal(checkValue(kek, kekCheckLabel), h.kekCheck[:]) {
		return ErrWrongPassword
	}
	key, err := open(kek, h.wrapped[:], wrapAAD(h.id[:]))
	if err != nil {
		return fmt.Errorf("%w: the wrapped key does not open", ErrDamaged)
	}
	return v.unlockWith(key)
}

// UnlockWithKey unlocks with the data key returned by SessionKey (for the OS
// keyring). ErrWrongPassword if the key does not fit; ErrDamaged as Unlock.
func (v *Vault) UnlockWithKey(key []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.sync(); err != nil {
		return err
	}
	if len(key) != keySize || !hmac.Equal(checkValue(key, dataCheckLabel), v.c.hdr.dataCheck[:]) {
		return ErrWrongPassword
	}
	return v.unlockWith(append([]byte(nil), key...))
}

// unlockWith takes ownership of key, checks it and decrypts the body.
func (v *Vault) unlockWith(key []byte) error {
	if !hmac.Equal(checkValue(key, dataCheckLabel), v.c.hdr.dataCheck[:]) {
		clear(key)
		return fmt.Errorf("%w: the data key check failed", ErrDamaged)
	}
	m, err := openBody(key, v.c)
	if err != nil {
		clear(key)
		return err
	}
	v.wipe()
	v.dataKey, v.m = key, m
	return nil
}

// TornTail is the number of bytes at the end of the file that the last
// read ignored: a change whose write was cut short by a crash (it was never
// acknowledged), or damage to the very end of the file, which a reader
// cannot tell apart (FORMAT.md, "Journal"). The next write cuts them off.
// 0 when the file ends cleanly.
func (v *Vault) TornTail() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.c.torn()
}

// Lock wipes the data key and drops the decrypted metadata.
func (v *Vault) Lock() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.wipe()
}

func (v *Vault) wipe() {
	clear(v.dataKey)
	v.dataKey, v.m = nil, nil
}

// SessionKey returns a copy of the data key, for UnlockWithKey. The caller
// wipes it. ErrLocked when locked.
func (v *Vault) SessionKey() ([]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.dataKey == nil {
		return nil, ErrLocked
	}
	return append([]byte(nil), v.dataKey...), nil
}

// DeriveKey returns a 32-byte key for purpose (e.g. the audit MAC), by
// HKDF-SHA256 from the data key. Stable across password changes. ErrLocked.
func (v *Vault) DeriveKey(purpose string) ([]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.dataKey == nil {
		return nil, ErrLocked
	}
	return deriveSubkey(v.dataKey, purpose)
}

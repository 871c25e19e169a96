package vault

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Backup is the decrypted content of an export file (FORMAT.md, "Export
// files"), or secrets gathered elsewhere (a .env file) to give to
// [Vault.Import]. It holds secret values: call Wipe when done. It prints
// values as "[redacted]" like every [Value].
type Backup struct {
	Exported      time.Time // when the file was written; zero when unknown
	DefaultAccess Access    // the exporting vault's default for new collections; informational
	Collections   []Collection
	Secrets       []BackupSecret
	Audit         []AuditFile // the audit trail, when the export included it

	plain []byte // the decrypted plaintext the values alias, wiped by Wipe
}

// BackupSecret is one secret of a backup: its metadata and its value.
// An empty Secret.ID, Scope, Access or zero times take defaults on import.
type BackupSecret struct {
	Secret
	Value *Value
}

// AuditFile is one file of the audit trail carried in a backup: its base
// name (no directory) and its bytes.
type AuditFile struct {
	Name string
	Data []byte
}

// Wipe zeroes every value of the backup.
func (b *Backup) Wipe() {
	if b == nil {
		return
	}
	for i := range b.Secrets {
		b.Secrets[i].Value.Wipe()
	}
	clear(b.plain)
	b.plain = nil
}

// ExportOptions tune [Vault.Export].
type ExportOptions struct {
	Force bool        // replace an existing file at the path
	Audit []AuditFile // audit files to include; nil for none
	KDF   KDFParams   // Argon2id cost; the zero value means the vault's own
}

// Export writes every secret (with its value and metadata), every collection
// and opts.Audit to path, encrypted under passphrase (not the master
// password). The file is written atomically with mode 0600 in an existing
// directory; an existing file is replaced only with opts.Force, and the vault
// file itself never. passphrase is not kept or modified.
//
// Errors: ErrLocked; ErrEmptyPassphrase; ErrExportExists; ErrInvalidName for
// a bad audit file name or a path that is the vault; ErrDamaged if a value
// does not decrypt; file system errors. No error contains a value.
func (v *Vault) Export(path string, passphrase []byte, opts ExportOptions) error {
	if len(passphrase) == 0 {
		return ErrEmptyPassphrase
	}
	if err := validateAuditFiles(opts.Audit); err != nil {
		return err
	}
	if err := v.refuseOwnFile(path); err != nil {
		return err
	}
	b, kdf, err := v.snapshot()
	if err != nil {
		return err
	}
	defer b.Wipe()
	b.Audit = opts.Audit
	if opts.KDF != (KDFParams{}) {
		kdf = opts.KDF
	}
	if err := kdf.validate(); err != nil {
		return err
	}
	plain := encodeExportPlain(b)
	defer clear(plain)
	file := sealExport(plain, passphrase, kdf)
	if opts.Force {
		_, err = replaceFile(path, file, nil)
	} else {
		err = createFile(path, file)
	}
	if errors.Is(err, ErrExists) {
		return fmt.Errorf("%w: %s: choose another file or allow replacing it", ErrExportExists, path)
	}
	if err != nil {
		return fmt.Errorf("write backup %s: %w", path, err)
	}
	return nil
}

// refuseOwnFile refuses to write a backup over the vault or its lock files.
func (v *Vault) refuseOwnFile(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("backup path %s: %w", path, err)
	}
	own, _ := filepath.Abs(v.path)
	for _, p := range []string{own, writeLockPath(own), agentLockPath(own)} {
		if abs == p || sameFile(abs, p) {
			return fmt.Errorf("%w: the backup cannot be written over %s", ErrInvalidName, p)
		}
	}
	return nil
}

func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// snapshot returns every secret with its decrypted value and every
// collection, in canonical order, and the vault's KDF cost.
func (v *Vault) snapshot() (*Backup, KDFParams, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return nil, KDFParams{}, err
	}
	b := &Backup{Exported: now(), DefaultAccess: v.m.defaultAccess}
	for _, c := range v.m.collections {
		b.Collections = append(b.Collections, c.Collection)
	}
	b.Secrets = make([]BackupSecret, 0, len(v.m.secrets))
	for _, r := range v.m.secrets {
		pt, err := open(v.dataKey, r.sealed, valueAAD(v.c.hdr.id[:], r.id[:]))
		if err != nil {
			b.Wipe()
			return nil, KDFParams{}, fmt.Errorf("%w: the value of %q does not decrypt", ErrDamaged, r.name)
		}
		b.Secrets = append(b.Secrets, BackupSecret{Secret: r.secret(), Value: NewValue(pt)})
	}
	return b, v.c.hdr.kdf, nil
}

// ReadExport reads and decrypts the export file at path. The caller wipes
// the result. It never modifies the file.
//
// Errors (each also matches the vault sentinel of its kind):
// ErrNotExport, ErrUnsupportedExport, ErrDamagedExport (any flipped byte,
// truncation, KDF cost out of bounds), ErrWrongPassphrase,
// ErrEmptyPassphrase, or a file system error.
func ReadExport(path string, passphrase []byte) (*Backup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrNotExport, path)
	}
	if fi.Size() > maxExportSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrDamagedExport, path, maxExportSize)
	}
	file, err := io.ReadAll(io.LimitReader(f, maxExportSize+1))
	if err != nil {
		return nil, fmt.Errorf("read backup %s: %w", path, err)
	}
	return openExport(file, passphrase)
}

package vault

// Errors of export files. Each wraps the vault sentinel of the same kind, so
// errors.Is(err, ErrWrongPassword) also holds for ErrWrongPassphrase and
// callers (and exit codes) branch the same way for vaults and backups; the
// message says it is about a backup.
var (
	// ErrWrongPassphrase: the backup is intact but the passphrase does not fit.
	ErrWrongPassphrase error = &kindError{"wrong backup passphrase", ErrWrongPassword}
	// ErrDamagedExport: the backup is damaged or was tampered with.
	ErrDamagedExport error = &kindError{"backup file is damaged or was tampered with", ErrDamaged}
	// ErrUnsupportedExport: the backup was written by a newer format version.
	ErrUnsupportedExport error = &kindError{"backup file has an unsupported format version: upgrade sciorex-secrets", ErrUnsupportedVersion}
	// ErrNotExport: the file is not a sciorex-secrets backup.
	ErrNotExport error = &kindError{"not a sciorex-secrets backup file", ErrNotVault}
	// ErrExportExists: Export refuses to replace a file without Force.
	ErrExportExists error = &kindError{"backup file already exists", ErrExists}
	// ErrEmptyPassphrase: a backup passphrase must not be empty.
	ErrEmptyPassphrase error = &kindError{"backup passphrase is empty", ErrEmptyPassword}
)

// kindError is a sentinel with its own message that also matches a more
// general sentinel.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

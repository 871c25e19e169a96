package vault

import "errors"

// Sentinel errors. Branch on them with errors.Is; the wrapped message adds
// which name, path or field failed. No error of this package ever contains a
// secret value.
var (
	// ErrLocked: the vault is locked; unlock it first.
	ErrLocked = errors.New("vault is locked")
	// ErrWrongPassword: the header is intact but the key does not fit.
	ErrWrongPassword = errors.New("wrong master password")
	// ErrDamaged: the file is damaged or was tampered with; restore a backup.
	ErrDamaged = errors.New("vault file is damaged or was tampered with")
	// ErrUnsupportedVersion: the file was written by a newer format version.
	ErrUnsupportedVersion = errors.New("vault file has an unsupported format version: upgrade sciorex-secrets")
	// ErrNotVault: the file is not a sciorex-secrets vault.
	ErrNotVault = errors.New("not a sciorex-secrets vault file")
	// ErrNotFound: no such secret or collection.
	ErrNotFound = errors.New("not found")
	// ErrExists: Create refuses to overwrite an existing file.
	ErrExists = errors.New("vault file already exists")
	// ErrInvalidName: a name, tag, description or scope breaks the rules in FORMAT.md.
	ErrInvalidName = errors.New("invalid name")
	// ErrEnvConflict: two secrets visible together map to the same environment variable.
	ErrEnvConflict = errors.New("environment variable conflict")
	// ErrInUse: another agent process owns the vault.
	ErrInUse = errors.New("vault is in use by another sciorex-secrets agent")
	// ErrTooLarge: a value, the number of secrets or the file exceeds a limit of FORMAT.md.
	ErrTooLarge = errors.New("too large")
	// ErrEmptyPassword: a master password must not be empty.
	ErrEmptyPassword = errors.New("master password is empty")
)

// Package vault keeps secrets in an encrypted local file: the on-disk format
// (specified in FORMAT.md), the in-memory model of secrets, collections and
// scopes, and durable, multi-process-safe writes.
//
// A vault is made with [Create] or opened with [Open], which returns it
// locked; [Vault.Unlock] derives the key from the master password (Argon2id)
// and decrypts the metadata. Values stay sealed in memory and are decrypted
// one at a time by [Vault.Reveal]; a [Value] prints as "[redacted]".
//
//	v, err := vault.Open(path)
//	err = v.Unlock(password)
//	s, err := v.Resolve("GITHUB_TOKEN", "/home/me/src/app")
//	val, err := v.Reveal(s.ID)
//	defer val.Wipe()
//
// Errors are sentinels for errors.Is: [ErrWrongPassword], [ErrDamaged],
// [ErrUnsupportedVersion] and [ErrNotVault] tell apart why a file does not
// open; no error ever contains a secret value. Every write is durable when it
// returns nil and never loses another process's write (see FORMAT.md,
// "Writers"); [Own] keeps a second agent from using the same vault.
//
// This package imports no other package of sciorex-secrets.
package vault

package session

import "github.com/sciorex/sciorex-secrets/vault"

// Value holds a secret value. It prints, logs and marshals as "[redacted]";
// Bytes is the one way to read it, and Wipe zeroes it.
type Value = vault.Value

// NewValue wraps b, taking ownership of it.
func NewValue(b []byte) *Value { return vault.NewValue(b) }

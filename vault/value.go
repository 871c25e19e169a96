package vault

import (
	"fmt"
	"log/slog"
)

// Value holds one secret value in memory. It formats, logs and marshals as
// "[redacted]", so a value that slips into a log line or an error shows
// nothing. Bytes is the one way to read it; Wipe zeroes it.
// The zero Value and a nil *Value are empty.
type Value struct{ b []byte }

const redacted = "[redacted]"

// NewValue takes ownership of b: the caller must not use b afterwards.
func NewValue(b []byte) *Value { return &Value{b: b} }

// Bytes returns the value itself. The slice is shared: do not keep it past Wipe.
func (v *Value) Bytes() []byte {
	if v == nil {
		return nil
	}
	return v.b
}

// Len is the length of the value in bytes.
func (v *Value) Len() int {
	if v == nil {
		return 0
	}
	return len(v.b)
}

// Wipe overwrites the value with zeros and empties it.
func (v *Value) Wipe() {
	if v == nil {
		return
	}
	clear(v.b)
	v.b = nil
}

// Formatting methods use value receivers so that a Value printed by value is
// redacted too.

func (v Value) String() string                { return redacted }
func (v Value) GoString() string              { return redacted }
func (v Value) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redacted)) }
func (v Value) MarshalJSON() ([]byte, error)  { return []byte(`"` + redacted + `"`), nil }
func (v Value) MarshalText() ([]byte, error)  { return []byte(redacted), nil }
func (v Value) LogValue() slog.Value          { return slog.StringValue(redacted) }

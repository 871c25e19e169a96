package vault

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on names and metadata; decoders enforce them too (see FORMAT.md).
const (
	MaxNameLen        = 128
	MaxCollectionLen  = 128
	MaxTagLen         = 64
	MaxTags           = 32
	MaxDescriptionLen = 4096
	MaxScopeLen       = 4096
)

// ValidateName checks a secret name. The rule: a name is 1 to 128 bytes, each
// an ASCII letter, digit, '_', '-' or '.'. Whitespace, control characters and
// non-ASCII are rejected. The error wraps ErrInvalidName and quotes the name
// with %q; it never contains a value.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: secret name is empty", ErrInvalidName)
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("%w: secret name %q is longer than %d bytes", ErrInvalidName, name, MaxNameLen)
	}
	for i := 0; i < len(name); i++ {
		if !isNameByte(name[i]) {
			return fmt.Errorf("%w: secret name %q: only ASCII letters, digits, '_', '-' and '.' are allowed", ErrInvalidName, name)
		}
	}
	return nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// EnvName maps a secret name to its environment variable: the name is
// upper-cased and each '-' and '.' becomes '_'. The result must match
// [A-Z_][A-Z0-9_]*, so a name starting with a digit has no variable, and
// must not be "_", which shells set themselves. Errors wrap ErrInvalidName
// and name the secret.
func EnvName(name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	if name[0] >= '0' && name[0] <= '9' {
		return "", fmt.Errorf("%w: secret name %q starts with a digit, so it cannot be an environment variable", ErrInvalidName, name)
	}
	b := []byte(strings.ToUpper(name))
	for i, c := range b {
		if c == '-' || c == '.' {
			b[i] = '_'
		}
	}
	if string(b) == "_" {
		return "", fmt.Errorf("%w: secret name %q maps to $_, which shells overwrite, so no command would see it", ErrInvalidName, name)
	}
	return string(b), nil
}

// validateLabel checks a collection name or a tag: valid UTF-8, 1..max bytes,
// no control characters, no leading or trailing space.
func validateLabel(kind, s string, max int) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidName, kind)
	case len(s) > max:
		return fmt.Errorf("%w: %s %q is longer than %d bytes", ErrInvalidName, kind, s, max)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s %q is not valid UTF-8", ErrInvalidName, kind, s)
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("%w: %s %q starts or ends with a space", ErrInvalidName, kind, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) {
			return fmt.Errorf("%w: %s %q contains a control character", ErrInvalidName, kind, s)
		}
	}
	return nil
}

// validateDescription allows newlines and tabs but no other control characters.
func validateDescription(s string) error {
	if len(s) > MaxDescriptionLen {
		return fmt.Errorf("%w: description is longer than %d bytes", ErrInvalidName, MaxDescriptionLen)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: description is not valid UTF-8", ErrInvalidName)
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || isBidiControl(r)) {
			return fmt.Errorf("%w: description contains a control character", ErrInvalidName)
		}
	}
	return nil
}

func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

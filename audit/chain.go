package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// genesis is the prev of the very first record of a log.
var genesis = strings.Repeat("0", 64)

// lineHash is the prev a record carries: SHA-256 of the previous line,
// without its newline, in lowercase hex.
func lineHash(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}

// sealMAC is HMAC-SHA256 under key of the canonical line of r without its
// mac field, in lowercase hex.
func sealMAC(key []byte, r Record) (string, error) {
	r.MAC = ""
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil)), nil
}

// macMatches reports whether r.MAC is the right seal for r under key.
func macMatches(key []byte, r Record) bool {
	want, err := sealMAC(key, r)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(want), []byte(r.MAC))
}

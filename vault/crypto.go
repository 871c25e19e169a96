package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime/debug"

	"golang.org/x/crypto/argon2"
)

const (
	keySize   = 32
	nonceSize = 12
	tagSize   = 16
	idSize    = 16
	saltSize  = 16
	checkSize = sha256.Size
)

// Domain separation strings; FORMAT.md lists them.
const (
	kekCheckLabel  = "sciorex key check"
	dataCheckLabel = "sciorex data key check"
	wrapAADPrefix  = "sciorex-secrets/vault/v1 key"
	valueAADPrefix = "sciorex-secrets/vault/v1 value"
	deriveInfo     = "sciorex-secrets/vault/v1 derive "
)

// KDFParams are the Argon2id costs: Time passes over MemoryKiB KiB with Threads lanes.
type KDFParams struct {
	Time, MemoryKiB uint32
	Threads         uint8
}

// DefaultKDF is t=3, m=64 MiB, p=4 (RFC 9106, second recommended option).
func DefaultKDF() KDFParams { return KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4} }

// KDF bounds that decoders enforce, so a hostile file cannot make us spend
// unbounded memory or time.
const (
	minKDFTime   = 1
	maxKDFTime   = 64
	maxKDFMemory = 4 * 1024 * 1024 // KiB = 4 GiB
	maxKDFLanes  = 64
)

func (p KDFParams) validate() error {
	if p.Time < minKDFTime || p.Time > maxKDFTime ||
		p.Threads < 1 || p.Threads > maxKDFLanes ||
		p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemory {
		return fmt.Errorf("%w: argon2id parameters t=%d m=%d p=%d are out of bounds", ErrTooLarge, p.Time, p.MemoryKiB, p.Threads)
	}
	return nil
}

// deriveKEK runs Argon2id. Its working memory (64 MiB by default) is
// garbage once the key is out, but it set the heap's growth goal: freeing
// it at once keeps an unlocked agent at the size of its data instead of
// twice the KDF's, and hands the pages that held password-derived state
// back to the OS.
func deriveKEK(password, salt []byte, p KDFParams) []byte {
	k := argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, keySize)
	if p.MemoryKiB >= 8<<10 {
		debug.FreeOSMemory()
	}
	return k
}

func checkValue(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("vault: crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return b
}

func newGCM(key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic("vault: bad key size") // keys are always 32 bytes here
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("vault: gcm: " + err.Error())
	}
	return aead
}

// seal encrypts plaintext under key with a fresh random nonce and returns nonce||ciphertext||tag.
func seal(key, plaintext, aad []byte) []byte {
	out := make([]byte, nonceSize, nonceSize+len(plaintext)+tagSize)
	copy(out, randomBytes(nonceSize))
	return newGCM(key).Seal(out, out[:nonceSize], plaintext, aad)
}

var errOpen = errors.New("authentication failed")

// open reverses seal.
func open(key, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < nonceSize+tagSize {
		return nil, errOpen
	}
	pt, err := newGCM(key).Open(nil, sealed[:nonceSize], sealed[nonceSize:], aad)
	if err != nil {
		return nil, errOpen
	}
	return pt, nil
}

func wrapAAD(vaultID []byte) []byte { return append([]byte(wrapAADPrefix), vaultID...) }

func valueAAD(vaultID, secretID []byte) []byte {
	aad := make([]byte, 0, len(valueAADPrefix)+2*idSize)
	aad = append(aad, valueAADPrefix...)
	aad = append(aad, vaultID...)
	return append(aad, secretID...)
}

// deriveSubkey is HKDF-SHA256(data key, info = deriveInfo+purpose), 32 bytes.
func deriveSubkey(dataKey []byte, purpose string) ([]byte, error) {
	return hkdf.Key(sha256.New, dataKey, nil, deriveInfo+purpose, keySize)
}

func hmacEqual(a, b []byte) bool { return hmac.Equal(a, b) }

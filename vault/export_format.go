package vault

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
)

// The export container (FORMAT.md, "Export files"): a text header, then the
// sealed plaintext. Like the vault, the header has a checksum and a key
// check, so a wrong passphrase is told apart from a damaged file.

const (
	exportMagicPrefix = "sciorex-secrets/export/"
	exportMagicLine   = exportMagicPrefix + "v1"
	exportVersion     = 1

	// maxExportSize is the largest export file a decoder accepts.
	maxExportSize = 512 << 20

	exportCheckLabel = "sciorex export key check"
	exportBodyInfo   = "sciorex-secrets/export/v1 body"
)

// exportHeader is the decoded header of an export file.
type exportHeader struct {
	kdf   KDFParams
	salt  [saltSize]byte
	check [checkSize]byte
}

func (h *exportHeader) encode() []byte {
	var b bytes.Buffer
	b.WriteString(exportMagicLine + "\n")
	fmt.Fprintf(&b, "kdf argon2id %d %d %d %s\n", h.kdf.Time, h.kdf.MemoryKiB, h.kdf.Threads, b64.EncodeToString(h.salt[:]))
	b.WriteString("check " + b64.EncodeToString(h.check[:]) + "\n")
	sum := sha256.Sum256(b.Bytes())
	b.WriteString("sum " + b64.EncodeToString(sum[:]) + "\n")
	return b.Bytes()
}

// exportKeys derives the passphrase key and returns the key check and the
// body key. The caller wipes bodyKey.
func exportKeys(passphrase []byte, salt []byte, kdf KDFParams) (check, bodyKey []byte) {
	k := deriveKEK(passphrase, salt, kdf)
	defer clear(k)
	bodyKey, err := hkdf.Key(sha256.New, k, nil, exportBodyInfo, keySize)
	if err != nil {
		panic("vault: hkdf: " + err.Error()) // cannot fail for 32 bytes of SHA-256
	}
	return checkValue(k, exportCheckLabel), bodyKey
}

// sealExport encrypts plain under passphrase and returns the whole file.
func sealExport(plain, passphrase []byte, kdf KDFParams) []byte {
	h := &exportHeader{kdf: kdf}
	copy(h.salt[:], randomBytes(saltSize))
	check, bodyKey := exportKeys(passphrase, h.salt[:], kdf)
	defer clear(bodyKey)
	copy(h.check[:], check)
	raw := h.encode()
	return append(raw, seal(bodyKey, plain, raw)...)
}

// openExport checks, decrypts and decodes a whole export file.
func openExport(file, passphrase []byte) (*Backup, error) {
	h, n, err := decodeExportHeader(file)
	if err != nil {
		return nil, err
	}
	if len(file)-n < nonceSize+tagSize {
		return nil, fmt.Errorf("%w: the body is truncated", ErrDamagedExport)
	}
	if len(passphrase) == 0 {
		return nil, ErrEmptyPassphrase
	}
	check, bodyKey := exportKeys(passphrase, h.salt[:], h.kdf)
	defer clear(bodyKey)
	if subtle.ConstantTimeCompare(check, h.check[:]) != 1 {
		return nil, ErrWrongPassphrase
	}
	plain, err := open(bodyKey, file[n:], file[:n])
	if err != nil {
		return nil, fmt.Errorf("%w: the body does not decrypt", ErrDamagedExport)
	}
	b, err := decodeExportPlain(plain)
	if err != nil {
		clear(plain)
		return nil, fmt.Errorf("%w: %w", ErrDamagedExport, err)
	}
	return b, nil
}

// decodeExportHeader parses the header at the start of file and returns it
// with its length. Errors: ErrNotExport, ErrUnsupportedExport, ErrDamagedExport.
func decodeExportHeader(file []byte) (*exportHeader, int, error) {
	if len(file) > maxExportSize {
		return nil, 0, fmt.Errorf("%w: larger than %d bytes", ErrDamagedExport, maxExportSize)
	}
	if err := checkExportMagic(file); err != nil {
		return nil, 0, err
	}
	r := lineReader{b: file}
	r.line()
	kdf := r.field("kdf", 5)
	check := r.field("check", 1)
	sumStart := r.off
	sum := r.field("sum", 1)
	if r.err != nil {
		return nil, 0, fmt.Errorf("%w: bad header syntax", ErrDamagedExport)
	}
	want := sha256.Sum256(file[:sumStart])
	var got [checkSize]byte
	if !decodeFixed(sum[0], got[:], checkSize) || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return nil, 0, fmt.Errorf("%w: header checksum does not match", ErrDamagedExport)
	}
	if kdf[0] != "argon2id" {
		return nil, 0, fmt.Errorf("%w: unknown key derivation %q", ErrUnsupportedExport, kdf[0])
	}
	t, okT := parseCanonicalUint(kdf[1], 32)
	m, okM := parseCanonicalUint(kdf[2], 32)
	p, okP := parseCanonicalUint(kdf[3], 8)
	if !okT || !okM || !okP {
		return nil, 0, fmt.Errorf("%w: bad argon2id parameters", ErrDamagedExport)
	}
	h := &exportHeader{kdf: KDFParams{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(p)}}
	if err := h.kdf.validate(); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrDamagedExport, err)
	}
	if !decodeFixed(kdf[4], h.salt[:], saltSize) || !decodeFixed(check[0], h.check[:], checkSize) {
		return nil, 0, fmt.Errorf("%w: bad base64 field in header", ErrDamagedExport)
	}
	return h, r.off, nil
}

// checkExportMagic classifies the first line, as FORMAT.md orders it.
func checkExportMagic(file []byte) error {
	if len(file) == 0 {
		return fmt.Errorf("%w: the file is empty", ErrDamagedExport)
	}
	full := exportMagicLine + "\n"
	if len(file) < len(full) && strings.HasPrefix(full, string(file)) {
		return fmt.Errorf("%w: the file is truncated", ErrDamagedExport)
	}
	if !bytes.HasPrefix(file, []byte(exportMagicPrefix)) {
		if bytes.HasPrefix(file, []byte(magicPrefix)) {
			return fmt.Errorf("%w: this is a vault file; open it with --vault instead", ErrNotExport)
		}
		return ErrNotExport
	}
	if bytes.HasPrefix(file, []byte(full)) {
		return nil
	}
	rest := file[len(exportMagicPrefix):]
	if i := bytes.IndexByte(rest, '\n'); i > 1 && i <= 21 && rest[0] == 'v' {
		if n, ok := parseCanonicalUint(string(rest[1:i]), 64); ok && n != exportVersion {
			return fmt.Errorf("%w: v%d (this build reads v%d)", ErrUnsupportedExport, n, exportVersion)
		}
	}
	return fmt.Errorf("%w: bad first line", ErrDamagedExport)
}

// IsExportFile reports whether data starts like an export file of any
// version (for choosing between a backup and a .env file).
func IsExportFile(data []byte) bool {
	return bytes.HasPrefix(data, []byte(exportMagicPrefix))
}

var errAuditName = errors.New("bad audit file name")

package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"unicode/utf16"
	"unicode/utf8"
)

// The encoders below return freshly allocated slices that the caller owns
// (and wipes): no secret byte is ever turned into a Go string.

func hexLower(v []byte) []byte {
	dst := make([]byte, hex.EncodedLen(len(v)))
	hex.Encode(dst, v)
	return dst
}

func hexUpper(v []byte) []byte {
	dst := hexLower(v)
	for i, c := range dst {
		if c >= 'a' && c <= 'f' {
			dst[i] = c - 'a' + 'A'
		}
	}
	return dst
}

// base64Forms returns, for one alphabet and one alignment (the value
// preceded by offset bytes of a longer stream, offset in 0..2), the
// characters that depend on the value alone (the core), then the core
// followed by the last, partly filled character as it appears when the
// value ends the stream, without and with padding. The last two are
// omitted when the value ends on a 3-byte boundary.
func base64Forms(enc *base64.Encoding, v []byte, offset int) [][]byte {
	src := make([]byte, offset+len(v))
	copy(src[offset:], v)
	full := make([]byte, enc.EncodedLen(len(src)))
	enc.Encode(full, src)
	clear(src)

	bits := 8 * len(src)
	start := (8*offset + 5) / 6 // first character made of value bits only
	end := bits / 6             // characters fully made of value bits
	if start >= end {
		clear(full)
		return nil
	}
	forms := [][]byte{clone(full[start:end])}
	if end < len(full) {
		tail := clone(full[start:])
		forms = append(forms, tail)
		padding := []byte("==")[:(3-len(src)%3)%3]
		forms = append(forms, append(clone(tail), padding...))
	}
	clear(full)
	return forms
}

// minWrappedLine is the shortest line of wrapped base64 masked on its own:
// a shorter last line (at most 11 characters, 8 bytes of the value) stays
// visible, as shorter patterns would slow the scan of all output.
const minWrappedLine = 16

// wrappedBase64Lines returns the lines of standard base64 of v, preceded
// by offset bytes, broken every width characters as base64 tools write a
// file: each line, and the last one with and without padding, as far as it
// is made of value bits alone and at least minWrappedLine long. A line
// counts from the start of the encoding, so this catches "base64 file" and
// "echo $V | base64", not a value that starts further into a wrapped
// stream.
func wrappedBase64Lines(v []byte, offset, width int) [][]byte {
	enc := base64.StdEncoding
	if enc.EncodedLen(offset+len(v)) <= width {
		return nil // one line: the unwrapped forms cover it
	}
	src := make([]byte, offset+len(v))
	copy(src[offset:], v)
	full := make([]byte, enc.EncodedLen(len(src)))
	enc.Encode(full, src)
	clear(src)
	defer clear(full)
	start := (8*offset + 5) / 6
	valueEnd := 8 * len(src) / 6 // characters fully made of value bits
	var lines [][]byte
	for at := 0; at < len(full); at += width {
		lo, hi := max(at, start), min(at+width, len(full))
		if hi-lo < minWrappedLine {
			continue
		}
		if hi <= valueEnd {
			lines = append(lines, clone(full[lo:hi]))
			continue
		}
		// The last line: what depends on the value alone, then the
		// partly filled character, then the padding.
		padded := bytes.TrimRight(full[lo:hi], "=")
		if valueEnd-lo >= minWrappedLine {
			lines = append(lines, clone(full[lo:valueEnd]))
		}
		lines = append(lines, clone(padded), clone(full[lo:hi]))
	}
	return lines
}

// urlSafeSet lists the bytes, beyond letters, digits and "-._~", that one
// family of percent-encoders leaves as they are.
var urlSafeSets = []string{
	"",                 // Go QueryEscape, Python quote_plus(safe="")
	"/",                // Python quote
	"!'()*",            // JavaScript encodeURIComponent
	"$&+:=@",           // Go PathEscape
	"!#$&'()*+,/:;=?@", // JavaScript encodeURI
	"!$&'()*+,/:;=@",   // Go URL.String for a path
}

func urlEncode(v []byte, safe string, spaceAsPlus, upper bool) []byte {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	dst := make([]byte, 0, 3*len(v))
	for _, c := range v {
		switch {
		case isUnreserved(c) || containsByte(safe, c):
			dst = append(dst, c)
		case c == ' ' && spaceAsPlus:
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', digits[c>>4], digits[c&15])
		}
	}
	return dst
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// jsonStyle is one way of escaping a string in JSON.
type jsonStyle struct {
	html       bool // <, >, & as \u003c... and U+2028, U+2029 escaped (Go)
	asciiOnly  bool // every non-ASCII rune as \uXXXX (Python, PHP)
	slash      bool // "/" as "\/" (PHP)
	shortBF    bool // backspace and form feed as \b and \f rather than \u0008, \u000c
	upperDigit bool // hex digits of \u escapes in upper case
}

// jsonEscape returns the body of the JSON string literal for v, without the
// quotes. An invalid UTF-8 byte becomes \ufffd, as Go writes it.
func jsonEscape(v []byte, st jsonStyle) []byte {
	dst := make([]byte, 0, len(v)+len(v)/4+8)
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '/' && st.slash:
				dst = append(dst, '\\', '/')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c == '\b' && st.shortBF:
				dst = append(dst, '\\', 'b')
			case c == '\f' && st.shortBF:
				dst = append(dst, '\\', 'f')
			case c < 0x20 || st.html && (c == '<' || c == '>' || c == '&'):
				dst = appendUEscape(dst, rune(c), st.upperDigit)
			default:
				dst = append(dst, c)
			}
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = appendUEscape(dst, utf8.RuneError, st.upperDigit)
		case st.asciiOnly && r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			dst = appendUEscape(dst, r1, st.upperDigit)
			dst = appendUEscape(dst, r2, st.upperDigit)
		case st.asciiOnly || st.html && (r == '\u2028' || r == '\u2029'):
			dst = appendUEscape(dst, r, st.upperDigit)
		default:
			dst = append(dst, v[i:i+size]...)
		}
		i += size
	}
	return dst
}

func appendUEscape(dst []byte, r rune, upper bool) []byte {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	return append(dst, '\\', 'u',
		digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15])
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

package mask

import (
	"bytes"
	"encoding/base64"
)

// derived is what one secret value turns into.
type derived struct {
	patterns   [][]byte // every form to mask, MinLen bytes or longer
	dropped    [][]byte // forms too short to mask
	shortLines int      // non-blank lines shorter than MinLen, not masked on their own
	encoded    bool     // its encodings are masked too (see MaxEncodedLen)
}

// wipe zeroes every slice d holds.
func (d *derived) wipe() {
	for _, p := range d.patterns {
		clear(p)
	}
	for _, p := range d.dropped {
		clear(p)
	}
	d.patterns, d.dropped = nil, nil
}

// MaxEncodedLen is the longest value whose encodings are masked: each of
// its some eighty forms is about as long as the value or longer, so a
// larger value (a certificate bundle, a key file) is masked as its raw
// bytes and its lines only, and Compile says so.
const MaxEncodedLen = 64 << 10

// wrapWidths are the columns at which base64 tools break their lines:
// coreutils base64 (76) and PEM, openssl base64 (64).
var wrapWidths = []int{64, 76}

// derive lists the forms of v to mask, in fresh slices the caller wipes
// with [derived.wipe]. It returns nothing for a value that is not
// [Maskable].
func derive(v []byte) derived {
	var d derived
	if !Maskable(v) {
		return d
	}
	add := func(p []byte) {
		if len(p) >= MinLen {
			d.patterns = append(d.patterns, p)
		} else {
			d.dropped = append(d.dropped, p)
		}
	}
	d.encoded = len(v) <= MaxEncodedLen
	for _, form := range lineEndForms(v) {
		add(form)
		if !d.encoded {
			continue
		}
		add(hexLower(form))
		add(hexUpper(form))
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			for offset := range 3 {
				for _, p := range base64Forms(enc, form, offset) {
					add(p)
				}
			}
		}
		for _, width := range wrapWidths {
			for offset := range 3 {
				for _, p := range wrappedBase64Lines(form, offset, width) {
					add(p)
				}
			}
		}
		for _, safe := range urlSafeSets {
			for _, plus := range []bool{false, true} {
				for _, upper := range []bool{false, true} {
					add(urlEncode(form, safe, plus, upper))
				}
			}
		}
		for style := range 1 << 5 {
			add(jsonEscape(form, jsonStyle{
				html: style&1 != 0, asciiOnly: style&2 != 0, slash: style&4 != 0,
				shortBF: style&8 != 0, upperDigit: style&16 != 0,
			}))
		}
	}
	if bytes.IndexByte(v, '\n') >= 0 {
		for line := range bytes.SplitSeq(v, []byte("\n")) {
			// The line without its indentation: the text, not the spaces
			// that every line of output may share.
			line = bytes.TrimSpace(line)
			switch {
			case len(line) >= MinLen:
				add(clone(line))
			case len(line) > 0:
				d.shortLines++
			}
		}
	}
	return d
}

// lineEndForms returns v, and for a multi-line value also its copies with
// every line break written as "\n" and as "\r\n" (when they differ from v).
func lineEndForms(v []byte) [][]byte {
	forms := [][]byte{clone(v)}
	if bytes.IndexByte(v, '\n') < 0 {
		return forms
	}
	lf := bytes.ReplaceAll(v, []byte("\r\n"), []byte("\n"))
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	for _, f := range [][]byte{lf, crlf} {
		if bytes.Equal(f, v) {
			clear(f) // never handed out
			continue
		}
		forms = append(forms, f)
	}
	return forms
}

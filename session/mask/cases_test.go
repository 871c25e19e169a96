package mask

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// writeAll writes each piece to a Writer of set, flushes, and returns the output.
func writeAll(t *testing.T, set *Set, pieces ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	w := set.NewWriter(&out)
	for _, p := range pieces {
		if n, err := w.Write([]byte(p)); err != nil || n != len(p) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String(), w.Count()
}

// bytewise splits s into one-byte pieces.
func bytewise(s string) []string { return strings.Split(s, "") }

// B01: a multi-line value is masked whole and line by line, in LF and CRLF form.
func TestCaseB01(t *testing.T) {
	const pem = "-----BEGIN KEY-----\nAbC123xyzQ\n-----END KEY-----"
	crlf := strings.ReplaceAll(pem, "\n", "\r\n")
	lines := strings.Split(pem, "\n")
	for _, secrets := range [][]Secret{
		{{"PEM", []byte(pem)}},
		{{"PEM", []byte(pem)}, {"PEM_CRLF", []byte(crlf)}},
		{{"PEM_CRLF", []byte(crlf)}},
	} {
		set, warnings := Compile(secrets)
		if len(warnings) != 0 {
			t.Errorf("warnings %q, want none", warnings)
		}
		for _, output := range []string{
			pem + "\n",                   // printf "%s\n" "$PEM"
			crlf + "\r\n",                // the CRLF copy
			lines[1] + "\n",              // one line alone
			lines[2] + "\n" + lines[0],   // lines reordered
			"x" + pem + "y" + crlf + "z", // embedded
		} {
			for _, pieces := range [][]string{{output}, bytewise(output)} {
				got, count := writeAll(t, set, pieces...)
				for _, leak := range append([]string{pem, crlf}, lines...) {
					if strings.Contains(got, leak) {
						t.Errorf("output %q of %q shows %q", got, output, leak)
					}
				}
				if count == 0 {
					t.Errorf("output %q of %q: nothing masked", got, output)
				}
			}
		}
	}
	set, _ := Compile([]Secret{{"PEM", []byte(pem)}})
	if got, count := writeAll(t, set, pem+"\n"); got != "[masked:PEM]\n" || count != 1 {
		t.Errorf("got %q (%d), want the whole value masked once", got, count)
	}
}

// B02: base64 (with the newline echo adds, or without) and URL-encoded
// forms are masked: product choice, see the package doc.
func TestCaseB02(t *testing.T) {
	const token = "p@ss w/rd+1234567"
	set, _ := Compile([]Secret{{"TOKEN", []byte(token)}})
	child := base64.StdEncoding.EncodeToString([]byte(token+"\n")) + "\n" + // echo "$TOKEN" | base64
		base64.StdEncoding.EncodeToString([]byte(token)) + "\n" + // printf %s "$TOKEN" | base64 -w0; echo
		"https://u:p%40ss%20w%2Frd%2B1234567@h\n"
	for _, pieces := range [][]string{{child}, bytewise(child)} {
		got, count := writeAll(t, set, pieces...)
		if count != 3 {
			t.Errorf("masked %d occurrences in %q, want 3", count, got)
		}
		for line := range strings.SplitSeq(got, "\n") {
			if decodesTo(line, token) {
				t.Errorf("output line %q decodes to the token", line)
			}
		}
	}
	got, _ := writeAll(t, set, child)
	// "\n" adds zero bits to the value's last character, so only the
	// character made of "\n" alone stays.
	want := "[masked:TOKEN]K\n[masked:TOKEN]\nhttps://u:[masked:TOKEN]@h\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// decodesTo reports whether any substring of line decodes (base64 in any
// alphabet, or percent-decoding) to text containing value.
func decodesTo(line, value string) bool {
	if strings.Contains(line, value) {
		return true
	}
	encs := []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding}
	for i := range len(line) {
		for j := i + 1; j <= len(line); j++ {
			for _, enc := range encs {
				if b, err := enc.DecodeString(line[i:j]); err == nil && strings.Contains(string(b), value) {
					return true
				}
			}
		}
	}
	for _, unescape := range []func(string) (string, error){url.PathUnescape, url.QueryUnescape} {
		if s, err := unescape(line); err == nil && strings.Contains(s, value) {
			return true
		}
	}
	return false
}

// B03: a value split across writes is masked once; nothing of it leaks,
// whether it arrives in two writes, byte by byte, or only halfway.
func TestCaseB03(t *testing.T) {
	set, _ := Compile([]Secret{{"K", []byte("key123key123")}})
	tests := []struct {
		name   string
		pieces []string
		want   string
		count  int
	}{
		{"two writes", []string{"key123", "key123", "\n"}, "[masked:K]\n", 1},
		{"byte by byte", bytewise("key123key123\n"), "[masked:K]\n", 1},
		{"child exits after the first half", []string{"key123"}, "[masked:K]", 1},
		{"value twice", []string{"key123key", "123 key123", "key123\n"}, "[masked:K] [masked:K]\n", 2},
		{"overlapping occurrences merge", []string{"key123key", "123key123", "key123\n"}, "[masked:K]\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, count := writeAll(t, set, tt.pieces...)
			if got != tt.want || count != tt.count {
				t.Errorf("got %q (%d), want %q (%d)", got, count, tt.want, tt.count)
			}
		})
	}

	t.Run("held back only while it may be the value", func(t *testing.T) {
		var out bytes.Buffer
		w := set.NewWriter(&out)
		steps := []struct{ write, shown string }{
			{"log: ", "log: "},
			{"key123", "log: "},
			{"key12", "log: "},
			{"3", "log: [masked:K]"},
			{" key99 ", "log: [masked:K] key99 "},
			{"key1", "log: [masked:K] key99 "},
		}
		for _, s := range steps {
			if _, err := w.Write([]byte(s.write)); err != nil {
				t.Fatal(err)
			}
			if out.String() != s.shown {
				t.Fatalf("after writing %q the output is %q, want %q", s.write, out.String(), s.shown)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := "log: [masked:K] key99 [masked:K]"; out.String() != want {
			t.Errorf("after Flush: %q, want %q (no fragment of 4 bytes or more at the end)", out.String(), want)
		}
	})
}

// B04: values and lines shorter than MinLen are not masked, with a warning.
func TestCaseB04(t *testing.T) {
	set, warnings := Compile([]Secret{{"J", []byte("{\n}")}, {"X", []byte("a")}})
	got, count := writeAll(t, set, "hello world {}\n")
	if got != "hello world {}\n" || count != 0 {
		t.Errorf("got %q (%d), want the output untouched", got, count)
	}
	want := []string{
		`secret "J" is shorter than 6 bytes (not counting spaces at its ends) and will not be masked`,
		`secret "X" is shorter than 6 bytes (not counting spaces at its ends) and will not be masked`,
	}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", warnings, want)
	}

	// The same kind: a long multi-line JSON value whose short lines are not
	// masked on their own.
	set, warnings = Compile([]Secret{{"CFG", []byte("{\n  \"password\": \"hunter2hunter2\"\n}")}})
	if len(warnings) != 1 || !strings.Contains(warnings[0], `"CFG" has 2 lines shorter than 6 bytes`) {
		t.Errorf("warnings %q, want one about 2 short lines of CFG", warnings)
	}
	got, _ = writeAll(t, set, "{}\n{\n}\n  \"password\": \"hunter2hunter2\"\n")
	if want := "{}\n{\n}\n  [masked:CFG]\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	// White space is not text: an indented structural line and a line of
	// spaces in a nested value, or a value of spaces alone, must not mask
	// the indentation of ordinary output (found re-running the case).
	set, warnings = Compile([]Secret{
		{"NEST", []byte("{\n  \"a\": {\n    \"password\": \"hunter2hunter2\"\n        \n  }\n}")},
		{"SP", []byte("      ")},
	})
	out := "{\n  \"a\": {\n    \"b\": 1\n  }\n}\nindented:        x\nx      y\n"
	if got, count := writeAll(t, set, out); got != strings.Replace(out, `"a": {`, "[masked:NEST]", 1) || count != 1 {
		t.Errorf("got %q (%d masked), want only the line of NEST that holds 6 bytes of text masked", got, count)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[1], `"SP" is shorter than 6 bytes`) {
		t.Errorf("warnings %q, want NEST's short lines and SP too short", warnings)
	}
}

// B02, the same kind for longer values: base64 that the tool wraps into
// lines (coreutils base64 at 76 columns, PEM and openssl at 64), with and
// without the newline echo adds. Each output line that holds value bits
// only is masked; no line, nor the lines joined again, gives the value back.
func TestCaseB02Wrapped(t *testing.T) {
	value := strings.Repeat("long-api-key/0123456789+abcdef=", 4)[:100]
	set, _ := Compile([]Secret{{"LONG", []byte(value)}})
	wrap := func(s string, width int) string {
		var b strings.Builder
		for len(s) > width {
			b.WriteString(s[:width] + "\n")
			s = s[width:]
		}
		return b.String() + s + "\n"
	}
	for _, tc := range []struct{ name, input string }{
		{"base64 (76 columns)", wrap(base64.StdEncoding.EncodeToString([]byte(value)), 76)},
		{"echo | base64", wrap(base64.StdEncoding.EncodeToString([]byte(value+"\n")), 76)},
		{"PEM (64 columns)", wrap(base64.StdEncoding.EncodeToString([]byte(value)), 64)},
	} {
		for _, pieces := range [][]string{{tc.input}, bytewise(tc.input)} {
			got, _ := writeAll(t, set, pieces...)
			joined := strings.ReplaceAll(got, "\n", "")
			if decodesTo(joined, value[:20]) || decodesTo(joined, value[len(value)-20:]) {
				t.Errorf("%s: the output still decodes to the value: %q", tc.name, got)
			}
			if !strings.Contains(got, "[masked:LONG]") {
				t.Errorf("%s: nothing masked in %q", tc.name, got)
			}
		}
	}
}

// A value too large to mask in every encoding (a 1 MiB key bundle) costs
// memory in proportion to itself, not eighty times over: its raw bytes
// and lines are masked, and Compile says its encodings are not.
func TestLargeValueBoundedCompile(t *testing.T) {
	var b strings.Builder
	for b.Len() < 1<<20 {
		fmt.Fprintf(&b, "line %07d of a large multi-line secret value %x\n", b.Len(), b.Len()*7919)
	}
	value := b.String()
	set, warnings := Compile([]Secret{{"BUNDLE", []byte(value)}})
	defer set.Wipe()
	if size := len(set.arena); size > 8*len(value) {
		t.Errorf("patterns take %d MiB for a %d MiB value", size>>20, len(value)>>20)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "not its encodings") {
		t.Errorf("warnings %q, want one about the encodings", warnings)
	}
	line := strings.SplitN(value, "\n", 3)[1]
	got, _ := writeAll(t, set, "before "+line+" after\n")
	if got != "before [masked:BUNDLE] after\n" {
		t.Errorf("a line of the large value: %q", got)
	}
}

package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var testValues = []string{
	"plainAlnumToken42",
	`p@ss w/rd+<>&"\`,
	"pässwörd€𝄞 ok",
	"tab\there\x01\b\fctl",
	"\xff\xfeinvalid utf8",
	"line one\nline two\r\nthree",
}

func goJSON(v string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	s := strings.TrimSuffix(b.String(), "\n")
	return s[1 : len(s)-1]
}

var percentHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// TestEncodedForms checks every encoding the package doc promises, written
// by the standard library's own encoders, each between other text.
func TestEncodedForms(t *testing.T) {
	encoders := []struct {
		name string
		enc  func(string) string
	}{
		{"raw", func(v string) string { return v }},
		{"hex", func(v string) string { return hex.EncodeToString([]byte(v)) }},
		{"HEX", func(v string) string { return strings.ToUpper(hex.EncodeToString([]byte(v))) }},
		{"json", func(v string) string { return goJSON(v, false) }},
		{"json html", func(v string) string { return goJSON(v, true) }},
		{"query", url.QueryEscape},
		{"path", url.PathEscape},
		{"query lower", func(v string) string {
			return percentHex.ReplaceAllStringFunc(url.QueryEscape(v), strings.ToLower)
		}},
		{"query %20", func(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") }},
		{"crlf", func(v string) string { return strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\n", "\r\n") }},
	}
	for _, v := range testValues {
		set, _ := Compile([]Secret{{"V", []byte(v)}})
		for _, e := range encoders {
			form := e.enc(v)
			got, count := set.MaskBytes([]byte("<<" + form + ">>"))
			if want := "<<[masked:V]>>"; string(got) != want || count != 1 {
				t.Errorf("%s of %q: got %q (%d), want %q", e.name, v, got, count, want)
			}
		}
	}
}

// TestBase64Alignments embeds each value in a base64 stream at every
// offset, with and without bytes after it, in all four variants: only the
// characters that mix value bits with their neighbours may stay.
func TestBase64Alignments(t *testing.T) {
	encs := map[string]*base64.Encoding{
		"std": base64.StdEncoding, "url": base64.URLEncoding,
		"raw std": base64.RawStdEncoding, "raw url": base64.RawURLEncoding,
	}
	token := regexp.MustCompile(`\[masked:V\]`)
	for _, v := range testValues {
		set, _ := Compile([]Secret{{"V", []byte(v)}})
		for name, enc := range encs {
			for _, prefix := range []string{"", "\x00", "ab", "\xff\xff\xff"} {
				for _, suffix := range []string{"", "\n", "zz", "\xff\xff\xff"} {
					stream := enc.EncodeToString([]byte(prefix + v + suffix))
					got, count := set.MaskBytes([]byte(stream))
					// Left: the characters of the prefix and suffix, one
					// mixed character at each end, and padding.
					rest := token.ReplaceAllString(string(got), "")
					limit := 1 + (len(prefix)*4+2)/3 + 1 + (len(suffix)*4+2)/3 + 2
					if count != 1 || len(rest) > limit {
						t.Errorf("%s of %q+V+%q: got %q (%d masked)", name, prefix, suffix, got, count)
					}
				}
			}
		}
	}
}

func TestMaskBytes(t *testing.T) {
	tests := []struct {
		name    string
		secrets []Secret
		in      string
		want    string
		count   int
	}{
		{"no secrets", nil, "text", "text", 0},
		{"no match", []Secret{{"A", []byte("secret-a")}}, "nothing here", "nothing here", 0},
		{"empty input", []Secret{{"A", []byte("secret-a")}}, "", "", 0},
		{"two occurrences", []Secret{{"A", []byte("secret-a")}}, "secret-a,secret-a", "[masked:A],[masked:A]", 2},
		{"longest at a position", []Secret{{"A", []byte("secret")}, {"B", []byte("secret-b")}}, "secret-b secret", "[masked:B] [masked:A]", 2},
		{"overlap reaching further extends the run", []Secret{{"A", []byte("abcdefgh")}, {"Z", []byte("zabcde")}}, "zabcdefgh.", "[masked:Z][masked:A].", 2},
		{"overlap inside the run is absorbed", []Secret{{"A", []byte("abcdefgh")}, {"C", []byte("cdefgh")}}, "abcdefgh", "[masked:A]", 1},
		{"same value, first name wins", []Secret{{"A", []byte("shared-value")}, {"B", []byte("shared-value")}}, "shared-value", "[masked:A]", 1},
		{"truncated at the end", []Secret{{"A", []byte("abcdefghij")}}, "x abcdef", "x [masked:A]", 1},
		{"truncated to 4 bytes", []Secret{{"A", []byte("abcdefghij")}}, "x abcd", "x [masked:A]", 1},
		{"truncated under MinTailLen", []Secret{{"A", []byte("abcdefghij")}}, "x abc", "x abc", 0},
		{"truncated mid-stream is not masked", []Secret{{"A", []byte("abcdefghij")}}, "abcdef x", "abcdef x", 0},
		{"exactly MinLen", []Secret{{"A", []byte("123456")}}, "0123456789", "0[masked:A]789", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, _ := Compile(tt.secrets)
			got, count := set.MaskBytes([]byte(tt.in))
			if string(got) != tt.want || count != tt.count {
				t.Errorf("got %q (%d), want %q (%d)", got, count, tt.want, tt.count)
			}
			streamed, count := writeAll(t, set, bytewise(tt.in)...)
			if streamed != tt.want || count != tt.count {
				t.Errorf("byte by byte: got %q (%d), want %q (%d)", streamed, count, tt.want, tt.count)
			}
		})
	}
}

func TestWarningsNeverShowValues(t *testing.T) {
	_, warnings := Compile([]Secret{{"SHORT", []byte("xyzzy")}, {"EMPTY", nil}, {"LINES", []byte("ok\nlong enough line\nq7")}})
	want := []string{
		`secret "SHORT" is shorter than 6 bytes (not counting spaces at its ends) and will not be masked`,
		`secret "LINES" has 2 lines shorter than 6 bytes that will not be masked on their own`,
	}
	if fmt.Sprint(warnings) != fmt.Sprint(want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	for _, w := range warnings {
		if strings.Contains(w, "xyzzy") || strings.Contains(w, "q7") {
			t.Errorf("warning %q shows a value", w)
		}
	}
}

func TestCompileKeepsNoReference(t *testing.T) {
	value := []byte("reused-buffer-value")
	set, _ := Compile([]Secret{{"A", value}})
	copy(value, "XXXXXXXXXXXXXXXXXXX")
	if got, _ := set.MaskBytes([]byte("reused-buffer-value")); string(got) != "[masked:A]" {
		t.Errorf("after the caller reused its buffer: %q", got)
	}
}

func TestWipe(t *testing.T) {
	set, _ := Compile([]Secret{{"A", []byte("wipe-me-please")}})
	var out bytes.Buffer
	w := set.NewWriter(&out)
	if _, err := w.Write([]byte("held wipe-me")); err != nil {
		t.Fatal(err)
	}
	set.Wipe()
	for _, b := range set.arena {
		if b != 0 {
			t.Fatal("pattern bytes left after Wipe")
		}
	}
	if _, err := w.Write([]byte("-please")); !errors.Is(err, ErrWiped) {
		t.Errorf("Write after Wipe: %v, want ErrWiped", err)
	}
	if err := w.Flush(); !errors.Is(err, ErrWiped) {
		t.Errorf("Flush after Wipe: %v, want ErrWiped", err)
	}
	if out.String() != "held " {
		t.Errorf("output %q: the held bytes must be dropped, not written", out.String())
	}
	if got, n := set.MaskBytes([]byte("text")); got != nil || n != 0 {
		t.Errorf("MaskBytes after Wipe = %q, %d; want nil, 0", got, n)
	}
	var nilSet *Set
	nilSet.Wipe()
}

type failingWriter struct{ calls int }

var errDisk = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) { f.calls++; return 0, errDisk }

func TestWriterErrorIsSticky(t *testing.T) {
	set, _ := Compile([]Secret{{"A", []byte("secret-a")}})
	dst := &failingWriter{}
	w := set.NewWriter(dst)
	if n, err := w.Write([]byte("some output\n")); !errors.Is(err, errDisk) || n != 0 {
		t.Errorf("Write = %d, %v; want 0, disk full", n, err)
	}
	if _, err := w.Write([]byte("more\n")); !errors.Is(err, errDisk) {
		t.Errorf("second Write: %v, want disk full", err)
	}
	if err := w.Flush(); !errors.Is(err, errDisk) {
		t.Errorf("Flush: %v, want disk full", err)
	}
	if dst.calls != 1 {
		t.Errorf("wrapped writer called %d times after failing, want 1", dst.calls)
	}
}

func TestWriterConcurrentUse(t *testing.T) {
	set, _ := Compile([]Secret{{"A", []byte("secret-a")}})
	var out bytes.Buffer
	w := set.NewWriter(&out)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				_, _ = w.Write([]byte("secret-a\n"))
			}
		}()
	}
	for range 4 {
		<-done
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.Count() != 400 || strings.Contains(out.String(), "secret") {
		t.Errorf("count %d, want 400 and no value in the output", w.Count())
	}
}

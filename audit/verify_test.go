package audit

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// tamperLog writes 10 records: 1-3 sealed, 4-5 unsealed (vault locked),
// 6-10 sealed. It returns the path and the lines.
func tamperLog(t *testing.T) (string, [][]byte) {
	t.Helper()
	l := openTest(t, Options{})
	for i := 1; i <= 10; i++ {
		switch i {
		case 1, 6:
			l.SetKey(testKey)
		case 4:
			l.SetKey(nil)
		}
		mustAppend(t, l, Record{Event: EventRequest, Agent: "claude-code", Secrets: []string{"TOKEN"}, Request: uint64(i)})
	}
	l.Close()
	lines := readLines(t, l.Path())
	return l.Path(), lines[:len(lines)-1] // drop the empty piece after the last newline
}

// line i (1-based) of lines, edited by fn.
func edit(lines [][]byte, i int, fn func(string) string) [][]byte {
	out := make([][]byte, len(lines))
	copy(out, lines)
	out[i-1] = []byte(fn(string(lines[i-1])))
	return out
}

func forge(t *testing.T, r Record, key []byte) []byte {
	t.Helper()
	r.Time = t0
	if key != nil {
		r.MAC, _ = sealMAC(key, r)
	}
	b, err := marshalLine(r)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestVerifyDetectsTampering(t *testing.T) {
	_, base := tamperLog(t)
	prevOf := func(i int) string { return lineHash(bytes.TrimSuffix(base[i-1], []byte{'\n'})) }
	rec := func(i int) Record { r, _ := parseLine(bytes.TrimSuffix(base[i-1], []byte{'\n'})); return r }
	detail := func(s string) string { return strings.Replace(s, `"claude-code"`, `"other-agent"`, 1) }

	tests := []struct {
		name    string
		key     []byte
		lines   func() [][]byte
		seq     uint64
		line    int
		because string
	}{
		{"edit sealed field", testKey, func() [][]byte { return edit(base, 3, detail) }, 3, 3, "mac does not match"},
		{"edit sealed field, no key", nil, func() [][]byte { return edit(base, 3, detail) }, 3, 3, "prev does not match"},
		{"edit unsealed record", testKey, func() [][]byte { return edit(base, 4, detail) }, 4, 4, "prev does not match"},
		{"edit last unsealed before sealed", testKey, func() [][]byte { return edit(base, 5, detail) }, 5, 5, "prev does not match"},
		{"non-canonical spacing", testKey, func() [][]byte {
			return edit(base, 2, func(s string) string { return strings.Replace(s, `"seq":2`, `"seq": 2`, 1) })
		}, 2, 2, "canonical"},
		{"delete record", testKey, func() [][]byte { return append(append([][]byte{}, base[:6]...), base[7:]...) }, 7, 7, "deleted"},
		{"delete first record", testKey, func() [][]byte { return base[1:] }, 1, 1, "deleted"},
		{"swap records", testKey, func() [][]byte {
			s := append([][]byte{}, base...)
			s[6], s[7] = s[7], s[6]
			return s
		}, 7, 7, "reordered"},
		{"insert unsealed forgery", testKey, func() [][]byte {
			f := forge(t, Record{Seq: 8, Event: EventApprove, Prev: prevOf(7)}, nil)
			return append(append(append([][]byte{}, base[:7]...), f), base[7:]...)
		}, 8, 9, "inserted"},
		{"insert forgery with wrong key", testKey, func() [][]byte {
			f := forge(t, Record{Seq: 8, Event: EventApprove, Prev: prevOf(7)}, otherKey)
			return append(append(append([][]byte{}, base[:7]...), f), base[7:]...)
		}, 8, 8, "mac does not match"},
		{"delete and renumber", testKey, func() [][]byte {
			renumbered := relabel(t, rec(8), 7, prevOf(6))
			return append(append(append([][]byte{}, base[:6]...), renumbered), base[8:]...)
		}, 7, 7, "mac does not match"},
		{"bad mac", testKey, func() [][]byte {
			r := rec(9)
			r.MAC, _ = sealMAC(otherKey, r)
			line, _ := marshalLine(r)
			return edit(base, 9, func(string) string { return string(line) + "\n" })
		}, 9, 9, "mac does not match"},
		{"mac stripped from sealed record", testKey, func() [][]byte {
			return edit(base, 2, func(s string) string { return s[:strings.Index(s, `,"mac"`)] + "}\n" })
		}, 2, 2, "prev does not match"},
		{"truncated mid-line", testKey, func() [][]byte {
			return edit(base, 10, func(s string) string { return s[:len(s)/2] })
		}, 10, 10, "incomplete last line"},
		{"unknown event", nil, func() [][]byte {
			return edit(base, 5, func(s string) string { return strings.Replace(s, `"request"`, `"reveal"`, 1) })
		}, 5, 5, "unknown audit event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/audit.jsonl"
			writeLines(t, path, tt.lines())
			_, err := Verify(path, tt.key)
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Seq != tt.seq || ve.Line != tt.line || !strings.Contains(ve.Reason, tt.because) {
				t.Errorf("got %v\nwant record %d (line %d): ...%s...", ve, tt.seq, tt.line, tt.because)
			}
		})
	}
}

// relabel rewrites r with a new seq and prev, keeping its (now wrong) mac.
func relabel(t *testing.T, r Record, seq uint64, prev string) []byte {
	t.Helper()
	r.Seq, r.Prev = seq, prev
	b, err := marshalLine(r)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestVerifyReport(t *testing.T) {
	path, _ := tamperLog(t)
	rep, err := Verify(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.MACsChecked || rep.Records != 10 || rep.Unsealed != 2 || rep.LastSeq != 10 {
		t.Errorf("report without key: %+v", rep)
	}
	if _, err := Verify(path, otherKey); err == nil {
		t.Error("Verify with the wrong key passed")
	}
	if _, err := Verify(t.TempDir()+"/missing.jsonl", nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing log: %v", err)
	}
}

func TestVerifyErrorText(t *testing.T) {
	e := &VerifyError{Seq: 12, Line: 12, File: "/x/audit.jsonl", Reason: "mac does not match"}
	if got, want := e.Error(), "record 12 (line 12 of audit.jsonl): mac does not match"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestVerifyWithCheckpoint: cutting whole records off the end is invisible
// to the chain, but not to a checkpoint taken with Head.
func TestVerifyWithCheckpoint(t *testing.T) {
	l := openTest(t, Options{})
	l.SetKey(testKey)
	for range 5 {
		mustAppend(t, l, Record{Event: EventRelease})
	}
	seq, mac := l.Head()
	l.Close()
	if _, err := VerifyWith(l.Path(), testKey, VerifyOptions{MinSeq: seq, HeadMAC: mac}); err != nil {
		t.Fatal(err)
	}
	lines := readLines(t, l.Path())
	writeLines(t, l.Path(), lines[:3])
	if _, err := Verify(l.Path(), testKey); err != nil {
		t.Fatalf("a cut log still verifies without a checkpoint, as documented: %v", err)
	}
	_, err := VerifyWith(l.Path(), testKey, VerifyOptions{MinSeq: seq, HeadMAC: mac})
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Seq != 4 || !strings.Contains(ve.Reason, "cut off") {
		t.Fatalf("VerifyWith after cutting = %v", err)
	}
	_, err = VerifyWith(l.Path(), testKey, VerifyOptions{MinSeq: 2, HeadMAC: mac})
	if !errors.As(err, &ve) || ve.Seq != 2 || !strings.Contains(ve.Reason, "checkpoint") {
		t.Fatalf("VerifyWith wrong head mac = %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"time":"2026-05-01T12:03:41.120Z","seq":1,"event":"lock","prev":"` + genesis + `"}` + "\n"))
	f.Add([]byte("{}\n{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := t.TempDir() + "/audit.jsonl"
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Verify(path, testKey)
		var ve *VerifyError
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Verify returned a non-VerifyError for file content: %v", err)
		}
	})
}

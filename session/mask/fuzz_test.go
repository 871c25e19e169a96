package mask

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// FuzzMask writes text, cut at random points, through a Writer masking two
// secrets. The output must equal the plain reference, no text between masks
// may contain any pattern (the values MinLen bytes or longer among them),
// and with nothing masked the text must come out unchanged.
func FuzzMask(f *testing.F) {
	f.Add([]byte("key123key123"), []byte("{\n}"), []byte("key123key123\nhello world {}\n"), uint64(1))
	f.Add([]byte("p@ss w/rd+1234567"), []byte("a"), []byte("cEBzcyB3L3JkKzEyMzQ1Njc=\np%40ss%20w%2Frd%2B1234567"), uint64(2))
	f.Add([]byte("-----BEGIN KEY-----\nAbC123xyzQ\n-----END KEY-----"), []byte("AbC123"),
		[]byte("-----BEGIN KEY-----\r\nAbC123xyzQ\r\n-----END KEY-----\r\n"), uint64(3))
	f.Add([]byte("aaaaaa"), []byte("aaaaaaaab"), []byte("aaaaaaaaaaaaaaaaaaaab"), uint64(4))
	f.Fuzz(func(t *testing.T, v1, v2, text []byte, seed uint64) {
		if len(v1) > 64 || len(v2) > 64 || len(text) > 2048 {
			t.Skip()
		}
		set, _ := Compile([]Secret{{"S0", v1}, {"S1", v2}})
		rng := rand.New(rand.NewPCG(seed, seed>>1))
		got, count := maskInChunks(t, set, text, rng)

		want, wantCount := referenceMask(set, text)
		if !bytes.Equal(got, want) || count != wantCount {
			t.Fatalf("streamed %q (%d), reference %q (%d)", got, count, want, wantCount)
		}
		if count == 0 && !bytes.Equal(got, text) {
			t.Fatalf("nothing masked but the text changed: %q -> %q", text, got)
		}
		if bytes.Contains(text, []byte("[masked:")) {
			return // the text itself looks like masks: segments are ambiguous
		}
		cursor := 0
		for _, segment := range splitMasks(got, set.tokens) {
			for _, p := range set.patterns {
				if bytes.Contains(segment, p.b) {
					t.Fatalf("output %q shows pattern %q", got, p.b)
				}
			}
			i := bytes.Index(text[cursor:], segment)
			if i < 0 {
				t.Fatalf("output segment %q is not text of the input %q", segment, text)
			}
			cursor += i + len(segment)
		}
	})
}

// splitMasks returns the text between the mask tokens of out.
func splitMasks(out []byte, tokens [][]byte) [][]byte {
	var segments [][]byte
	for {
		first, size := -1, 0
		for _, tok := range tokens {
			if i := bytes.Index(out, tok); i >= 0 && (first < 0 || i < first) {
				first, size = i, len(tok)
			}
		}
		if first < 0 {
			return append(segments, out)
		}
		segments = append(segments, out[:first])
		out = out[first+size:]
	}
}

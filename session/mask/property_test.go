package mask

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomCase builds secrets over a small alphabet (so that values overlap,
// repeat and share prefixes) and a text made of their forms and noise.
func randomCase(rng *rand.Rand) ([]Secret, []byte) {
	const alphabet = "ab12 \n\r+/=%\"\\"
	randBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return b
	}
	secrets := make([]Secret, 1+rng.IntN(4))
	for i := range secrets {
		secrets[i] = Secret{Name: fmt.Sprintf("S%d", i), Value: randBytes(2 + rng.IntN(14))}
	}
	set, _ := Compile(secrets)
	var text []byte
	for range rng.IntN(12) {
		switch {
		case rng.IntN(3) == 0 && len(set.patterns) > 0:
			p := set.patterns[rng.IntN(len(set.patterns))].b
			text = append(text, p[:1+rng.IntN(len(p))]...) // whole or truncated
		default:
			text = append(text, randBytes(rng.IntN(10))...)
		}
	}
	return secrets, text
}

// maskInChunks writes text to a Writer of set in pieces cut at random.
func maskInChunks(t testing.TB, set *Set, text []byte, rng *rand.Rand) ([]byte, int) {
	var out bytes.Buffer
	w := set.NewWriter(&out)
	for rest := text; len(rest) > 0; {
		n := min(len(rest), rng.IntN(8)+1)
		if rng.IntN(10) == 0 {
			n = 0
		}
		if got, err := w.Write(rest[:n]); err != nil || got != n {
			t.Fatalf("Write = %d, %v; want %d, nil", got, err, n)
		}
		rest = rest[n:]
		if len(w.held) >= max(set.maxLen, 1) {
			t.Fatalf("holding back %d bytes, the longest pattern is %d", len(w.held), set.maxLen)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), w.Count()
}

func TestStreamMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 1500 {
		secrets, text := randomCase(rng)
		set, _ := Compile(secrets)
		want, wantCount := referenceMask(set, text)
		got, count := set.MaskBytes(text)
		if !bytes.Equal(got, want) || count != wantCount {
			t.Fatalf("case %d: MaskBytes(%q) with %q\n got %q (%d)\nwant %q (%d)", i, text, secrets, got, count, want, wantCount)
		}
		got, count = maskInChunks(t, set, text, rng)
		if !bytes.Equal(got, want) || count != wantCount {
			t.Fatalf("case %d: Writer(%q) with %q\n got %q (%d)\nwant %q (%d)", i, text, secrets, got, count, want, wantCount)
		}
	}
}

// TestStreamLargeWrites crosses the Writer's internal chunk boundaries with
// values placed around them and writes of every size class.
func TestStreamLargeWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	secrets := []Secret{{"A", []byte("alpha-secret-value")}, {"B", []byte("b\nbeta secret line\r\nmore")}}
	set, _ := Compile(secrets)
	text := bytes.Repeat([]byte("x"), 3*chunkSize)
	for _, at := range []int{chunkSize - 20, chunkSize - 1, chunkSize, 2*chunkSize - 5, 3*chunkSize - 10} {
		p := set.patterns[rng.IntN(len(set.patterns))].b
		copy(text[at:], p)
	}
	want, wantCount := referenceMask(set, text)
	for _, size := range []int{1, 7, 100, 4096, chunkSize - 3, chunkSize + 1, len(text)} {
		var out bytes.Buffer
		w := set.NewWriter(&out)
		for rest := text; len(rest) > 0; {
			n := min(len(rest), size)
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) || w.Count() != wantCount {
			t.Errorf("writes of %d bytes: output differs from the reference (count %d, want %d)", size, w.Count(), wantCount)
		}
	}
}

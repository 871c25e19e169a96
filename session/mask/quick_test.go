package mask

import (
	"bytes"
	"testing"
)

func TestQuick(t *testing.T) {
	set, warn := Compile([]Secret{{"K", []byte("key123key123")}, {"T", []byte("p@ss w/rd+1234567")}, {"J", []byte("{\n}")}, {"X", []byte("a")}})
	t.Log(warn, set.Patterns(), set.scan.m, set.maxLen)
	in := []byte("hello key123key123 world {} p%40ss%20w%2Frd%2B1234567 end")
	got, n := set.MaskBytes(in)
	want, wn := referenceMask(set, in)
	t.Logf("%s %d", got, n)
	if !bytes.Equal(got, want) || n != wn {
		t.Fatalf("ref %s %d", want, wn)
	}
	var buf bytes.Buffer
	w := set.NewWriter(&buf)
	for _, c := range in {
		w.Write([]byte{c})
	}
	w.Flush()
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("stream %s", buf.Bytes())
	}
}

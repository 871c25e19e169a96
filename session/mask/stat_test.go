package mask

import (
	"encoding/binary"
	"testing"
)

func TestShiftStats(t *testing.T) {
	for _, n := range []int{20, 100} {
		secrets := benchSecrets(n)
		set, _ := Compile(secrets)
		text := benchLog(1<<20, secrets)
		tb := set.scan
		iters, zeros := 0, 0
		hist := map[int]int{}
		for i := tb.m - 1; i < len(text); {
			iters++
			h := blockHash(binary.LittleEndian.Uint32(text[i-3:]) >> 8)
			sh := tb.shift[h]
			hist[int(sh)]++
			if sh == 0 {
				zeros++
				i++
				continue
			}
			i += int(sh)
		}
		filled := 0
		for _, s := range tb.shift {
			if int(s) != tb.m-2 {
				filled++
			}
		}
		t.Logf("n=%d m=%d iters=%d zeros=%d bytes/iter=%.2f filled=%d/%d hist=%v", n, tb.m, iters, zeros, float64(len(text))/float64(iters), filled, len(tb.shift), hist)
	}
}

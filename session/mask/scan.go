package mask

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// The scan is Wu-Manber: a window of m bytes (m = the shortest pattern,
// capped) slides over the text; the hash of its last 3 bytes indexes a
// table of how far the window may jump without skipping past an
// occurrence. A zero jump means the window may end the first m bytes of
// some pattern: the patterns in that hash's bucket are compared at the
// window's start. On ordinary text most windows jump m-2 bytes, which is
// what makes the scan run at memory-like speed.

const (
	hashBits  = 15
	hashMul   = 0x9E3779B1
	maxWindow = 64 // cap on m: a longer window only grows the tables
)

type scanTable struct {
	m      int                  // window length, 6..maxWindow
	shift  [1 << hashBits]uint8 // jump for the hash of a window's last 3 bytes
	bucket []uint32             // bucket[h]..bucket[h+1] index into ids
	ids    []int32              // pattern indices, each bucket longest first
	heads  []uint32             // first 4 bytes of each pattern, for a quick reject
	first  [256]bool            // first bytes of patterns
	first2 [1 << 16 / 64]uint64 // first two bytes of patterns, as a bit set
	minLen int
}

func blockHash(x uint32) uint32 { return (x & 0xFFFFFF) * hashMul >> (32 - hashBits) }

func hash3(b []byte) uint32 {
	return blockHash(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16)
}

func newScanTable(patterns []pattern) *scanTable {
	t := &scanTable{minLen: len(patterns[0].b)}
	for _, p := range patterns {
		t.minLen = min(t.minLen, len(p.b))
	}
	t.m = min(t.minLen, maxWindow)
	m := t.m
	for h := range t.shift {
		t.shift[h] = uint8(m - 2)
	}
	counts := make([]uint32, 1<<hashBits+1)
	t.heads = make([]uint32, len(patterns))
	for i, p := range patterns {
		for j := 0; j+3 <= m; j++ {
			h := hash3(p.b[j:])
			t.shift[h] = min(t.shift[h], uint8(m-3-j))
		}
		counts[hash3(p.b[m-3:])+1]++
		t.heads[i] = binary.LittleEndian.Uint32(p.b)
		t.first[p.b[0]] = true
		two := uint32(p.b[0]) | uint32(p.b[1])<<8
		t.first2[two/64] |= 1 << (two % 64)
	}
	for h := 1; h < len(counts); h++ {
		counts[h] += counts[h-1]
	}
	t.bucket = counts
	t.ids = make([]int32, len(patterns))
	fill := slices.Clone(counts[:len(counts)-1])
	for i, p := range patterns {
		h := hash3(p.b[m-3:])
		t.ids[fill[h]] = int32(i)
		fill[h]++
	}
	for h := range 1 << hashBits {
		ids := t.ids[t.bucket[h]:t.bucket[h+1]]
		slices.SortFunc(ids, func(a, b int32) int { return len(patterns[b].b) - len(patterns[a].b) })
	}
	return t
}

// wipe forgets everything derived from pattern bytes.
func (t *scanTable) wipe() {
	clear(t.shift[:])
	clear(t.heads)
	clear(t.first[:])
	clear(t.first2[:])
}

// longestAt returns the index of the longest pattern that occurs in text
// at q, or -1. h is the hash of the window text[q+m-3 : q+m].
func (s *Set) longestAt(text []byte, q int, h uint32) int {
	t := s.scan
	rest := text[q:]
	head := binary.LittleEndian.Uint32(rest)
	for _, id := range t.ids[t.bucket[h]:t.bucket[h+1]] {
		p := s.patterns[id].b
		if t.heads[id] == head && len(p) <= len(rest) && bytes.Equal(rest[:len(p)], p) {
			return int(id)
		}
	}
	return -1
}

// firstUnresolved returns the first position q in text such that text[q:]
// is a proper prefix of a pattern: the longest match at q is not known
// until more bytes arrive. It returns len(text) when there is none.
func (s *Set) firstUnresolved(text []byte) int {
	t := s.scan
	for q := max(0, len(text)-(s.maxLen-1)); q < len(text); q++ {
		if !t.first[text[q]] {
			continue
		}
		if q+1 < len(text) {
			two := uint32(text[q]) | uint32(text[q+1])<<8
			if t.first2[two/64]&(1<<(two%64)) == 0 {
				continue
			}
		}
		if s.isProperPrefix(text[q:]) {
			return q
		}
	}
	return len(text)
}

// isProperPrefix reports whether some pattern is longer than b and starts
// with b.
func (s *Set) isProperPrefix(b []byte) bool { return s.extending(b) >= 0 }

// extending returns the index of the first pattern (in sorted order) that
// is longer than b and starts with b, or -1. Patterns are sorted, so the
// ones starting with b follow b at once.
func (s *Set) extending(b []byte) int {
	i, _ := slices.BinarySearchFunc(s.patterns, b, func(p pattern, b []byte) int { return bytes.Compare(p.b, b) })
	for k := i; k < len(s.patterns) && k <= i+1; k++ {
		p := s.patterns[k].b
		if len(p) > len(b) && bytes.HasPrefix(p, b) {
			return k
		}
	}
	return -1
}

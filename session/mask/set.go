package mask

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
)

// MinLen is the shortest value, line or encoded form that is masked.
// Shorter ones would match ordinary output ("a", "{") and destroy it.
// Spaces, tabs and line breaks at the ends of a value or line do not
// count: a blank or indented line must not mask the indentation of every
// line of output.
const MinLen = 6

// Maskable reports whether a value is long enough to be masked: MinLen
// bytes or more once white space at both ends is set aside.
func Maskable(v []byte) bool { return len(bytes.TrimSpace(v)) >= MinLen }

// ErrWiped is returned by a Writer whose Set was wiped: nothing more can be
// masked, so nothing more is written.
var ErrWiped = errors.New("mask: the secret patterns were wiped; output can no longer be masked and is dropped")

// Secret is one value to mask, under the name shown in its place.
// Compile reads Value and keeps no reference to it.
type Secret struct {
	Name  string
	Value []byte
}

// Set is the compiled patterns of some secrets. It is immutable and safe
// for concurrent use until Wipe.
type Set struct {
	patterns []pattern // sorted by bytes, no duplicates
	arena    []byte    // holds the bytes of every pattern
	tokens   [][]byte  // "[masked:NAME]" per secret index
	maxLen   int       // longest pattern
	scan     *scanTable
	wiped    atomic.Bool
}

type pattern struct {
	b      []byte
	secret int32 // index into Set.tokens
}

// Compile builds the patterns of secrets (see the package doc for the forms
// masked). Values shorter than MinLen are not masked: each such secret, and
// each multi-line secret with short lines, gets a warning naming it (never
// showing its value), for the caller to pass on to the user.
// Compile never fails; with no usable value the Set masks nothing.
func Compile(secrets []Secret) (set *Set, warnings []string) {
	set = &Set{tokens: make([][]byte, len(secrets))}
	type candidate struct {
		b      []byte
		secret int32
	}
	var cands []candidate
	var all []derived
	for i, s := range secrets {
		set.tokens[i] = []byte("[masked:" + s.Name + "]")
		if !Maskable(s.Value) {
			if len(s.Value) > 0 {
				warnings = append(warnings, fmt.Sprintf(
					"secret %q is shorter than %d bytes (not counting spaces at its ends) and will not be masked", s.Name, MinLen))
			}
			continue
		}
		d := derive(s.Value)
		if !d.encoded {
			warnings = append(warnings, fmt.Sprintf(
				"secret %q is larger than %d KiB: its raw bytes and lines are masked, not its encodings (base64, hex, URL, JSON)",
				s.Name, MaxEncodedLen>>10))
		}
		if d.shortLines > 0 {
			warnings = append(warnings, fmt.Sprintf(
				"secret %q has %d lines shorter than %d bytes that will not be masked on their own",
				s.Name, d.shortLines, MinLen))
		}
		for _, p := range d.patterns {
			cands = append(cands, candidate{p, int32(i)})
		}
		all = append(all, d)
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := bytes.Compare(a.b, b.b); c != 0 {
			return c
		}
		return cmp.Compare(a.secret, b.secret)
	})
	cands = slices.CompactFunc(cands, func(a, b candidate) bool { return bytes.Equal(a.b, b.b) })

	total := 0
	for _, c := range cands {
		total += len(c.b)
	}
	set.arena = make([]byte, 0, total)
	set.patterns = make([]pattern, len(cands))
	for i, c := range cands {
		start := len(set.arena)
		set.arena = append(set.arena, c.b...)
		set.patterns[i] = pattern{b: set.arena[start:len(set.arena):len(set.arena)], secret: c.secret}
		set.maxLen = max(set.maxLen, len(c.b))
	}
	for i := range all {
		all[i].wipe()
	}
	if len(set.patterns) > 0 {
		set.scan = newScanTable(set.patterns)
	}
	return set, warnings
}

// Wipe zeroes the patterns. Call it once every Writer of s is flushed and
// no MaskBytes call is running; afterwards Writers fail with ErrWiped and
// MaskBytes returns nil.
func (s *Set) Wipe() {
	if s == nil {
		return
	}
	s.wiped.Store(true)
	clear(s.arena)
	if s.scan != nil {
		s.scan.wipe()
	}
}

// Patterns is the number of distinct patterns in s.
func (s *Set) Patterns() int { return len(s.patterns) }

// MaskBytes returns b with every pattern of s masked, and how many
// occurrences were. b is not modified. After Wipe it returns nil, 0.
func (s *Set) MaskBytes(b []byte) ([]byte, int) {
	var out bytes.Buffer
	w := s.NewWriter(&out)
	if _, err := w.Write(b); err != nil {
		return nil, 0
	}
	if err := w.Flush(); err != nil {
		return nil, 0
	}
	return out.Bytes(), w.Count()
}

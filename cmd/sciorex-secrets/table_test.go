package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
)

// The table prints exactly what text/tabwriter printed before it, so the
// listing's look (and every script that reads it) is unchanged.
func TestTableMatchesTabwriter(t *testing.T) {
	for _, rows := range [][][]string{
		{{"NAME", "SCOPE", "LAST USED"}},
		{{"NAME", "SCOPE", "LAST USED"}, {"GITHUB_TOKEN", "global", "never"}, {"A", "/src/app", "2026-12-04 05:24"}},
		{{"N", "C"}, {"ÄPI_KEY", "Zürich"}, {"", ""}, {"x", "日本語のコレクション"}},
		{{"a", "b", "c"}, {"a very long first cell", "", "tail with  spaces"}},
		{{"N", "LAST"}, {strings.Repeat("x", 150), "y"}, {"z", "w"}}, // padding longer than one chunk of spaces
	} {
		var want bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		tw.Flush()
		tb := table{header: rows[0]}
		for _, r := range rows[1:] {
			tb.add(r...)
		}
		var got bytes.Buffer
		if err := tb.write(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("rows %q:\n got %q\nwant %q", rows, got.String(), want.String())
		}
	}
}

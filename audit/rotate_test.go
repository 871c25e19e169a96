package audit

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func rotatedLog(t *testing.T, n int) *Log {
	t.Helper()
	l := openTest(t, Options{MaxSize: 1000})
	l.SetKey(testKey)
	for i := range n {
		mustAppend(t, l, Record{Event: EventRequest, Agent: "claude-code", Request: uint64(i + 1)})
	}
	return l
}

func TestRotationContinuesChain(t *testing.T) {
	l := rotatedLog(t, 40)
	rotated, err := rotatedFiles(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(rotated) < 3 {
		t.Fatalf("%d rotated files, want several", len(rotated))
	}
	if rotated[0].first != 1 || filepath.Base(rotated[0].path) != "audit.jsonl.1-"+strconv.FormatUint(rotated[0].last, 10) {
		t.Errorf("first rotated file %+v", rotated[0])
	}
	rep, err := Verify(l.Path(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 40 || len(rep.Files) != len(rotated)+1 {
		t.Errorf("report %+v", rep)
	}
	for _, rf := range rotated {
		if fi, _ := os.Stat(rf.path); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", rf.path, fi.Mode().Perm())
		}
	}

	got, err := ReadLast(l.Path(), 25)
	if err != nil || len(got) != 25 || got[0].Seq != 16 || got[24].Seq != 40 {
		t.Fatalf("ReadLast across files: %d records, %v", len(got), err)
	}

	l.Close()
	l2, err := Open(l.Path(), Options{MaxSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if r := mustAppend(t, l2, Record{Event: EventLock}); r.Seq != 41 {
		t.Errorf("seq after reopen = %d", r.Seq)
	}
}

// A crash right after the rename leaves no current file: Open continues the
// chain from the newest rotated file, and Verify accepts the missing file.
func TestRotationCrashAfterRename(t *testing.T) {
	l := rotatedLog(t, 12)
	first := l.firstSeq
	l.Close()
	if err := os.Rename(l.Path(), rotatedName(l.Path(), first, 12)); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(l.Path(), testKey); err != nil {
		t.Fatalf("Verify with no current file: %v", err)
	}
	l2, err := Open(l.Path(), Options{MaxSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if r := mustAppend(t, l2, Record{Event: EventUnlock}); r.Seq != 13 {
		t.Errorf("seq = %d, want 13", r.Seq)
	}
	if _, err := Verify(l.Path(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestRotationTampering(t *testing.T) {
	l := rotatedLog(t, 40)
	l.Close()
	rotated, _ := rotatedFiles(l.Path())

	// deleting a middle rotated file
	hidden := rotated[1].path + ".hidden"
	os.Rename(rotated[1].path, hidden)
	_, err := Verify(l.Path(), testKey)
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Seq != rotated[1].first || !strings.Contains(ve.Reason, "deleted") {
		t.Fatalf("missing rotated file: %v", err)
	}
	os.Rename(hidden, rotated[1].path)

	// renaming a rotated file to claim other records
	wrong := rotatedName(l.Path(), rotated[1].first, rotated[1].last+1)
	os.Rename(rotated[1].path, wrong)
	if _, err := Verify(l.Path(), testKey); !errors.As(err, &ve) || !strings.Contains(ve.Reason, "named for records") {
		t.Fatalf("renamed rotated file: %v", err)
	}
}

func TestRotatedNameParsing(t *testing.T) {
	for suffix, ok := range map[string]bool{"1-9": true, "10-10": true, "0-3": false, "5-4": false,
		"1-": false, "-1": false, "1-2-3": false, "a-b": false, "+1-2": false, "1-99999999999999999999": false} {
		if _, _, got := parseRotated(suffix); got != ok {
			t.Errorf("parseRotated(%q) = %v, want %v", suffix, got, ok)
		}
	}
}

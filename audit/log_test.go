package audit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

func TestAppendChainsRecords(t *testing.T) {
	l := openTest(t, Options{})
	first := mustAppend(t, l, Record{Event: EventUnlockFailed, Seq: 99, Prev: "forged", MAC: "forged"})
	l.SetKey(testKey)
	second := mustAppend(t, l, Record{Event: EventUnlock})
	if first.Seq != 1 || first.Prev != genesis || first.MAC != "" {
		t.Errorf("first record: seq %d prev %q mac %q", first.Seq, first.Prev, first.MAC)
	}
	lines := readLines(t, l.Path())
	if second.Seq != 2 || second.Prev != lineHash(lines[0][:len(lines[0])-1]) || !macMatches(testKey, second) {
		t.Errorf("second record not chained or sealed: %+v", second)
	}
	if seq, mac := l.Head(); seq != 2 || mac != second.MAC {
		t.Errorf("Head() = %d, %q", seq, mac)
	}
	fi, err := os.Stat(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	rep, err := Verify(l.Path(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 2 || rep.Unsealed != 1 || rep.UnsealedTail != 0 || !rep.MACsChecked {
		t.Errorf("report %+v", rep)
	}
}

func TestAppendRejectsUnknownEvent(t *testing.T) {
	l := openTest(t, Options{})
	_, err := l.Append(Record{Event: "approved"})
	if !errors.Is(err, ErrWrite) || !errors.Is(err, ErrUnknownEvent) {
		t.Fatalf("err = %v", err)
	}
	if seq, _ := l.Head(); seq != 0 {
		t.Errorf("seq advanced to %d", seq)
	}
}

func TestOpenTightensMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestOpenRefusesNonRegularFile(t *testing.T) {
	for _, path := range []string{"/dev/full", t.TempDir()} {
		if _, err := Open(path, Options{}); err == nil {
			t.Errorf("Open(%s) succeeded", path)
		}
	}
	link := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.Symlink(filepath.Join(t.TempDir(), "elsewhere"), link); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(link, Options{}); err == nil {
		t.Error("Open followed a symlink")
	}
}

func TestReopenContinuesChain(t *testing.T) {
	l := openTest(t, Options{})
	l.SetKey(testKey)
	for range 3 {
		mustAppend(t, l, Record{Event: EventRequest})
	}
	l.Close()
	l2, err := Open(l.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if r := mustAppend(t, l2, Record{Event: EventConnectRefused}); r.Seq != 4 {
		t.Errorf("seq after reopen = %d, want 4", r.Seq)
	}
	if _, err := Verify(l.Path(), testKey); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentAppends is the 1,000 concurrent requests of issue 5.
func TestConcurrentAppends(t *testing.T) {
	l := openTest(t, Options{})
	l.SetKey(testKey)
	const n = 1000
	seqs := make([]uint64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := l.Append(Record{Event: EventRequest, Request: uint64(i + 1), Secrets: []string{fmt.Sprint("S", i)}})
			if err != nil {
				t.Error(err)
			}
			seqs[i] = r.Seq
		})
	}
	wg.Wait()
	seen := make([]bool, n+1)
	for _, s := range seqs {
		if s == 0 || s > n || seen[s] {
			t.Fatalf("seq %d out of range or repeated", s)
		}
		seen[s] = true
	}
	rep, err := Verify(l.Path(), testKey)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != n || rep.LastSeq != n || rep.Unsealed != 0 {
		t.Errorf("report %+v", rep)
	}
}

func TestSetKeyKeepsAndWipesItsCopy(t *testing.T) {
	l := openTest(t, Options{})
	key := append([]byte(nil), testKey...)
	l.SetKey(key)
	clear(key) // the caller wipes its own copy
	r := mustAppend(t, l, Record{Event: EventUnlock})
	if !macMatches(testKey, r) {
		t.Fatal("Log did not keep its own copy of the key")
	}
	held := l.key
	l.SetKey(nil)
	for _, b := range held {
		if b != 0 {
			t.Fatal("old key not wiped on SetKey(nil)")
		}
	}
	if r := mustAppend(t, l, Record{Event: EventLock}); r.MAC != "" {
		t.Error("record sealed after the key was cleared")
	}
}

// Fail closed: every way the file can go wrong makes Append return an error
// wrapping ErrWrite, never a silent success or a fresh file.
func TestAppendFailsClosed(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, l *Log)
		want   error
	}{
		{"file removed", func(t *testing.T, l *Log) { os.Remove(l.Path()) }, ErrReplaced},
		{"file replaced", func(t *testing.T, l *Log) {
			other := l.Path() + ".new"
			os.WriteFile(other, nil, 0o600)
			os.Rename(other, l.Path())
		}, ErrReplaced},
		{"another writer", func(t *testing.T, l *Log) {
			f, _ := os.OpenFile(l.Path(), os.O_WRONLY|os.O_APPEND, 0)
			f.WriteString(`{"forged":true}` + "\n")
			f.Close()
		}, ErrModified},
		{"file cut", func(t *testing.T, l *Log) { os.Truncate(l.Path(), 10) }, ErrModified},
		{"closed", func(t *testing.T, l *Log) { l.Close() }, ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := openTest(t, Options{})
			mustAppend(t, l, Record{Event: EventLock})
			tt.break_(t, l)
			for range 2 {
				_, err := l.Append(Record{Event: EventApprove})
				if !errors.Is(err, ErrWrite) || !errors.Is(err, tt.want) {
					t.Fatalf("Append after %s: %v", tt.name, err)
				}
			}
		})
	}
}

// TestAppendDiskFull fakes ENOSPC after half a line, as a full disk does:
// the error is reported, no half line stays behind, and once space is back
// the chain goes on and verifies.
func TestAppendDiskFull(t *testing.T) {
	l := openTest(t, Options{})
	mustAppend(t, l, Record{Event: EventLock})
	l.write = func(f *os.File, b []byte) (int, error) {
		n, _ := f.Write(b[:len(b)/2])
		return n, syscall.ENOSPC
	}
	if _, err := l.Append(Record{Event: EventApprove}); !errors.Is(err, ErrWrite) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v", err)
	}
	l.write = (*os.File).Write
	if r := mustAppend(t, l, Record{Event: EventDeny}); r.Seq != 2 {
		t.Errorf("seq after failed write = %d, want 2", r.Seq)
	}
	if _, err := Verify(l.Path(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestAppendDevFull(t *testing.T) {
	l := openTest(t, Options{})
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	l.write = func(_ *os.File, b []byte) (int, error) { return full.Write(b) }
	if _, err := l.Append(Record{Event: EventApprove}); !errors.Is(err, ErrWrite) {
		t.Fatalf("err = %v", err)
	}
}

func TestFailedSyncBreaksLog(t *testing.T) {
	l := openTest(t, Options{})
	l.sync = func(*os.File) error { return syscall.EIO }
	if _, err := l.Append(Record{Event: EventApprove}); !errors.Is(err, ErrWrite) {
		t.Fatalf("err = %v", err)
	}
	l.sync = (*os.File).Sync
	if _, err := l.Append(Record{Event: EventApprove}); !errors.Is(err, ErrWrite) {
		t.Fatalf("Append after a failed fsync succeeded: %v", err)
	}
}

func TestTooLargeRecordRefused(t *testing.T) {
	l := openTest(t, Options{})
	names := make([]string, maxLine/maxName+10)
	for i := range names {
		names[i] = fmt.Sprintf("%0*d", maxName, i)
	}
	if _, err := l.Append(Record{Event: EventRelease, Secrets: names}); !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrWrite) {
		t.Fatalf("err = %v", err)
	}
}

// TestTornLastLine: a crash mid-write leaves half a line. Verify reports it
// with the seq it would have had; Open cuts it off, records that it did,
// and the log verifies again.
func TestTornLastLine(t *testing.T) {
	l := openTest(t, Options{})
	for range 3 {
		mustAppend(t, l, Record{Event: EventRequest})
	}
	l.Close()
	f, _ := os.OpenFile(l.Path(), os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"time":"2026-05-01T12:0`)
	f.Close()

	_, err := Verify(l.Path(), nil)
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Seq != 4 || ve.Line != 4 {
		t.Fatalf("Verify = %v, want torn record 4 on line 4", err)
	}
	l2, err := Open(l.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	last, err := ReadLast(l.Path(), 1)
	if err != nil || len(last) != 1 || last[0].Event != EventError || last[0].Seq != 4 {
		t.Fatalf("ReadLast after reopen = %+v, %v", last, err)
	}
	if _, err := Verify(l.Path(), nil); err != nil {
		t.Fatal(err)
	}
}

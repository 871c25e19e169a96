package audit

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

func TestReadLast(t *testing.T) {
	l := openTest(t, Options{})
	for i := range 5 {
		mustAppend(t, l, Record{Event: EventRequest, Request: uint64(i + 1)})
	}
	for _, tt := range []struct{ n, want int }{{0, 0}, {1, 1}, {3, 3}, {5, 5}, {50, 5}} {
		got, err := ReadLast(l.Path(), tt.n)
		if err != nil || len(got) != tt.want {
			t.Fatalf("ReadLast(%d) = %d records, %v", tt.n, len(got), err)
		}
		if tt.want > 0 && got[len(got)-1].Seq != 5 {
			t.Errorf("ReadLast(%d) ends at %d", tt.n, got[len(got)-1].Seq)
		}
	}
	f, _ := os.OpenFile(l.Path(), os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"time":`) // torn tail is skipped
	f.Close()
	if got, err := ReadLast(l.Path(), 2); err != nil || len(got) != 2 || got[1].Seq != 5 {
		t.Fatalf("ReadLast with torn tail = %+v, %v", got, err)
	}
	os.WriteFile(l.Path(), []byte("garbage\n"), 0o600)
	if _, err := ReadLast(l.Path(), 2); !errors.Is(err, ErrDamaged) {
		t.Fatalf("ReadLast of garbage: %v", err)
	}
}

func TestFollowAcrossRotation(t *testing.T) {
	defer func(d time.Duration) { followPoll = d }(followPoll)
	followPoll = 5 * time.Millisecond

	l := openTest(t, Options{MaxSize: 600})
	mustAppend(t, l, Record{Event: EventUnlock}) // before Follow: not delivered
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan Record, 100)
	done := make(chan error, 1)
	go func() { done <- Follow(ctx, l.Path(), func(r Record) { got <- r }) }()

	// Follow starts asynchronously: keep appending until it has seen records
	// from several files, without assuming how fast it is.
	var seen []uint64
	deadline := time.After(20 * time.Second)
	for len(seen) < 15 {
		mustAppend(t, l, Record{Event: EventRequest, Agent: "claude-code"})
		select {
		case r := <-got:
			seen = append(seen, r.Seq)
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("Follow delivered only %v", seen)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] || seen[i] == 1 {
			t.Fatalf("records out of order or repeated: %v", seen)
		}
	}
	if rotated, _ := rotatedFiles(l.Path()); len(rotated) < 2 {
		t.Fatalf("test did not rotate (%d files)", len(rotated))
	}
}

func TestFollowAfterIsGapFree(t *testing.T) {
	l := openTest(t, Options{})
	for range 4 {
		mustAppend(t, l, Record{Event: EventRequest})
	}
	ctx, cancel := context.WithCancel(context.Background())
	var seqs []uint64
	err := FollowAfter(ctx, l.Path(), 2, func(r Record) {
		seqs = append(seqs, r.Seq)
		if r.Seq == 4 {
			cancel()
		}
	})
	if err != nil || len(seqs) != 2 || seqs[0] != 3 || seqs[1] != 4 {
		t.Fatalf("FollowAfter(2) delivered %v, %v", seqs, err)
	}
}

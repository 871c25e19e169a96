package audit

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestRecordLineFormat(t *testing.T) {
	r := Record{Time: t0, Seq: 7, Event: EventRunEnd, Session: "s1", Agent: "claude-code",
		Verified: "/usr/bin/claude pid 4242", Project: "/home/u/src/app", Secrets: []string{"A", "B"},
		Command: "make deploy", Request: 12, ExitCode: intp(0), Masked: intp(3), Detail: "ok", Prev: genesis, MAC: "ab"}
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"time":"2026-05-01T12:03:41.120Z","seq":7,"event":"run_end","session":"s1","agent":"claude-code",` +
		`"verified":"/usr/bin/claude pid 4242","project":"/home/u/src/app","secrets":["A","B"],"command":"make deploy",` +
		`"request":12,"exit_code":0,"masked":3,"detail":"ok","prev":"` + genesis + `","mac":"ab"}`
	if string(got) != want {
		t.Errorf("line:\n got %s\nwant %s", got, want)
	}
	back, err := parseLine(got)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip: got %+v, want %+v", back, r)
	}
}

func TestParseLineRejectsNonCanonical(t *testing.T) {
	good := `{"time":"2026-05-01T12:03:41.120Z","seq":1,"event":"lock","prev":"` + genesis + `"}`
	if _, err := parseLine([]byte(good)); err != nil {
		t.Fatalf("good line: %v", err)
	}
	for name, line := range map[string]string{
		"space":          strings.Replace(good, `"seq":1`, `"seq": 1`, 1),
		"key order":      `{"seq":1,"time":"2026-05-01T12:03:41.120Z","event":"lock","prev":"` + genesis + `"}`,
		"unknown key":    strings.Replace(good, `"event"`, `"value":"x","event"`, 1),
		"duplicate key":  strings.Replace(good, `"event":"lock"`, `"event":"unlock","event":"lock"`, 1),
		"key case":       strings.Replace(good, `"seq"`, `"SEQ"`, 1),
		"time zone":      strings.Replace(good, `.120Z`, `.120+00:00`, 1),
		"time precision": strings.Replace(good, `.120Z`, `.12Z`, 1),
		"trailing data":  good + ` {}`,
		"empty secrets":  strings.Replace(good, `"prev"`, `"secrets":[],"prev"`, 1),
		"escaped letter": strings.Replace(good, `"lock"`, `"\u006cock"`, 1),
		"not json":       `hello`,
	} {
		if _, err := parseLine([]byte(line)); err == nil {
			t.Errorf("%s: parsed %s", name, line)
		}
	}
}

func TestCleanCapsText(t *testing.T) {
	r := clean(Record{Detail: strings.Repeat("é", maxDetail), Agent: "bad\xffutf8", Secrets: []string{}})
	if len(r.Detail) > maxDetail || !strings.HasSuffix(r.Detail, "…") {
		t.Errorf("detail not capped: %d bytes", len(r.Detail))
	}
	if r.Agent != "bad\uFFFDutf8" {
		t.Errorf("agent = %q", r.Agent)
	}
	if r.Secrets != nil {
		t.Errorf("empty secrets kept: %#v", r.Secrets)
	}
}

// TestCanaryRecordCarriesNoValue fills every text field a caller can set,
// then checks the file holds exactly the documented keys: there is no
// place in a record where a secret value could go, and nothing is added
// on the way to the disk.
func TestCanaryRecordCarriesNoValue(t *testing.T) {
	documented := []string{"agent", "command", "detail", "event", "exit_code", "mac", "masked", "prev",
		"project", "request", "secrets", "seq", "session", "time", "verified"}
	var tags []string
	rt := reflect.TypeFor[Record]()
	for i := range rt.NumField() {
		tags = append(tags, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
	}
	slices.Sort(tags)
	if !slices.Equal(tags, documented) {
		t.Fatalf("Record fields %v, documented %v: a new field needs review (no value may ever be recorded)", tags, documented)
	}

	l := openTest(t, Options{})
	l.SetKey(testKey)
	mustAppend(t, l, Record{Event: EventRunEnd, Session: "sess-CANARY-name", Agent: "agent", Verified: "/bin/x pid 1",
		Project: "/p", Secrets: []string{"TOKEN"}, Command: "cmd", Request: 3, ExitCode: intp(1), Masked: intp(2), Detail: "d"})
	data, err := os.ReadFile(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	if !slices.Equal(keys, documented) {
		t.Errorf("keys in file %v, want %v", keys, documented)
	}
	if n := strings.Count(string(data), "CANARY"); n != 1 {
		t.Errorf("CANARY appears %d times, want once (only in the session field put there)", n)
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add([]byte(`{"time":"2026-05-01T12:03:41.120Z","seq":1,"event":"lock","prev":"` + genesis + `"}`))
	f.Add([]byte(`{"time":"2026-05-01T12:03:41.120Z","seq":2,"event":"run_end","secrets":["A"],"exit_code":-1,"prev":"x","mac":"y"}`))
	f.Add([]byte(`{"seq":1}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := parseLine(line)
		if err != nil {
			return
		}
		again, err := json.Marshal(r)
		if err != nil || string(again) != string(line) {
			t.Fatalf("parsed line does not re-encode to itself:\n in %q\nout %q", line, again)
		}
	})
}

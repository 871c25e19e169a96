package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Record is one line of the audit log. It has no field for a secret value,
// on purpose: only names of secrets are ever recorded.
//
// Time, Seq, Prev and MAC are filled by [Log.Append]; whatever the caller
// puts there is overwritten.
type Record struct {
	Time     time.Time `json:"time"`
	Seq      uint64    `json:"seq"`
	Event    string    `json:"event"`
	Session  string    `json:"session,omitempty"`
	Agent    string    `json:"agent,omitempty"`    // the client name as claimed
	Verified string    `json:"verified,omitempty"` // the process as proven by the kernel, "/usr/bin/node pid 4242"
	Project  string    `json:"project,omitempty"`
	Secrets  []string  `json:"secrets,omitempty"` // names, never values
	Command  string    `json:"command,omitempty"`
	Request  uint64    `json:"request,omitempty"`
	ExitCode *int      `json:"exit_code,omitempty"`
	Masked   *int      `json:"masked,omitempty"`
	Detail   string    `json:"detail,omitempty"`
	Prev     string    `json:"prev"`
	MAC      string    `json:"mac,omitempty"`
}

// Event kinds accepted by [Log.Append].
const (
	EventRequest        = "request"
	EventApprove        = "approve"
	EventDeny           = "deny"
	EventTimeout        = "timeout"
	EventCancel         = "cancel"
	EventRelease        = "release"
	EventRunStart       = "run_start"
	EventRunEnd         = "run_end"
	EventSet            = "set"
	EventDelete         = "delete"
	EventAccessChange   = "access_change"
	EventLock           = "lock"
	EventUnlock         = "unlock"
	EventUnlockFailed   = "unlock_failed"
	EventExport         = "export"
	EventImport         = "import"
	EventConnectRefused = "connect_refused"
	EventRateLimited    = "rate_limited"
	EventGrant          = "grant"
	EventError          = "error"
)

var knownEvents = map[string]bool{
	EventRequest: true, EventApprove: true, EventDeny: true, EventTimeout: true,
	EventCancel: true, EventRelease: true, EventRunStart: true, EventRunEnd: true,
	EventSet: true, EventDelete: true, EventAccessChange: true, EventLock: true,
	EventUnlock: true, EventUnlockFailed: true, EventExport: true, EventImport: true,
	EventConnectRefused: true, EventRateLimited: true, EventGrant: true, EventError: true,
}

// KnownEvent reports whether event is one of the Event constants.
func KnownEvent(event string) bool { return knownEvents[event] }

// Limits on what one record may hold. Longer text is cut (ending in "…");
// a line longer than maxLine is refused.
const (
	maxName    = 256  // agent, session, verified, each secret name
	maxPath    = 1024 // project
	maxCommand = 4096
	maxDetail  = 1024
	maxLine    = 1 << 20
)

// timeLayout is RFC 3339 with exactly three fractional digits, always UTC.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// wireRecord is the JSON form of a Record: field order, names and the time
// format are the file format.
type wireRecord struct {
	Time     string   `json:"time"`
	Seq      uint64   `json:"seq"`
	Event    string   `json:"event"`
	Session  string   `json:"session,omitempty"`
	Agent    string   `json:"agent,omitempty"`
	Verified string   `json:"verified,omitempty"`
	Project  string   `json:"project,omitempty"`
	Secrets  []string `json:"secrets,omitempty"`
	Command  string   `json:"command,omitempty"`
	Request  uint64   `json:"request,omitempty"`
	ExitCode *int     `json:"exit_code,omitempty"`
	Masked   *int     `json:"masked,omitempty"`
	Detail   string   `json:"detail,omitempty"`
	Prev     string   `json:"prev"`
	MAC      string   `json:"mac,omitempty"`
}

// MarshalJSON writes the record in its one canonical form: the line format
// of the log, time in UTC with milliseconds.
func (r Record) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireRecord{
		Time: r.Time.UTC().Format(timeLayout), Seq: r.Seq, Event: r.Event,
		Session: r.Session, Agent: r.Agent, Verified: r.Verified, Project: r.Project,
		Secrets: r.Secrets, Command: r.Command, Request: r.Request,
		ExitCode: r.ExitCode, Masked: r.Masked, Detail: r.Detail, Prev: r.Prev, MAC: r.MAC,
	})
}

// UnmarshalJSON reads a record leniently (unknown fields are ignored); the
// verifier uses a strict parser instead.
func (r *Record) UnmarshalJSON(b []byte) error {
	var w wireRecord
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return r.fromWire(w)
}

func (r *Record) fromWire(w wireRecord) error {
	t, err := time.Parse(timeLayout, w.Time)
	if err != nil {
		return errors.New("time is not RFC 3339 with milliseconds")
	}
	*r = Record{
		Time: t.UTC(), Seq: w.Seq, Event: w.Event,
		Session: w.Session, Agent: w.Agent, Verified: w.Verified, Project: w.Project,
		Secrets: w.Secrets, Command: w.Command, Request: w.Request,
		ExitCode: w.ExitCode, Masked: w.Masked, Detail: w.Detail, Prev: w.Prev, MAC: w.MAC,
	}
	return nil
}

// errNotCanonical means a line parses but is not the bytes this package
// writes for it: reordered keys, spacing, duplicate or unknown keys, case.
var errNotCanonical = errors.New("not in canonical form")

// parseLine is the strict parser used by verification: the line must be a
// single JSON object with known keys only, and re-encoding the record must
// give back exactly the same bytes. So no two different lines mean the same
// record, and the hash of a line is the hash of its record.
func parseLine(line []byte) (Record, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var w wireRecord
	if err := dec.Decode(&w); err != nil {
		return Record{}, errors.New("not a valid JSON record")
	}
	if dec.More() {
		return Record{}, errors.New("extra data after the record")
	}
	var r Record
	if err := r.fromWire(w); err != nil {
		return Record{}, err
	}
	again, err := json.Marshal(r)
	if err != nil || !bytes.Equal(again, line) {
		return Record{}, errNotCanonical
	}
	return r, nil
}

// clean caps the caller's text fields and makes them valid UTF-8, so the
// record Append returns is exactly what the line holds.
func clean(r Record) Record {
	r.Session = capText(r.Session, maxName)
	r.Agent = capText(r.Agent, maxName)
	r.Verified = capText(r.Verified, maxName)
	r.Project = capText(r.Project, maxPath)
	r.Command = capText(r.Command, maxCommand)
	r.Detail = capText(r.Detail, maxDetail)
	if len(r.Secrets) > 0 {
		names := make([]string, len(r.Secrets))
		for i, n := range r.Secrets {
			names[i] = capText(n, maxName)
		}
		r.Secrets = names
	} else {
		r.Secrets = nil
	}
	return r
}

func capText(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= limit {
		return s
	}
	cut := limit - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func checkEvent(event string) error {
	if !KnownEvent(event) {
		return fmt.Errorf("%w %q", ErrUnknownEvent, capText(event, 40))
	}
	return nil
}

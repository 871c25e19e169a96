package audit

import (
	"strings"
	"testing"
	"unicode"
)

func TestFormat(t *testing.T) {
	home := homeDir()
	tests := []struct {
		r    Record
		want string
	}{
		{Record{Time: t0, Event: EventApprove, Secrets: []string{"GITHUB_TOKEN"}, Agent: "claude-code",
			Verified: "/usr/bin/claude pid 4242", Project: home + "/src/app", Request: 12},
			"12:03:41 approve GITHUB_TOKEN for claude-code (/usr/bin/claude pid 4242) project ~/src/app #12"},
		{Record{Time: t0, Event: EventRunEnd, Secrets: []string{"A", "B"}, Command: "make deploy", ExitCode: intp(2), Masked: intp(0)},
			"12:03:41 run_end A,B $ make deploy exit 2 masked 0"},
		{Record{Time: t0, Event: EventUnlockFailed, Detail: "wrong master password"},
			"12:03:41 unlock_failed: wrong master password"},
		{Record{Time: t0, Event: EventConnectRefused, Agent: "x\x1b[2Jy\u202eevil", Detail: "uid 1001\nforged line"},
			`12:03:41 connect_refused for x\u001b[2Jy\u202eevil: uid 1001\u000aforged line`},
	}
	for _, tt := range tests {
		if got := Format(tt.r); got != tt.want {
			t.Errorf("Format:\n got %s\nwant %s", got, tt.want)
		}
	}
}

func FuzzFormat(f *testing.F) {
	f.Add("GITHUB_TOKEN", "claude-code", "ok")
	f.Add("\x1b]0;title\x07", "\u2066x\u2069", "\r\n")
	f.Fuzz(func(t *testing.T, name, agent, detail string) {
		out := Format(Record{Time: t0, Event: EventDeny, Secrets: []string{name}, Agent: agent, Detail: detail})
		if i := strings.IndexFunc(out, func(c rune) bool { return unicode.IsControl(c) || unicode.Is(unicode.Cf, c) }); i >= 0 {
			t.Fatalf("unescaped control or format character in %q", out)
		}
	})
}

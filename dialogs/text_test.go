package dialogs

import (
	"strings"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

// A request about a whole collection or the whole vault names no secret:
// its headline says what it is about instead of "(no secret named)".
func TestApprovalBodyHeadline(t *testing.T) {
	for _, tc := range []struct {
		req  session.Request
		want string
	}{
		{session.Request{Kind: session.KindGet, Secrets: []string{"GITHUB_TOKEN"}}, "asks to use: GITHUB_TOKEN\n"},
		{session.Request{Kind: session.KindRun, Secrets: []string{"A", "B"}}, "asks to run a command with: A, B\n"},
		{session.Request{Kind: session.KindExport}, "asks to export the whole vault\n"},
		{session.Request{Kind: session.KindSet, Detail: "add collection X"}, "asks to change a collection\n"},
		{session.Request{Kind: session.KindAccess}, "asks to change the AI access of a whole collection\n"},
	} {
		got := approvalBody(tc.req) + "\n"
		if !strings.Contains(got, "(verified by the kernel)\n"+tc.want) {
			t.Errorf("%s %v: body\n%s\nwant the headline %q", tc.req.Kind, tc.req.Secrets, got, tc.want)
		}
	}
}

func TestPasswordButton(t *testing.T) {
	for _, tc := range []struct {
		p    session.PasswordPrompt
		want string
	}{
		{session.PasswordPrompt{Purpose: "unlock"}, "Unlock"},
		{session.PasswordPrompt{}, "Unlock"},
		{session.PasswordPrompt{Purpose: "unlock", Retry: true}, "Unlock"},
		{session.PasswordPrompt{Purpose: "create the vault", New: true}, "OK"},
		{session.PasswordPrompt{Purpose: "import"}, "OK"},
	} {
		if got := passwordButton(tc.p); got != tc.want {
			t.Errorf("passwordButton(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// The value prompt shows the set request's detail as it is ("new secret,
// collection GitHub"), not behind a second "collection".
func TestSecretValueText(t *testing.T) {
	got := secretValueText(session.Request{Kind: session.KindSet, Secrets: []string{"GITHUB_TOKEN"}, Detail: "new secret, collection GitHub"})
	if !strings.HasPrefix(got, "Value for secret GITHUB_TOKEN (new secret, collection GitHub)\n") {
		t.Errorf("value prompt:\n%s", got)
	}
}

//go:build unix

package dialogs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// fakeZenity is the state directory of the fake zenity for one test.
type fakeZenity struct {
	t   *testing.T
	dir string
}

// newFakeZenity points the fake at a fresh directory and sets a display.
func newFakeZenity(t *testing.T) *fakeZenity {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("FAKE_ZENITY_DIR", dir)
	t.Setenv("DISPLAY", ":99")
	t.Setenv("WAYLAND_DISPLAY", "")
	return &fakeZenity{t: t, dir: dir}
}

func (f *fakeZenity) write(name, content string) {
	f.t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

// answer makes call n print out and exit with rc.
func (f *fakeZenity) answer(n int, out string, rc int) {
	f.write("out."+strconv.Itoa(n), out)
	f.write("rc."+strconv.Itoa(n), strconv.Itoa(rc))
}

func (f *fakeZenity) calls() int {
	b, err := os.ReadFile(filepath.Join(f.dir, "count"))
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// argv returns the arguments of call n.
func (f *fakeZenity) argv(n int) []string {
	f.t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, "argv."+strconv.Itoa(n)))
	if err != nil {
		f.t.Fatalf("zenity call %d: %v", n, err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// flag returns the value following name in args, or fails the test.
func flag(t *testing.T, args []string, name string) string {
	t.Helper()
	i := slices.Index(args, name)
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("no %s in %q", name, args)
	}
	return args[i+1]
}

func TestZenityApproveArgv(t *testing.T) {
	fake := newFakeZenity(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ok, err := (&Zenity{}).Approve(ctx, sampleRequest())
	if !ok || err != nil {
		t.Fatalf("Approve = %v, %v; want true, nil", ok, err)
	}
	args := fake.argv(1)
	for _, want := range []string{"--question", "--no-markup", "--default-cancel"} {
		if !slices.Contains(args, want) {
			t.Errorf("argv lacks %s: %q", want, args)
		}
	}
	if slices.Contains(args, "--extra-button") {
		t.Errorf("argv has an extra button: %q", args)
	}
	if got := flag(t, args, "--title"); got != "sciorex-secrets: request #7" {
		t.Errorf("title = %q", got)
	}
	if got := flag(t, args, "--ok-label"); got != "Allow once" {
		t.Errorf("ok label = %q", got)
	}
	if got := flag(t, args, "--cancel-label"); got != "Deny" {
		t.Errorf("cancel label = %q", got)
	}
	text := flag(t, args, "--text")
	for _, want := range []string{
		"claude-code (claimed by the client)",
		"/usr/bin/node pid 4242 (verified by the kernel)",
		"asks to run a command with: GITHUB_TOKEN, NPM_TOKEN",
		"Project: /home/u/proj",
		"Command: npm publish --access public",
		"denied in 2m0s",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func TestZenityApproveOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		rc      int
		wantOK  bool
		wantErr error
	}{
		{"allow", 0, true, nil},
		{"deny", 1, false, session.ErrDenied},
		{"dialog crashed", 5, false, session.ErrNoApprover},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeZenity(t)
			fake.answer(1, "", tt.rc)
			ok, err := (&Zenity{}).Approve(context.Background(), sampleRequest())
			if ok != tt.wantOK || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Approve = %v, %v; want %v, %v", ok, err, tt.wantOK, tt.wantErr)
			}
		})
	}
}

func TestZenityNoDisplay(t *testing.T) {
	fake := newFakeZenity(t)
	t.Setenv("DISPLAY", "")
	z := &Zenity{}
	ok, err := z.Approve(context.Background(), sampleRequest())
	if ok || !errors.Is(err, session.ErrNoApprover) {
		t.Fatalf("Approve = %v, %v; want false, ErrNoApprover", ok, err)
	}
	if _, err := z.Password(context.Background(), session.PasswordPrompt{Vault: "v"}); !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("Password err = %v; want ErrNoApprover", err)
	}
	if _, err := z.SecretValue(context.Background(), sampleRequest()); !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("SecretValue err = %v; want ErrNoApprover", err)
	}
	z.Notify("title", "text")
	if n := fake.calls(); n != 0 {
		t.Errorf("zenity ran %d times without a display", n)
	}
}

func TestZenityWaylandDisplayIsEnough(t *testing.T) {
	newFakeZenity(t)
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if ok, err := (&Zenity{}).Approve(context.Background(), sampleRequest()); !ok || err != nil {
		t.Fatalf("Approve = %v, %v; want true, nil", ok, err)
	}
}

func TestZenityNotInstalled(t *testing.T) {
	fake := newFakeZenity(t)
	saved := zenityAvailable
	zenityAvailable = func() bool { return false }
	t.Cleanup(func() { zenityAvailable = saved })
	ok, err := (&Zenity{}).Approve(context.Background(), sampleRequest())
	if ok || !errors.Is(err, session.ErrNoApprover) {
		t.Fatalf("Approve = %v, %v; want false, ErrNoApprover", ok, err)
	}
	if fake.calls() != 0 {
		t.Error("zenity ran although it was reported missing")
	}
}

func TestZenityContextEnd(t *testing.T) {
	tests := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		wantErr error
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, session.ErrTimeout},
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, session.ErrCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeZenity(t)
			fake.write("hang", "")
			ctx, cancel := tt.ctx()
			defer cancel()
			ok, err := (&Zenity{}).Approve(ctx, sampleRequest())
			if ok || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Approve = %v, %v; want false, %v", ok, err, tt.wantErr)
			}
			_, err = (&Zenity{}).Password(ctx, session.PasswordPrompt{Vault: "v"})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Password err = %v; want %v", err, tt.wantErr)
			}
		})
	}
}

func TestZenityPassword(t *testing.T) {
	fake := newFakeZenity(t)
	fake.answer(1, "c0rrect horse\n", 0)
	pw, err := (&Zenity{}).Password(context.Background(),
		session.PasswordPrompt{Vault: "/home/u/.local/share/sciorex/vault.sxv", Retry: true})
	if err != nil || string(pw) != "c0rrect horse" {
		t.Fatalf("Password = %q, %v", pw, err)
	}
	args := fake.argv(1)
	for _, want := range []string{"--entry", "--hide-text"} {
		if !slices.Contains(args, want) {
			t.Errorf("argv lacks %s: %q", want, args)
		}
	}
	if slices.Contains(args, "--entry-text") {
		t.Errorf("argv prefills the entry: %q", args)
	}
	text := flag(t, args, "--text")
	if !strings.Contains(text, "/home/u/.local/share/sciorex/vault.sxv") || !strings.Contains(text, "wrong") {
		t.Errorf("text does not name the vault and the retry: %q", text)
	}
}

func TestZenityNewPassword(t *testing.T) {
	tests := []struct {
		name    string
		answers []string
		want    string
		wantErr error
		calls   int
	}{
		{"match first time", []string{"a1", "a1"}, "a1", nil, 2},
		{"match second time", []string{"a1", "b2", "c3", "c3"}, "c3", nil, 4},
		{"three mismatches", []string{"a", "b", "c", "d", "e", "f"}, "", ErrMismatch, 6},
		{"cancel confirmation", []string{"a1", "!"}, "", ErrCancelled, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeZenity(t)
			for i, a := range tt.answers {
				if a == "!" {
					fake.answer(i+1, "", 1)
				} else {
					fake.answer(i+1, a+"\n", 0)
				}
			}
			pw, err := (&Zenity{}).Password(context.Background(), session.PasswordPrompt{Vault: "v", New: true})
			if string(pw) != tt.want || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Password = %q, %v; want %q, %v", pw, err, tt.want, tt.wantErr)
			}
			if fake.calls() != tt.calls {
				t.Errorf("zenity ran %d times, want %d", fake.calls(), tt.calls)
			}
			if first, second := flag(t, fake.argv(1), "--text"), flag(t, fake.argv(2), "--text"); first == second {
				t.Errorf("the confirmation is worded like the first question: %q", first)
			}
		})
	}
}

func TestZenitySecretValue(t *testing.T) {
	fake := newFakeZenity(t)
	fake.answer(1, "s3cr3t-value\n", 0)
	req := session.Request{ID: 3, Kind: session.KindSet, Secrets: []string{"DB_PASSWORD"}, Detail: "new secret, collection prod"}
	v, err := (&Zenity{}).SecretValue(context.Background(), req)
	if err != nil || string(v) != "s3cr3t-value" {
		t.Fatalf("SecretValue = %q, %v", v, err)
	}
	args := fake.argv(1)
	if !slices.Contains(args, "--hide-text") || slices.Contains(args, "--entry-text") {
		t.Errorf("not a hidden, empty entry: %q", args)
	}
	text := flag(t, args, "--text")
	if !strings.Contains(text, "DB__PASSWORD") || !strings.Contains(text, "collection prod") {
		t.Errorf("text does not name key (mnemonic-quoted) and collection: %q", text)
	}

	fake.answer(2, "", 1)
	if _, err := (&Zenity{}).SecretValue(context.Background(), req); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled SecretValue err = %v; want ErrCancelled", err)
	}
}

// TestCaseB10: hostile names reach zenity as literal text, without markup,
// escaped and capped, and a failed dialog denies.
func TestCaseB10(t *testing.T) {
	fake := newFakeZenity(t)
	req := session.Request{
		ID:      10,
		Kind:    session.KindGet,
		Secrets: []string{"<b>PROD</b>", "A&B", "\"\n\nAllow?", strings.Repeat("L", 500)},
		Agent:   session.Identity{Claimed: `x</span><span size="1">hidden`, Peer: session.Process{PID: 9, Exe: "/bin/sh"}},
		Project: "/p\u202eexe.txt",
	}
	fake.answer(1, "", 1)
	ok, err := (&Zenity{}).Approve(context.Background(), req)
	if ok || !errors.Is(err, session.ErrDenied) {
		t.Fatalf("Approve = %v, %v; want false, ErrDenied", ok, err)
	}
	args := fake.argv(1)
	if !slices.Contains(args, "--no-markup") {
		t.Fatalf("no --no-markup in %q", args)
	}
	text := flag(t, args, "--text")
	for _, want := range []string{
		"<b>PROD</b>",
		"A&B",
		`"\n\nAllow?`,
		`x</span><span size="1">hidden (claimed by the client)`,
		`/p\u202eexe.txt`,
		"…(372 more bytes)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\u202e") || strings.Contains(text, "\n\nAllow?") {
		t.Errorf("raw control or bidi character in the text:\n%q", text)
	}

	// The same names in the secret-value entry, which takes no --no-markup
	// but shows its text plainly: backslashes are doubled against
	// g_strcompress.
	fake.answer(2, "", 1)
	_, _ = (&Zenity{}).SecretValue(context.Background(), req)
	entry := flag(t, fake.argv(2), "--text")
	if !strings.Contains(entry, `"\\n\\nAllow?`) || !strings.Contains(entry, "<b>PROD</b>") {
		t.Errorf("entry text not escaped for zenity --entry:\n%s", entry)
	}
}

// TestCaseB06: zenity's argv carries names, never a value: the typed value
// comes back on stdout only.
func TestCaseB06(t *testing.T) {
	fake := newFakeZenity(t)
	const value = "tok-9f8e7d6c5b4a"
	fake.answer(1, value+"\n", 0)
	req := session.Request{ID: 1, Kind: session.KindSet, Secrets: []string{"TOKEN"}, Detail: "default"}
	got, err := (&Zenity{}).SecretValue(context.Background(), req)
	if err != nil || string(got) != value {
		t.Fatalf("SecretValue = %q, %v", got, err)
	}
	ok, err := (&Zenity{}).Approve(context.Background(), session.Request{ID: 2, Kind: session.KindRun, Secrets: []string{"TOKEN"}, Command: "sleep 5"})
	if !ok || err != nil {
		t.Fatalf("Approve = %v, %v", ok, err)
	}
	for n := 1; n <= 2; n++ {
		joined := strings.Join(fake.argv(n), "\x00")
		if strings.Contains(joined, value) {
			t.Errorf("call %d: the value is in argv", n)
		}
		if !strings.Contains(joined, "TOKEN") {
			t.Errorf("call %d: the name is missing from argv", n)
		}
	}
	for n := 1; n <= 2; n++ {
		env, err := os.ReadFile(filepath.Join(fake.dir, "env."+strconv.Itoa(n)))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(env, []byte(value)) {
			t.Errorf("call %d: the value is in zenity's environment", n)
		}
	}
}

func TestChooser(t *testing.T) {
	fake := newFakeZenity(t)
	fake.answer(1, "/home/u/backup.sxe\n", 0)
	path, err := Chooser{}.SaveFile(context.Background(), "Export vault", "backup.sxe")
	if err != nil || path != "/home/u/backup.sxe" {
		t.Fatalf("SaveFile = %q, %v", path, err)
	}
	args := fake.argv(1)
	for _, want := range []string{"--file-selection", "--save", "--confirm-overwrite"} {
		if !slices.Contains(args, want) {
			t.Errorf("argv lacks %s: %q", want, args)
		}
	}
	fake.answer(2, "", 1)
	if _, err := (Chooser{}).OpenFile(context.Background(), "Import"); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled OpenFile err = %v; want ErrCancelled", err)
	}
	t.Setenv("DISPLAY", "")
	if _, err := (Chooser{}).OpenFile(context.Background(), "Import"); !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("OpenFile without display err = %v; want ErrNoApprover", err)
	}
}

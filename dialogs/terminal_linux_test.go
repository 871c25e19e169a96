package dialogs

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sciorex/sciorex-secrets/session"
)

// pty is a pseudo-terminal: the test types on master, the Terminal driver
// opens the slave by path.
type pty struct {
	master *os.File
	path   string
	mu     sync.Mutex
	seen   strings.Builder // everything the driver wrote, echo included
	more   chan struct{}
}

func newPTY(t *testing.T) *pty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	raw, _ := master.SyscallConn()
	var n int
	var ioErr error
	raw.Control(func(fd uintptr) {
		if ioErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioErr == nil {
			n, ioErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	})
	if ioErr != nil {
		master.Close()
		t.Skipf("cannot unlock the pseudo-terminal: %v", ioErr)
	}
	p := &pty{master: master, path: "/dev/pts/" + strconv.Itoa(n), more: make(chan struct{}, 1)}
	// Keep the slave open for the whole test, so the master never sees EOF
	// between the driver's opens.
	slave, err := os.OpenFile(p.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Skipf("cannot open %s: %v", p.path, err)
	}
	go p.collect()
	t.Cleanup(func() { slave.Close(); master.Close() })
	return p
}

func (p *pty) collect() {
	r := bufio.NewReader(p.master)
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		p.mu.Lock()
		p.seen.Write(buf[:n])
		p.mu.Unlock()
		select {
		case p.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

func (p *pty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen.String()
}

// typeAfter waits until the driver has written want, then types line.
func (p *pty) typeAfter(t *testing.T, want, line string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for !strings.Contains(p.output(), want) {
		select {
		case <-p.more:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Errorf("the terminal never showed %q; it showed %q", want, p.output())
			return
		}
	}
	io.WriteString(p.master, line)
}

func TestTerminalApprove(t *testing.T) {
	tests := []struct {
		typed   string
		wantOK  bool
		wantErr error
	}{
		{"y\n", true, nil},
		{"YES\n", true, nil},
		{"n\n", false, session.ErrDenied},
		{"\n", false, session.ErrDenied},
		{"yes please\n", false, session.ErrDenied},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(tt.typed), func(t *testing.T) {
			p := newPTY(t)
			go p.typeAfter(t, "[y/N]", tt.typed)
			req := sampleRequest()
			req.Secrets = []string{"A\x1b[2JB"}
			ok, err := (&Terminal{Path: p.path}).Approve(context.Background(), req)
			if ok != tt.wantOK || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Approve = %v, %v; want %v, %v", ok, err, tt.wantOK, tt.wantErr)
			}
			out := p.output()
			if !strings.Contains(out, `A\x1b[2JB`) || strings.Contains(out, "\x1b") {
				t.Errorf("escape sequence not neutralised: %q", out)
			}
		})
	}
}

func TestTerminalPasswordHidden(t *testing.T) {
	p := newPTY(t)
	go func() {
		p.typeAfter(t, "> ", "hunter2-secret\n")
	}()
	pw, err := (&Terminal{Path: p.path}).Password(context.Background(), session.PasswordPrompt{Vault: "/v.sxv"})
	if err != nil || string(pw) != "hunter2-secret" {
		t.Fatalf("Password = %q, %v", pw, err)
	}
	if strings.Contains(p.output(), "hunter2") {
		t.Errorf("the password was echoed: %q", p.output())
	}
	if !strings.Contains(p.output(), "/v.sxv") {
		t.Errorf("the prompt does not name the vault: %q", p.output())
	}
	assertEcho(t, p.path)
}

func TestTerminalNewPassword(t *testing.T) {
	p := newPTY(t)
	go func() {
		p.typeAfter(t, "Choose a new password", "one\n")
		p.typeAfter(t, "again", "one\n")
	}()
	pw, err := (&Terminal{Path: p.path}).Password(context.Background(), session.PasswordPrompt{Vault: "v", New: true})
	if err != nil || string(pw) != "one" {
		t.Fatalf("Password = %q, %v", pw, err)
	}
}

func TestTerminalEmptyCancels(t *testing.T) {
	p := newPTY(t)
	go p.typeAfter(t, "> ", "\n")
	if _, err := (&Terminal{Path: p.path}).SecretValue(context.Background(), sampleRequest()); !errors.Is(err, ErrCancelled) {
		t.Fatalf("SecretValue err = %v; want ErrCancelled", err)
	}
}

func TestTerminalContextEnd(t *testing.T) {
	p := newPTY(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := (&Terminal{Path: p.path}).Password(ctx, session.PasswordPrompt{Vault: "v"})
	if !errors.Is(err, session.ErrTimeout) {
		t.Fatalf("Password err = %v; want ErrTimeout", err)
	}
	assertEcho(t, p.path)

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	if ok, err := (&Terminal{Path: p.path}).Approve(ctx, sampleRequest()); ok || !errors.Is(err, session.ErrCanceled) {
		t.Fatalf("Approve = %v, %v; want false, ErrCanceled", ok, err)
	}
}

func TestTerminalMissing(t *testing.T) {
	term := &Terminal{Path: "/nonexistent/tty"}
	if ok, err := term.Approve(context.Background(), sampleRequest()); ok || !errors.Is(err, session.ErrNoApprover) {
		t.Fatalf("Approve = %v, %v; want false, ErrNoApprover", ok, err)
	}
}

// assertEcho checks that echo is on again on the terminal at path.
func assertEcho(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ECHO == 0 {
		t.Error("echo was left off")
	}
}

package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY returns a new pseudo-terminal: the master and the path of its
// slave.
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skip("no pseudo-terminals here:", err)
	}
	t.Cleanup(func() { m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	return m, fmt.Sprintf("/dev/pts/%d", n)
}

// startOnTerminal starts "sciorex-secrets run" as a terminal's session
// leader, as a login shell's job would be: it is in the terminal's
// foreground group, with the terminal as stdin, stdout and stderr.
func (w *world) startOnTerminal(t *testing.T, args ...string) (*exec.Cmd, *os.File, <-chan string) {
	t.Helper()
	master, slavePath := openPTY(t)
	slave, err := os.OpenFile(slavePath, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer slave.Close()
	cmd := exec.Command(binPath, append([]string{"run"}, args...)...)
	cmd.Env, cmd.Dir = w.env, w.dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		r := bufio.NewReader(master)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			lines <- line
		}
	}()
	return cmd, master, lines
}

// waitLine reads the terminal's lines until one contains want.
func waitLine(t *testing.T, lines <-chan string, want string) string {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the terminal closed before %q", want)
			}
			if strings.Contains(line, want) {
				return line
			}
		case <-deadline:
			t.Fatalf("no %q on the terminal", want)
		}
	}
}

// At a terminal, the command run with secrets owns it like a shell's job:
// it reads what is typed (rather than being stopped as a background job),
// and ^C typed there reaches it, whatever it started included.
func TestRunAtTerminal(t *testing.T) {
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI("tty-secret-value-5150\n", "set", "TOKEN", "--value-stdin")

	cmd, master, out := w.startOnTerminal(t, "--secret", "TOKEN", "--", "sh", "-c",
		`echo ready; read line; echo "read:$line:$TOKEN"`)
	waitLine(t, out, "ready")
	fmt.Fprintf(master, "typed-line\n")
	if line := waitLine(t, out, "read:"); !strings.Contains(line, "read:typed-line:[masked:TOKEN]") {
		t.Fatalf("the command at the terminal printed %q", line)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("runner: %v", err)
	}

	cmd, master, out = w.startOnTerminal(t, "--secret", "TOKEN", "--", "sh", "-c",
		`trap "echo interrupted; exit 3" INT; echo ready; sleep 300`)
	waitLine(t, out, "ready")
	// ^C, again now and then: a shell that is just starting its "sleep"
	// may miss one, as it may at any terminal.
	stop := make(chan struct{})
	go func() {
		for {
			master.Write([]byte{3})
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}()
	waitLine(t, out, "interrupted")
	close(stop)
	if err := cmd.Wait(); exitCodeOf(err) != 3 {
		t.Fatalf("runner after ^C: %v, want the command's status 3", err)
	}

	// ^Z stops the command and the runner with it, so that the user's
	// shell gets its prompt back; continued (fg), both go on.
	cmd, master, out = w.startOnTerminal(t, "--secret", "TOKEN", "--", "sh", "-c",
		`echo ready; read line; echo "after:$line"`)
	waitLine(t, out, "ready")
	master.Write([]byte{26}) // ^Z
	waitFor(t, "the runner to stop", func() bool { return processState(cmd.Process.Pid) == 'T' })
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the runner to go on", func() bool { return processState(cmd.Process.Pid) != 'T' })
	fmt.Fprintf(master, "resumed\n")
	waitLine(t, out, "after:resumed")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("runner after ^Z and fg: %v", err)
	}
}

// processState is the state letter of /proc/PID/stat (R, S, T, Z, ...).
func processState(pid int) byte {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 || len(b) < i+3 {
		return 0
	}
	return b[i+2]
}

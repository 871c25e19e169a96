package session

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
)

// ErrNotOurProgram refuses a connection that asks for the command line's
// powers (metadata of "deny" secrets, values for the runner) from a program
// that is not this very sciorex-secrets: an AI agent with a shell must not
// get them by speaking the protocol itself.
var ErrNotOurProgram = errors.New("only the sciorex-secrets program that runs the agent may use the command-line methods")

// maxProgramSize bounds the executable a check reads.
const maxProgramSize = 512 << 20

// programCheck tells whether a process runs the same executable as this
// one, by the SHA-256 of the file's contents: a copy installed elsewhere
// passes, a rebuilt or other program does not. Results are cached by file.
type programCheck struct {
	once sync.Once
	self [sha256.Size]byte
	err  error

	mu    sync.Mutex
	known map[programKey]bool
}

type programKey struct {
	path    string
	size    int64
	modTime int64
}

// CheckCLI returns nil when p runs this program, else an error wrapping
// ErrNotOurProgram that names what runs there. It fails closed: a process
// whose executable cannot be read is refused.
func (a *Agent) CheckCLI(p Process) error {
	return a.program.check(p)
}

func (c *programCheck) check(p Process) error {
	c.once.Do(func() {
		exe, err := os.Executable()
		if err == nil {
			c.self, err = digestFile(exe)
		}
		c.err = err
	})
	if c.err != nil {
		return fmt.Errorf("%w: the agent cannot read its own executable: %v", ErrNotOurProgram, c.err)
	}
	path := programFile(p)
	if path == "" {
		return fmt.Errorf("%w: the executable of %s cannot be read", ErrNotOurProgram, p)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%w: the executable of %s cannot be read", ErrNotOurProgram, p)
	}
	key := programKey{path: p.Exe, size: fi.Size(), modTime: fi.ModTime().UnixNano()}
	c.mu.Lock()
	same, ok := c.known[key]
	c.mu.Unlock()
	if !ok {
		sum, err := digestFile(path)
		if err != nil {
			return fmt.Errorf("%w: the executable of %s cannot be read", ErrNotOurProgram, p)
		}
		same = sum == c.self
		c.mu.Lock()
		if c.known == nil {
			c.known = make(map[programKey]bool)
		}
		c.known[key] = same
		c.mu.Unlock()
	}
	if again := processInfo(p.PID); again.StartTime != p.StartTime || again.Exe != p.Exe {
		return fmt.Errorf("%w: process %d changed while it was checked", ErrNotOurProgram, p.PID)
	}
	if !same {
		return fmt.Errorf("%w: %s is another program or another build", ErrNotOurProgram, p)
	}
	return nil
}

// programFile is the file to read for p's executable: on Linux the
// kernel's handle on it, which still reads the program that runs even if
// its path was replaced since.
func programFile(p Process) string {
	if p.PID <= 0 || p.Exe == "" {
		return ""
	}
	if runtime.GOOS == "linux" {
		return "/proc/" + strconv.Itoa(p.PID) + "/exe"
	}
	return p.Exe
}

func digestFile(path string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, maxProgramSize+1))
	if err != nil {
		return sum, err
	}
	if n > maxProgramSize {
		return sum, fmt.Errorf("%s is larger than %d bytes", path, maxProgramSize)
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

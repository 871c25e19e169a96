package mcp

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var exec_LookPath = exec.LookPath

// clientEnv makes the test binary act as a tiny client: connect to the
// socket it names, send a ping, print the answer.
const clientEnv = "SCIOREX_MCP_TEST_CLIENT_SOCKET"

func TestMain(m *testing.M) {
	if path := os.Getenv(clientEnv); path != "" {
		nc, err := net.Dial("unix", path)
		if err != nil {
			fmt.Println("dial:", err)
			os.Exit(1)
		}
		_, _ = io.WriteString(nc, `{"jsonrpc":"2.0","id":1,"method":"ping"}`+"\n")
		line, _ := bufio.NewReader(nc).ReadString('\n')
		fmt.Print(line)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runAs runs a copy of the test binary as uid/gid 65534 to connect to
// socket, and returns what the agent answered.
func runAs(t *testing.T, setpriv, socket string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	dir, err := mkShortTemp(t)
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "client")
	data, err := os.ReadFile(self)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		return "", err
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin)
	cmd.Env = append(os.Environ(), clientEnv+"="+socket)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

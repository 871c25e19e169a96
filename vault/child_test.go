package vault

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// A test binary started with childEnv set runs putLoop instead of the tests:
// it opens the vault at $SCIOREX_VAULT_TEST_PATH, puts secrets named
// $SCIOREX_VAULT_TEST_PREFIX<i> for i < $SCIOREX_VAULT_TEST_COUNT (0: until
// killed) and prints each name once Put has returned nil.
const childEnv = "SCIOREX_VAULT_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "put" {
		os.Exit(putLoop())
	}
	os.Exit(m.Run())
}

func putLoop() int {
	v, err := Open(os.Getenv("SCIOREX_VAULT_TEST_PATH"))
	if err == nil {
		err = v.Unlock(testPassword)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	count, _ := strconv.Atoi(os.Getenv("SCIOREX_VAULT_TEST_COUNT"))
	out := bufio.NewWriter(os.Stdout)
	for i := 0; count == 0 || i < count; i++ {
		name := os.Getenv("SCIOREX_VAULT_TEST_PREFIX") + strconv.Itoa(i)
		if _, err := v.Put(Secret{Name: name}, []byte("value-"+name)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		fmt.Fprintln(out, name)
		out.Flush()
	}
	return 0
}

func childCommand(t *testing.T, path, prefix string, count int) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Skip("cannot find the test binary:", err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=put", "SCIOREX_VAULT_TEST_PATH="+path,
		"SCIOREX_VAULT_TEST_PREFIX="+prefix, "SCIOREX_VAULT_TEST_COUNT="+strconv.Itoa(count))
	cmd.Stderr = os.Stderr
	return cmd
}

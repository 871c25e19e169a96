// Command fillvault writes a sciorex-secrets vault holding n generated
// secrets, for bench/compare.sh. It is a benchmark fixture, not a tool for
// real secrets: the values are predictable.
//
// Usage: fillvault -n 1000 -out vault.sxv < password
//
// Secret i is named secret-%05d, in collection coll-(i%20), tagged ci and
// team-(i%7), with the value printed by Value(i). The vault is built on
// /dev/shm when that is writable (each Put is a durable rewrite, so filling
// is quadratic) and then copied to -out, which must not exist.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sciorex/sciorex-secrets/vault"
)

// valueOf is the value of secret i; compare.sh computes the same string.
func valueOf(i int) []byte {
	return fmt.Appendf(nil, "v%05d-0123456789abcdef0123456789abcdef", i)
}

func main() {
	n := flag.Int("n", 10, "number of secrets")
	out := flag.String("out", "", "vault file to write (must not exist)")
	kdfTime := flag.Uint("kdf-time", 1, "Argon2id passes")
	kdfMem := flag.Uint("kdf-memory-kib", 8, "Argon2id memory in KiB")
	flag.Parse()
	if err := fill(*out, *n, vault.KDFParams{Time: uint32(*kdfTime), MemoryKiB: uint32(*kdfMem), Threads: 1}); err != nil {
		fmt.Fprintln(os.Stderr, "fillvault:", err)
		os.Exit(1)
	}
}

func fill(out string, n int, kdf vault.KDFParams) error {
	if out == "" {
		return errors.New("-out is required")
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("give the password on stdin")
	}
	password := []byte(strings.TrimRight(line, "\r\n"))
	work, err := os.MkdirTemp("/dev/shm", "sx-fill-")
	if err != nil {
		work, err = os.MkdirTemp(filepath.Dir(out), ".sx-fill-")
		if err != nil {
			return err
		}
	}
	defer os.RemoveAll(work)
	tmp := filepath.Join(work, "vault.sxv")
	v, err := vault.Create(tmp, password, vault.Options{KDF: kdf})
	if err != nil {
		return err
	}
	for i := range n {
		s := vault.Secret{Name: fmt.Sprintf("secret-%05d", i), Collection: fmt.Sprintf("coll-%d", i%20),
			Tags: []string{"ci", fmt.Sprintf("team-%d", i%7)}, Description: "a benchmark secret"}
		if _, err := v.Put(s, valueOf(i)); err != nil {
			return fmt.Errorf("put secret %d: %w", i, err)
		}
	}
	v.Lock()
	data, err := os.ReadFile(tmp)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package mask

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchSecrets returns n secrets shaped like real ones: API tokens, cloud
// keys, passwords with symbols, connection strings.
func benchSecrets(n int) []Secret {
	rng := rand.New(rand.NewPCG(1, 2))
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	const symbols = alnum + "!@#$%^&*()-_=+[]{};:,.<>/?"
	randFrom := func(chars string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(chars[rng.IntN(len(chars))])
		}
		return b.String()
	}
	shapes := []func() string{
		func() string { return "ghp_" + randFrom(alnum, 36) },
		func() string { return "sk-" + randFrom(alnum, 48) },
		func() string { return "AKIA" + randFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) },
		func() string { return randFrom(alnum+"+/", 40) },
		func() string { return randFrom(symbols, 10+rng.IntN(10)) },
		func() string { return "postgres://app:" + randFrom(alnum, 16) + "@db.internal:5432/app" },
		func() string { return "xoxb-" + randFrom("0123456789", 12) + "-" + randFrom(alnum, 24) },
	}
	secrets := make([]Secret, n)
	for i := range secrets {
		secrets[i] = Secret{Name: fmt.Sprintf("SECRET_%d", i), Value: []byte(shapes[i%len(shapes)]())}
	}
	return secrets
}

// benchLog returns about size bytes of log output: timestamps, levels,
// paths, key=value pairs, hex request ids, base64 blobs, JSON, and a few
// secrets among them.
func benchLog(size int, secrets []Secret) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("the server request response handler user session cache miss hit " +
		"connection opened closed retry timeout error warning started finished build test " +
		"package module download upload commit deploy container image layer pull push")
	levels := []string{"INFO", "DEBUG", "WARN", "ERROR"}
	const hexDigits = "0123456789abcdef"
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var b strings.Builder
	for line := 0; b.Len() < size; line++ {
		fmt.Fprintf(&b, "2026-03-%02dT%02d:%02d:%02d.%03dZ %-5s ", 1+rng.IntN(28), rng.IntN(24), rng.IntN(60),
			rng.IntN(60), rng.IntN(1000), levels[rng.IntN(len(levels))])
		for range 3 + rng.IntN(8) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		switch rng.IntN(6) {
		case 0:
			fmt.Fprintf(&b, "GET /api/v1/users/%d?page=%d 200 %.3fms", rng.IntN(100000), rng.IntN(10), rng.Float64()*100)
		case 1:
			b.WriteString("request_id=")
			for range 32 {
				b.WriteByte(hexDigits[rng.IntN(16)])
			}
		case 2:
			b.WriteString("payload=")
			for range 20 + rng.IntN(60) {
				b.WriteByte(b64[rng.IntN(64)])
			}
		case 3:
			fmt.Fprintf(&b, `{"status":"ok","elapsed_ms":%d,"path":"/var/lib/app/data-%d.db"}`, rng.IntN(5000), rng.IntN(100))
		case 4:
			if line%200 == 0 {
				b.Write(secrets[rng.IntN(len(secrets))].Value)
			}
		}
		b.WriteByte('\n')
	}
	return []byte(b.String()[:size])
}

func BenchmarkMask(b *testing.B) {
	for _, n := range []int{20, 100} {
		secrets := benchSecrets(n)
		set, _ := Compile(secrets)
		text := benchLog(1<<20, secrets)
		b.Run(fmt.Sprintf("secrets=%d/patterns=%d", n, set.Patterns()), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				w := set.NewWriter(io.Discard)
				if _, err := w.Write(text); err != nil {
					b.Fatal(err)
				}
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	secrets := benchSecrets(20)
	for b.Loop() {
		Compile(secrets)
	}
}

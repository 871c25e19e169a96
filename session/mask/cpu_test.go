package mask

import (
	"io"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_THREAD, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestCPUThroughput(t *testing.T) {
	if os.Getenv("MASK_CPU") == "" {
		t.Skip()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, n := range []int{20, 100} {
		secrets := benchSecrets(n)
		set, _ := Compile(secrets)
		text := benchLog(1<<20, secrets)
		const reps = 300
		start := cpuTime()
		for range reps {
			w := set.NewWriter(io.Discard)
			w.Write(text)
			w.Flush()
		}
		d := cpuTime() - start
		t.Logf("n=%d: %.0f MB/s of CPU time", n, float64(reps*len(text))/d.Seconds()/1e6)
	}
}

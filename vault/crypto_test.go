package vault

import (
	"runtime"
	"testing"
)

// The KDF's 64 MiB must not stay behind as the heap's growth goal: after a
// derivation the next collection is due at the size of the live data, not
// at twice the KDF's working memory (an unlocked agent would hold 50 MB
// where 20 MB do).
func TestKDFMemoryIsReturned(t *testing.T) {
	p := DefaultKDF()
	p.Time, p.Threads = 1, 1
	deriveKEK([]byte("password"), make([]byte, 16), p)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if kdf := uint64(p.MemoryKiB) << 10; ms.NextGC >= kdf {
		t.Errorf("next GC at %d MiB after a %d MiB KDF: its memory set the heap goal", ms.NextGC>>20, kdf>>20)
	}
	if idle := ms.HeapIdle - ms.HeapReleased; idle >= uint64(p.MemoryKiB)<<10/2 {
		t.Errorf("%d MiB of idle heap kept from the OS after the KDF", idle>>20)
	}
}

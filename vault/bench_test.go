package vault

import (
	"fmt"
	"testing"
)

var benchSizes = []int{10, 1000, 10000}

// filledVault returns an unlocked vault with n secrets of 40-byte values,
// written in one durable write.
func filledVault(b *testing.B, n int) *Vault {
	b.Helper()
	v := newTestVault(b)
	value := []byte("0123456789012345678901234567890123456789")
	err := v.mutate(func(m *model, h *header) error {
		for i := range n {
			r, err := m.prepare(Secret{
				Name: fmt.Sprintf("secret-%05d", i), Collection: fmt.Sprintf("coll-%d", i%20),
				Tags: []string{"ci", fmt.Sprintf("team-%d", i%7)}, Description: "a benchmark secret",
			}, true)
			if err != nil {
				return err
			}
			r.sealed = seal(v.dataKey, value, valueAAD(h.id[:], r.id[:]))
			m.store(r)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkUnlockWithoutKDF: decrypting and decoding the metadata, as
// UnlockWithKey does (the Argon2id cost is excluded), right after a
// compaction and with the journal as long as it gets (the worst case:
// every entry replayed).
func BenchmarkUnlockWithoutKDF(b *testing.B) {
	for _, n := range benchSizes {
		for _, full := range []bool{false, true} {
			name := fmt.Sprint(n)
			if full {
				name += "/full-journal"
			}
			b.Run(name, func(b *testing.B) {
				v := filledVault(b, n)
				if full {
					fillJournal(b, v)
				}
				key, _ := v.SessionKey()
				for b.Loop() {
					v.Lock()
					if err := v.UnlockWithKey(key); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// fillJournal changes secrets of v until one more entry would compact it.
func fillJournal(b *testing.B, v *Vault) {
	b.Helper()
	for i := 0; ; i++ {
		entries := len(v.c.entries)
		if _, err := v.Put(Secret{Name: fmt.Sprintf("secret-%05d", i%v.Len())}, []byte("changed-value-0123456789")); err != nil {
			b.Fatal(err)
		}
		if len(v.c.entries) < entries {
			b.Fatal("compacted while filling the journal")
		}
		if compactAt(v.c.journalLen()+2*frameLen(v.c.entries[len(v.c.entries)-1]), len(v.c.body)) {
			b.ReportMetric(float64(len(v.c.entries)), "entries")
			return
		}
	}
}

// BenchmarkPut: one durable Put: mostly an appended journal entry and its
// fsync; now and then (once the journal passes a quarter of the body) a
// whole rewrite with fsync, rename and a directory fsync.
func BenchmarkPut(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			v := filledVault(b, n)
			value := []byte("new-value")
			i := 0
			for b.Loop() {
				i++
				if _, err := v.Put(Secret{Name: fmt.Sprintf("secret-%05d", i%n)}, value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkList: a search filter over every secret.
func BenchmarkList(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			v := filledVault(b, n)
			for b.Loop() {
				if _, err := v.List(Query{Search: "TEAM-3"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResolve(b *testing.B) {
	v := filledVault(b, 10000)
	for b.Loop() {
		if _, err := v.Resolve("secret-05000", "/src/app"); err != nil {
			b.Fatal(err)
		}
	}
}

package vault

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// assertIndexed fails unless m's indexes say what a fresh build from
// m.secrets says.
func assertIndexed(t *testing.T, m *model, after string) {
	t.Helper()
	fresh := &model{secrets: m.secrets}
	fresh.reindex()
	fresh.envIndex()
	for _, r := range m.secrets {
		if m.byID(r.id) != r {
			t.Fatalf("after %s: byID(%q) is not its record", after, r.name)
		}
		got, want := m.withEnv(r.env), fresh.withEnv(r.env)
		if r.env != "" && !sameRecords(got, want) {
			t.Fatalf("after %s: withEnv(%s) = %d records, want %d", after, r.env, len(got), len(want))
		}
	}
	for _, x := range []*index{m.base, m.delta} {
		for id := range x.byID {
			if m.byID(id) != fresh.byID(id) {
				t.Fatalf("after %s: the index holds a stale record for id %x", after, id)
			}
		}
	}
	for env := range m.base.byEnv {
		if got := m.withEnv(env); !sameRecords(got, fresh.withEnv(env)) {
			t.Fatalf("after %s: withEnv(%s) holds %d stale records", after, env, len(got))
		}
	}
}

func sameRecords(a, b []*record) bool {
	if len(a) != len(b) {
		return false
	}
	for _, r := range a {
		if !slices.Contains(b, r) {
			return false
		}
	}
	return true
}

// The indexes stay true through every kind of change, through writes that
// fail half-way (a clash found after a change), and through dry runs.
func TestIndexFollowsEveryChange(t *testing.T) {
	v := newTestVault(t)
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"api-key", "API_KEY", "api.key", "db_url", "DB-URL", "token", "Token", "1bad", "plain"}
	scopes := []string{"", "/p", "/p/sub", "/q"}
	for step := range 400 {
		name, scope := names[rng.IntN(len(names))], scopes[rng.IntN(len(scopes))]
		var op string
		switch rng.IntN(6) {
		case 0, 1:
			op = "put"
			_, _ = v.Put(Secret{Name: name, Scope: scope, Collection: fmt.Sprint("c", rng.IntN(3))}, []byte("value-123456"))
		case 2:
			op = "delete"
			_ = v.Delete(name, scope)
		case 3:
			op = "access"
			_ = v.SetAccess(name, scope, AccessReveal)
			_, _ = v.SetCollectionAccess("c1", AccessDeny)
		case 4:
			op = "touch"
			if list, _ := v.List(Query{}); len(list) > 0 {
				_ = v.Touch(map[string]time.Time{list[rng.IntN(len(list))].ID: time.Now()})
			}
		case 5:
			op = "import"
			b := &Backup{Secrets: []BackupSecret{
				{Secret: Secret{Name: name, Scope: scope}, Value: NewValue([]byte("imported-1"))},
				{Secret: Secret{Name: names[rng.IntN(len(names))]}, Value: NewValue([]byte("imported-2"))},
			}}
			policy := []Conflict{ConflictSkip, ConflictOverwrite, ConflictRename}[rng.IntN(3)]
			_, _ = v.Import(b, ImportOptions{OnConflict: policy, DryRun: rng.IntN(2) == 0})
		}
		v.mu.Lock()
		assertIndexed(t, v.m, fmt.Sprintf("step %d (%s %s %q)", step, op, name, scope))
		v.mu.Unlock()
	}
}

package tray

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var allFeatures = Features{Export: true, Import: true, ShowPending: true, Settings: true, AuditLog: true}

func manyCollections(n int) []session.CollectionInfo {
	cols := make([]session.CollectionInfo, n)
	for i := range cols {
		cols[i] = session.CollectionInfo{Name: fmt.Sprintf("c%02d", i), Access: "use", Secrets: 1}
	}
	return cols
}

// TestMenu compares the menu of each state with testdata/menu-<name>.golden.
func TestMenu(t *testing.T) {
	tests := []struct {
		name     string
		st       session.Status
		settings Settings
		features Features
	}{
		{"locked", session.Status{Locked: true}, Settings{AutoLockMinutes: 15}, allFeatures},
		{"locked-nothing-wired", session.Status{Locked: true}, Settings{}, Features{}},
		{"unlocked", session.Status{Secrets: 3, Collections: []session.CollectionInfo{
			{Name: "Work", Access: "use", Secrets: 2},
			{Name: "personal_mail", Access: "deny", Secrets: 1},
			{Name: "ci", Access: "reveal", Secrets: 0},
		}}, Settings{AutoLockMinutes: 60, RememberUnlock: true}, allFeatures},
		{"unlocked-one-secret-no-collections", session.Status{Secrets: 1}, Settings{AutoLockMinutes: 0}, allFeatures},
		{"pending", session.Status{Secrets: 2, Pending: 2, RateLimited: []string{"claude (pid 42)"}}, Settings{AutoLockMinutes: 5}, allFeatures},
		{"pending-locked-no-shower", session.Status{Locked: true, Pending: 1}, Settings{}, Features{Settings: true}},
		{"rate-limited", session.Status{Secrets: 2, RateLimited: []string{"evil\u202eagent\n(pid 7)", "b", "c"}}, Settings{AutoLockMinutes: 30}, allFeatures},
		{"unknown-access-level", session.Status{Secrets: 1, Collections: []session.CollectionInfo{
			{Name: "odd", Access: "everything", Secrets: 1},
			{Name: "", Access: "use", Secrets: -4},
		}}, Settings{}, allFeatures},
		{"too-many-collections", session.Status{Secrets: 40, Collections: manyCollections(MaxCollectionRows + 3)}, Settings{}, allFeatures},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(Menu(tt.st, tt.settings, tt.features))
			golden(t, filepath.Join("testdata", "menu-"+tt.name+".golden"), got)
		})
	}
}

// TestMenuSkeletonIsStable: the adapter builds the menu once, so every state
// must give the same top-level keys and the same Settings children.
func TestMenuSkeletonIsStable(t *testing.T) {
	skeleton := func(items []Item) string {
		var b strings.Builder
		for _, it := range items {
			b.WriteString(string(it.Key) + " ")
			if it.Key == KeySettings {
				for _, ch := range it.Children {
					b.WriteString(string(ch.Key) + " ")
				}
			}
		}
		return b.String()
	}
	want := skeleton(Menu(session.Status{Locked: true}, Settings{}, Features{}))
	for _, st := range []session.Status{
		{Secrets: 5, Pending: 3, Collections: manyCollections(50)},
		{Locked: true, RateLimited: []string{"x"}},
	} {
		if got := skeleton(Menu(st, Settings{AutoLockMinutes: 5, RememberUnlock: true}, allFeatures)); got != want {
			t.Errorf("skeleton changed:\n got %s\nwant %s", got, want)
		}
	}
}

// TestCollectionToggle: a checked row revokes to deny, an unchecked one
// grants use, never reveal.
func TestCollectionToggle(t *testing.T) {
	tests := []struct {
		access      string
		wantChecked bool
		wantEnabled bool
		wantLevel   string
	}{
		{"deny", false, true, "use"},
		{"use", true, true, "deny"},
		{"reveal", true, true, "deny"},
		{"", false, false, ""},
		{"USE", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.access, func(t *testing.T) {
			st := session.Status{Collections: []session.CollectionInfo{{Name: "w", Access: tt.access}}}
			row, ok := find(Menu(st, Settings{}, allFeatures), CollectionRowKey(0))
			if !ok {
				t.Fatal("no collection row")
			}
			if row.Checked != tt.wantChecked || row.Enabled != tt.wantEnabled || row.Action.Level != tt.wantLevel {
				t.Errorf("row = checked %v enabled %v level %q, want %v %v %q",
					row.Checked, row.Enabled, row.Action.Level, tt.wantChecked, tt.wantEnabled, tt.wantLevel)
			}
			if tt.wantEnabled && (row.Action.Kind != ActCollectionAccess || row.Action.Collection != "w") {
				t.Errorf("action = %+v", row.Action)
			}
		})
	}
}

// render draws a menu as text: one line per item, indented for submenus,
// "[x]"/"[ ]" for check items, "(off)" for disabled ones, then the action.
func render(items []Item) string {
	var b strings.Builder
	var walk func([]Item, string)
	walk = func(items []Item, indent string) {
		for _, it := range items {
			if it.Separator {
				fmt.Fprintf(&b, "%s----\n", indent)
				continue
			}
			box := ""
			if it.Checkable {
				box = "[ ] "
				if it.Checked {
					box = "[x] "
				}
			}
			off := ""
			if !it.Enabled {
				off = " (off)"
			}
			fmt.Fprintf(&b, "%s%s%s%s  {%s}%s  # %s\n", indent, box, it.Title, off, it.Key, describe(it.Action), it.Tooltip)
			walk(it.Children, indent+"    ")
		}
	}
	walk(items, "")
	return b.String()
}

func describe(a Action) string {
	switch a.Kind {
	case ActNone:
		return ""
	case ActCollectionAccess:
		return fmt.Sprintf(" -> access %q %s", a.Collection, a.Level)
	case ActAutoLock:
		return fmt.Sprintf(" -> auto-lock %d", a.Minutes)
	case ActRememberUnlock:
		return fmt.Sprintf(" -> remember %v", a.On)
	case ActQuit:
		return " -> quit"
	}
	return " -> " + actionName(a)
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tray -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

func BenchmarkMenu(b *testing.B) {
	st := session.Status{Secrets: 200, Pending: 1, Collections: manyCollections(MaxCollectionRows)}
	for b.Loop() {
		Menu(st, Settings{AutoLockMinutes: 15}, allFeatures)
	}
}

package tray

import (
	"fmt"

	"github.com/sciorex/sciorex-secrets/session"
)

// Key names a menu item for as long as the tray runs. Collection rows are
// named by their slot ("collection/0", ...), not by the collection.
type Key string

// The keys of the fixed menu items, in menu order.
const (
	KeyStatus          Key = "status"
	KeyLock            Key = "lock"
	KeyPending         Key = "pending"
	KeyCollections     Key = "collections"
	KeyCollectionsNote Key = "collections/note" // "No collections", "N more: ..."
	KeyExport          Key = "export"
	KeyImport          Key = "import"
	KeyAuditLog        Key = "audit-log"
	KeySettings        Key = "settings"
	KeyRemember        Key = "settings/remember"
	KeyQuit            Key = "quit"
)

// MaxCollectionRows is how many collection rows the Collections submenu
// has. With more collections, a note row says how many are not shown.
const MaxCollectionRows = 32

// AutoLockChoices are the auto-lock minutes the Settings submenu offers; 0
// means never.
var AutoLockChoices = []int{5, 15, 60, 0}

// Item is one menu entry as the model decides it.
type Item struct {
	Key       Key
	Title     string
	Tooltip   string
	Separator bool // a line; every other field is empty
	Enabled   bool
	Checkable bool
	Checked   bool
	Submenu   bool   // Children are shown in a submenu
	Children  []Item // only when Submenu
	Action    Action // what a click does when Enabled
}

// Features says which optional actions the agent wired into [Options].
type Features struct {
	Export, Import, ShowPending, Settings, AuditLog bool
}

// CollectionRowKey is the key of the i-th row of the Collections submenu.
func CollectionRowKey(i int) Key { return Key(fmt.Sprintf("collection/%d", i)) }

// AutoLockKey is the key of the auto-lock choice for minutes (0: never).
func AutoLockKey(minutes int) Key { return Key(fmt.Sprintf("settings/autolock/%d", minutes)) }

// Menu returns the tray menu for a status, top to bottom. The top-level
// items and the Settings children are the same for every input; only their
// labels, checks and enabled states change. The Collections submenu has one
// check row per collection, at most [MaxCollectionRows], then an optional
// note row ([KeyCollectionsNote]).
func Menu(st session.Status, s Settings, f Features) []Item {
	return []Item{
		{Key: KeyStatus, Title: statusLine(st)},
		separator("sep/1"),
		lockItem(st),
		pendingItem(st, f),
		separator("sep/2"),
		collectionsItem(st),
		{Key: KeyExport, Title: "Export vault…", Tooltip: needsUnlock(st, "Write an encrypted backup of every secret"),
			Enabled: f.Export && !st.Locked, Action: Action{Kind: ActExport}},
		{Key: KeyImport, Title: "Import…", Tooltip: needsUnlock(st, "Read secrets from a backup or a .env file"),
			Enabled: f.Import && !st.Locked, Action: Action{Kind: ActImport}},
		{Key: KeyAuditLog, Title: "Open audit log", Tooltip: "Show who used which secret, and when",
			Enabled: f.AuditLog, Action: Action{Kind: ActOpenAuditLog}},
		separator("sep/3"),
		settingsItem(s, f),
		separator("sep/4"),
		{Key: KeyQuit, Title: "Quit", Tooltip: "Lock the vault and stop the agent", Enabled: true, Action: Action{Kind: ActQuit}},
	}
}

func separator(k Key) Item { return Item{Key: k, Separator: true} }

func needsUnlock(st session.Status, tip string) string {
	if st.Locked {
		return "Unlock the vault first"
	}
	return tip
}

func lockItem(st session.Status) Item {
	if st.Locked {
		return Item{Key: KeyLock, Title: "Unlock…", Tooltip: "Type the master password to unlock the vault",
			Enabled: true, Action: Action{Kind: ActUnlock}}
	}
	return Item{Key: KeyLock, Title: "Lock", Tooltip: "Forget the key, end every grant, withdraw pending requests",
		Enabled: true, Action: Action{Kind: ActLock}}
}

func pendingItem(st session.Status, f Features) Item {
	return Item{Key: KeyPending, Title: fmt.Sprintf("Pending requests (%d)", max(st.Pending, 0)),
		Tooltip: "Show the request waiting for your answer",
		Enabled: st.Pending > 0 && f.ShowPending, Action: Action{Kind: ActShowPending}}
}

// collectionsItem: a row is checked when AI clients may use the collection
// (use or reveal); a click toggles between deny and use. A level the tray
// does not know is shown disabled, so a click can never widen access by
// accident.
func collectionsItem(st session.Status) Item {
	parent := Item{Key: KeyCollections, Title: "Collections", Submenu: true,
		Tooltip: needsUnlock(st, "AI access per collection: checked means AI clients may ask for its secrets"),
		Enabled: !st.Locked}
	cols := st.Collections
	if st.Locked || len(cols) == 0 {
		title := "No collections"
		if st.Locked {
			title = "Unlock to see collections"
		}
		parent.Children = []Item{{Key: KeyCollectionsNote, Title: title}}
		return parent
	}
	shown := cols
	if len(cols) > MaxCollectionRows {
		shown = cols[:MaxCollectionRows]
	}
	for i, c := range shown {
		parent.Children = append(parent.Children, collectionRow(i, c))
	}
	if len(shown) < len(cols) {
		parent.Children = append(parent.Children, Item{Key: KeyCollectionsNote,
			Title:   fmt.Sprintf("%d more: use \"sciorex-secrets access\"", len(cols)-len(shown)),
			Tooltip: "The menu shows the first collections only"})
	}
	return parent
}

func collectionRow(i int, c session.CollectionInfo) Item {
	name := untrusted(c.Name, maxLabelRunes)
	row := Item{Key: CollectionRowKey(i), Title: fmt.Sprintf("%s (%d)", name, max(c.Secrets, 0)), Checkable: true}
	switch c.Access {
	case "deny":
		row.Enabled = true
		row.Tooltip = "AI clients cannot see these secrets. Click to let them ask (use)"
		row.Action = Action{Kind: ActCollectionAccess, Collection: c.Name, Level: "use"}
	case "use", "reveal":
		row.Enabled, row.Checked = true, true
		row.Tooltip = "AI clients may ask to use these secrets. Click to hide them (deny)"
		if c.Access == "reveal" {
			row.Title += " · reveal"
			row.Tooltip = "AI clients may ask to read these values. Click to hide them (deny)"
		}
		row.Action = Action{Kind: ActCollectionAccess, Collection: c.Name, Level: "deny"}
	default:
		row.Title += " · unknown access"
		row.Tooltip = "Unknown access level: change it with \"sciorex-secrets access\""
	}
	return row
}

func settingsItem(s Settings, f Features) Item {
	parent := Item{Key: KeySettings, Title: "Settings", Submenu: true, Enabled: f.Settings}
	for _, m := range AutoLockChoices {
		title := fmt.Sprintf("Auto-lock after %d minutes", m)
		if m == 0 {
			title = "Never auto-lock"
		}
		parent.Children = append(parent.Children, Item{Key: AutoLockKey(m), Title: title,
			Tooltip: "Lock the vault when no secret was used for this long",
			Enabled: f.Settings, Checkable: true, Checked: s.AutoLockMinutes == m,
			Action: Action{Kind: ActAutoLock, Minutes: m}})
	}
	parent.Children = append(parent.Children, Item{Key: KeyRemember, Title: "Remember unlock in OS keyring",
		Tooltip: "Keep the session key in the OS keyring so the next start unlocks without asking",
		Enabled: f.Settings, Checkable: true, Checked: s.RememberUnlock,
		Action: Action{Kind: ActRememberUnlock, On: !s.RememberUnlock}})
	return parent
}

// statusLine is the disabled first line: what needs the human most comes
// first (a pending request, then a rate-limited agent, then the lock state).
func statusLine(st session.Status) string {
	switch {
	case st.Pending > 0:
		return plural(st.Pending, "request", "requests") + " pending"
	case len(st.RateLimited) > 0:
		return rateLimitedLine(st.RateLimited)
	case st.Locked:
		return "Locked"
	}
	return "Unlocked · " + plural(st.Secrets, "secret", "secrets")
}

func rateLimitedLine(agents []string) string {
	s := "agent " + untrusted(agents[0], maxLabelRunes)
	if len(agents) > 1 {
		s += fmt.Sprintf(" and %d more", len(agents)-1)
	}
	return s + " rate-limited"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", max(n, 0), many)
}

package tray

// ActionKind says what a menu click asks for.
type ActionKind int

// The actions a menu item can carry.
const (
	ActNone             ActionKind = iota // informational item: a click does nothing
	ActUnlock                             // ask for the master password
	ActLock                               // lock the vault now
	ActShowPending                        // bring the pending approval dialog forward
	ActCollectionAccess                   // set Action.Level on Action.Collection
	ActExport                             // run the export flow
	ActImport                             // run the import flow
	ActOpenAuditLog                       // open the audit log file
	ActAutoLock                           // set auto-lock to Action.Minutes (0: never)
	ActRememberUnlock                     // set "remember unlock" to Action.On
	ActQuit                               // stop the agent
)

// Action is what clicking one menu item does, decided by the model when the
// menu was drawn.
type Action struct {
	Kind       ActionKind
	Collection string // ActCollectionAccess
	Level      string // ActCollectionAccess: "deny" or "use"
	Minutes    int    // ActAutoLock
	On         bool   // ActRememberUnlock
}

// interactive reports whether the action may show a dialog and wait for the
// human; at most one such action runs at a time.
func (a Action) interactive() bool {
	switch a.Kind {
	case ActUnlock, ActShowPending, ActCollectionAccess, ActExport, ActImport, ActRememberUnlock:
		return true
	}
	return false
}

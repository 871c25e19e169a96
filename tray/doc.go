// Package tray is the menu-bar face of the sciorex-secrets agent.
//
// The package has two halves. [Menu] and [Look] are a pure model: given the
// agent's [session.Status] and the user's [Settings], they say which items
// the menu shows, in which order, with which labels, checks and actions, and
// which icon and tooltip the tray carries. [Run] is a thin adapter that shows
// that model with fyne.io/systray (DBus StatusNotifierItem on Linux) and
// turns clicks into calls on a [Backend], which *session.Agent satisfies.
//
// Call [Available] first: without a usable session bus there is no tray, and
// the agent runs headless. The tray holds no business logic and never sees a
// secret value: it shows names, counts and levels only.
package tray

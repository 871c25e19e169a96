// Package dialogs asks the human: it implements [session.UI] with native
// dialogs ([Zenity]), an askpass program ([Askpass]), the controlling
// terminal ([Terminal]) and a driver that refuses everything ([None]).
// [Auto] picks the first that can work in the agent's environment and
// [Describe] names it for the agent's startup line.
//
// Every string shown to the human comes from an untrusted agent or client,
// so each driver passes it through [Sanitize] first: control, bidirectional
// and zero-width characters are shown escaped and lengths are capped. No
// driver ever puts a secret value in argv or the environment of a helper
// process; typed answers travel back through a pipe or the terminal only.
//
// Errors follow the session contract: a denial or any failure is a deny.
// Approvals that the human refuses fail with [session.ErrDenied]; prompts
// the human cancels fail with [ErrCancelled]; a context deadline gives
// [session.ErrTimeout]; a cancelled context gives [session.ErrCanceled];
// no usable display, program or terminal gives [session.ErrNoApprover].
//
// This package imports [session] only.
package dialogs

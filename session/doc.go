// Package session is the policy core of sciorex-secrets.
//
// An [Agent] owns the vault, the audit trail and the approval queue of one
// running agent process. Every connection to the agent (an MCP client through
// the stdio bridge, or a CLI command) is a [Session] with an [Identity] that
// the kernel vouched for. A session decides what its peer may see, asks the
// human through an [Approver] before every use of a secret, hands out
// single-use grants that die with the session, and runs commands with secrets
// injected into the child's environment and masked in its output.
//
// The user-interface side implements the interfaces defined here
// ([Approver], [Prompter], [Notifier]); package dialogs provides them.
// Packages mcp and tray talk to this package only, never to the vault.
package session

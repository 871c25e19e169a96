package session

import (
	"time"
)

// Status is the agent's state as the tray and "sciorex-secrets status" show it.
type Status struct {
	Locked      bool             `json:"locked"`
	Secrets     int              `json:"secrets"`      // number of secrets, 0 while locked
	Pending     int              `json:"pending"`      // requests waiting for the human
	RateLimited []string         `json:"rate_limited"` // agents in a cool-down, as "claimed (verified)"
	Vault       string           `json:"vault"`        // vault file path
	Collections []CollectionInfo `json:"collections,omitempty"`
}

// CollectionInfo is a collection as the tray and CLI show it.
type CollectionInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Access      string   `json:"access"` // default level for new secrets: deny, use, reveal
	Secrets     int      `json:"secrets"`
}

// SecretInfo is the metadata of one secret. It never holds the value.
type SecretInfo struct {
	Name         string     `json:"name"`
	EnvName      string     `json:"env"`
	Collection   string     `json:"collection"`
	Tags         []string   `json:"tags"`
	Description  string     `json:"description,omitempty"`
	Scope        string     `json:"scope"`              // "global" or a project directory
	Access       string     `json:"access"`             // deny, use, reveal
	Shadowed     bool       `json:"shadowed,omitempty"` // a project secret of the same name wins in this session
	Created      time.Time  `json:"created,omitzero"`
	Updated      time.Time  `json:"updated,omitzero"`
	LastAccessed *time.Time `json:"last_accessed"`
}

// ListRequest filters a listing. Empty fields match everything.
type ListRequest struct {
	Collection string `json:"collection,omitempty"` // exact collection name, case-insensitive
	Search     string `json:"search,omitempty"`     // case-insensitive substring of name, description, tags or collection
}

// GetResult answers an approved get.
type GetResult struct {
	Name    string    // secret name
	EnvName string    // environment variable the runner sets
	Ref     string    // "$ENV_NAME": what the model writes in a command
	Access  string    // "use" or "reveal"
	Value   *Value    // only for reveal secrets; the caller wipes it
	Expires time.Time // when the single-use grant dies if unused (use secrets)
}

// SetRequest stores or replaces a secret.
type SetRequest struct {
	Name        string   `json:"name"`
	Collection  string   `json:"collection,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Description string   `json:"description,omitempty"`
	Scope       string   `json:"scope,omitempty"`  // "global", a project directory, or "" for the session's default
	Access      string   `json:"access,omitempty"` // "" for the collection's default
	// Value, when non-nil, is the value (from the CLI's --value-stdin). When
	// nil, the human types it into a dialog. Set wipes it.
	Value []byte `json:"-"`
}

// AccessRequest changes the AI access level of one secret or a whole collection.
type AccessRequest struct {
	Level      string `json:"level"` // deny, use, reveal
	Name       string `json:"name,omitempty"`
	Scope      string `json:"scope,omitempty"`
	Collection string `json:"collection,omitempty"`
}

// RunRequest runs a command for an MCP client, inside the agent.
type RunRequest struct {
	Command string        // run with /bin/sh -c
	Secrets []string      // names to inject; "" entries ignored. When empty, the $NAME references in Command are used.
	Cwd     string        // working directory; "" for the session's project or the agent's directory
	Timeout time.Duration // 0 for the default (2 minutes); capped at 10 minutes
}

// RunResult is what a command run for an MCP client returned, masked.
type RunResult struct {
	ExitCode  int      `json:"exit_code"`
	Stdout    string   `json:"stdout"`
	Stderr    string   `json:"stderr"`
	Masked    int      `json:"masked"`              // how many secret occurrences were replaced
	Truncated bool     `json:"truncated,omitempty"` // output was cut at the cap
	TimedOut  bool     `json:"timed_out,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
}

// EnvSecret is a secret released for one run: the variable name and value.
type EnvSecret struct {
	Name    string
	EnvName string
	Value   *Value
}

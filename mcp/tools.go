package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	mcplib "github.com/mark3labs/mcp-go/mcp"

	"github.com/sciorex/sciorex-secrets/session"
)

// The five MCP tools. Their names, parameters and annotations are a contract
// (DESIGN.md, DEVELOPERS.md): change them only together with the docs.
var toolSpecs = []toolSpec{
	{
		name:  "sciorex_list_secrets",
		title: "List secrets",
		desc: "List the secrets stored in the sciorex-secrets vault: name, environment variable, collection, tags, " +
			"scope (global or a project directory), access level and when each was last used. Values are never shown. " +
			"To use a secret, call sciorex_get_secret, then reference it as $ENV in the command of sciorex_run.",
		params: []toolParam{
			{name: "collection", typ: typeString, desc: "only secrets in this collection (case-insensitive)"},
			{name: "search", typ: typeString, desc: "only secrets whose name, description, tags or collection contain this text"},
		},
		readOnly: true, destructive: false, idempotent: true, openWorld: false,
		handle: listSecrets,
	},
	{
		name:  "sciorex_get_secret",
		title: "Request a secret",
		desc: "Ask the user for permission to use one secret. The user approves or denies in a dialog. " +
			"For most secrets the value is never shown: on approval you receive a single-use grant and the reference " +
			"$ENV to write in the command of sciorex_run, which injects the value into that command's environment. " +
			"Only secrets the user marked 'reveal' return the value itself.",
		params: []toolParam{
			{name: "key", typ: typeString, required: true, desc: "the secret's name, as sciorex_list_secrets shows it"},
		},
		readOnly: false, destructive: false, idempotent: false, openWorld: false,
		handle: getSecret,
	},
	{
		name:  "sciorex_set_secret",
		title: "Store a secret",
		desc: "Ask the user to store a secret under this name. The user types the value into a dialog: never put a " +
			"value in this call. Replaces an existing secret of the same name if the user confirms.",
		params: []toolParam{
			{name: "key", typ: typeString, required: true, desc: "the secret's name, e.g. GITHUB_TOKEN"},
			{name: "collection", typ: typeString, desc: "collection to file it under, e.g. GitHub"},
			{name: "tags", typ: typeStringArray, desc: "tags for searching"},
		},
		readOnly: false, destructive: true, idempotent: false, openWorld: false,
		handle: setSecret,
	},
	{
		name:  "sciorex_delete_secret",
		title: "Delete a secret",
		desc:  "Ask the user to delete a secret. The user confirms in a dialog.",
		params: []toolParam{
			{name: "key", typ: typeString, required: true, desc: "the secret's name"},
		},
		readOnly: false, destructive: true, idempotent: false, openWorld: false,
		handle: deleteSecret,
	},
	{
		name:  "sciorex_run",
		title: "Run a command with secrets",
		desc: "Run a shell command (/bin/sh -c) with secrets injected as environment variables; reference them as " +
			"$ENV in the command, e.g. curl -H \"Authorization: Bearer $GITHUB_TOKEN\" https://api.github.com/user. " +
			"A secret without a grant from sciorex_get_secret makes the user approve this command. Returns exit_code, " +
			"stdout, stderr with every secret value replaced by [masked:NAME], and how many were masked.",
		params: []toolParam{
			{name: "command", typ: typeString, required: true, desc: "the shell command; write secrets as $ENV, never as values"},
			{name: "secrets", typ: typeStringArray, desc: "secret names to inject; when omitted, the $ENV references in the command are used"},
			{name: "cwd", typ: typeString, desc: "working directory; defaults to the project directory"},
			{name: "timeout_seconds", typ: typeNumber, desc: "stop the command after this many seconds (default 120, at most 600)"},
		},
		readOnly: false, destructive: true, idempotent: false, openWorld: true,
		handle: runCommand,
	},
}

// refusal is the tool result for an error: words a model can act on.
func refusal(err error) *mcplib.CallToolResult {
	text := err.Error()
	if h := session.Hint(err); h != "" {
		text += " (" + h + ")"
	}
	return mcplib.NewToolResultError(text)
}

// listEntry is one secret as sciorex_list_secrets shows it.
type listEntry struct {
	Name         string     `json:"name"`
	Env          string     `json:"env"`
	Collection   string     `json:"collection"`
	Tags         []string   `json:"tags"`
	Scope        string     `json:"scope"`
	Access       string     `json:"access"`
	LastAccessed *time.Time `json:"last_accessed"`
	Description  string     `json:"description,omitempty"`
}

func listSecrets(ctx context.Context, c *conn, args map[string]any) *mcplib.CallToolResult {
	infos, err := c.sess.List(ctx, session.ListRequest{
		Collection: stringArg(args, "collection"),
		Search:     stringArg(args, "search"),
	})
	if err != nil {
		return refusal(err)
	}
	entries := make([]listEntry, 0, len(infos))
	for _, in := range infos {
		tags := in.Tags
		if tags == nil {
			tags = []string{}
		}
		entries = append(entries, listEntry{Name: in.Name, Env: in.EnvName, Collection: in.Collection, Tags: tags,
			Scope: in.Scope, Access: in.Access, LastAccessed: in.LastAccessed, Description: in.Description})
	}
	text, err := json.Marshal(entries)
	if err != nil {
		return refusal(err)
	}
	return mcplib.NewToolResultStructured(map[string]any{"secrets": entries}, string(text))
}

func getSecret(ctx context.Context, c *conn, args map[string]any) *mcplib.CallToolResult {
	res, err := c.sess.Get(ctx, stringArg(args, "key"))
	if err != nil {
		return refusal(err)
	}
	if res.Access == "reveal" && res.Value != nil {
		return mcplib.NewToolResultText(requestFromContext(ctx).reveal(res.Value))
	}
	res.Value.Wipe() // a use grant never carries a value; be safe if one came anyway
	ref := res.Ref
	if ref == "" {
		ref = "$" + res.EnvName
	}
	text := fmt.Sprintf("Approved: %s is granted for one sciorex_run call. Write %s in the command of sciorex_run; "+
		"the runner injects the value into that command's environment and masks it in the output. "+
		"The value is never shown to you.", res.Name, ref)
	if !res.Expires.IsZero() {
		text += " The grant expires at " + res.Expires.UTC().Format(time.RFC3339) + " if unused."
	}
	return mcplib.NewToolResultText(text)
}

func setSecret(ctx context.Context, c *conn, args map[string]any) *mcplib.CallToolResult {
	name := stringArg(args, "key")
	err := c.sess.Set(ctx, session.SetRequest{Name: name, Collection: stringArg(args, "collection"), Tags: stringsArg(args, "tags")})
	if err != nil {
		return refusal(err)
	}
	return mcplib.NewToolResultText(fmt.Sprintf("Stored %s: the user typed the value. To use it, reference its environment variable "+
		"(shown by sciorex_list_secrets) in a sciorex_run command.", name))
}

func deleteSecret(ctx context.Context, c *conn, args map[string]any) *mcplib.CallToolResult {
	name := stringArg(args, "key")
	if err := c.sess.Delete(ctx, name, ""); err != nil {
		return refusal(err)
	}
	return mcplib.NewToolResultText("Deleted " + name + ".")
}

// runOutput is the sciorex_run result; every field is always present.
type runOutput struct {
	ExitCode  int      `json:"exit_code"`
	Stdout    string   `json:"stdout"`
	Stderr    string   `json:"stderr"`
	Masked    int      `json:"masked"`
	Truncated bool     `json:"truncated"`
	TimedOut  bool     `json:"timed_out"`
	Warnings  []string `json:"warnings"`
}

func runCommand(ctx context.Context, c *conn, args map[string]any) *mcplib.CallToolResult {
	req := session.RunRequest{Command: stringArg(args, "command"), Secrets: stringsArg(args, "secrets"), Cwd: stringArg(args, "cwd")}
	if t, ok := args["timeout_seconds"].(float64); ok && t > 0 {
		req.Timeout = time.Duration(min(t, 24*3600) * float64(time.Second))
	}
	res, err := c.sess.Run(ctx, req)
	if err != nil {
		return refusal(err)
	}
	out := runOutput{ExitCode: res.ExitCode, Stdout: res.Stdout, Stderr: res.Stderr, Masked: res.Masked,
		Truncated: res.Truncated, TimedOut: res.TimedOut, Warnings: res.Warnings}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	text, err := json.Marshal(out)
	if err != nil {
		return refusal(err)
	}
	return mcplib.NewToolResultStructured(out, string(text))
}

func stringArg(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

func stringsArg(args map[string]any, name string) []string {
	list, _ := args[name].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sciorex/sciorex-secrets/mcp"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/session/mask"
)

// dial connects to the running agent as a CLI session for project.
func dial(ctx context.Context, project string) (*mcp.Client, error) {
	if project == "" {
		project, _ = os.Getwd()
	}
	return mcp.Dial(ctx, mcp.DefaultSocketPath(), project)
}

// call runs one control method on the agent.
func call(ctx context.Context, project, method string, params, result any) error {
	c, err := dial(ctx, project)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Call(ctx, method, params, result)
}

func runStatus(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("status")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, _, err := parse(fs, args); err != nil {
		return err
	}
	var st session.Status
	if err := call(ctx, "", "sciorex/status", nil, &st); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, st)
	}
	state := "unlocked"
	if st.Locked {
		state = "locked"
	}
	fmt.Fprintf(env.Stdout, "agent running, vault %s (%s)\n", state, st.Vault)
	if !st.Locked {
		fmt.Fprintf(env.Stdout, "%d secrets, %d requests pending\n", st.Secrets, st.Pending)
	}
	for _, who := range st.RateLimited {
		fmt.Fprintf(env.Stdout, "rate-limited: %s\n", who)
	}
	return nil
}

func runLock(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return usagef("lock takes no arguments")
	}
	if err := call(ctx, "", "sciorex/lock", nil, nil); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "vault locked")
	return nil
}

func runUnlock(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("unlock")
	pwStdin := fs.Bool("password-stdin", false, "read the master password from stdin")
	if _, _, err := parse(fs, args); err != nil {
		return err
	}
	params := map[string]string{}
	if *pwStdin {
		pw, err := readSecretLine(env.Stdin, "master password")
		if err != nil {
			return err
		}
		params["password"] = string(pw)
		clear(pw)
	}
	if err := call(ctx, "", "sciorex/unlock", params, nil); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "vault unlocked")
	return nil
}

func runList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("list")
	var r session.ListRequest
	fs.StringVar(&r.Collection, "collection", "", "only this collection")
	fs.StringVar(&r.Search, "search", "", "only secrets whose name, description, tags or collection contain this")
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("list takes no arguments (did you mean --search %s?)", pos[0])
	}
	params := struct {
		session.ListRequest
		Brief bool `json:"brief,omitempty"`
	}{r, !*asJSON}
	var list []session.SecretInfo
	if err := call(ctx, "", "sciorex/list", params, &list); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, list)
	}
	t := table{header: []string{"NAME", "COLLECTION", "TAGS", "SCOPE", "ACCESS", "LAST USED"}}
	t.rows = make([][]string, 0, len(list))
	for _, s := range list {
		last := "never"
		if s.LastAccessed != nil {
			last = s.LastAccessed.Local().Format("2006-01-02 15:04")
		}
		t.add(s.Name, s.Collection, strings.Join(s.Tags, ","), s.Scope, s.Access, last)
	}
	return t.write(env.Stdout)
}

// scopeFlags adds --project and --global, and returns the chosen scope:
// "" (resolve), "global", or an absolute directory.
func scopeFlags(fs interface {
	String(string, string, string) *string
	Bool(string, bool, string) *bool
}) func() (string, error) {
	project := fs.String("project", "", "a project directory: the secret applies there only")
	global := fs.Bool("global", false, "the secret applies everywhere")
	return func() (string, error) {
		switch {
		case *project != "" && *global:
			return "", usagef("--project and --global exclude each other")
		case *global:
			return "global", nil
		case *project != "":
			return filepath.Abs(*project)
		}
		return "", nil
	}
}

func runSet(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("set")
	var r session.SetRequest
	var tags listFlag
	fs.StringVar(&r.Collection, "collection", "", "collection (created if new)")
	fs.Var(&tags, "tag", "a tag (repeatable)")
	fs.StringVar(&r.Description, "description", "", "what the secret is for")
	fs.StringVar(&r.Access, "access", "", "AI access level: deny, use, reveal (default: the collection's)")
	valueStdin := fs.Bool("value-stdin", false, "read the value from stdin instead of a dialog")
	scope := scopeFlags(fs)
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("set needs exactly one NAME (the value is never taken from the command line)")
	}
	r.Name, r.Tags = pos[0], tags
	if r.Scope, err = scope(); err != nil {
		return err
	}
	params := struct {
		session.SetRequest
		Value string `json:"value,omitempty"`
	}{SetRequest: r}
	short := false
	if *valueStdin {
		val, err := readValue(env.Stdin, session.MaxValueSize)
		if err != nil {
			return err
		}
		short = len(val) > 0 && !mask.Maskable(val)
		params.Value = base64.StdEncoding.EncodeToString(val)
		clear(val)
	}
	if err := call(ctx, "", "sciorex/set", params, nil); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "stored %s\n", r.Name)
	if short {
		fmt.Fprintf(env.Stderr, "sciorex-secrets: warning: the value of %s is shorter than %d bytes, so it cannot be masked in command output\n", r.Name, mask.MinLen)
	}
	return nil
}

func runDelete(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("delete")
	scope := scopeFlags(fs)
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("delete needs exactly one NAME")
	}
	sc, err := scope()
	if err != nil {
		return err
	}
	if err := call(ctx, "", "sciorex/delete", map[string]string{"name": pos[0], "scope": sc}, nil); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "deleted %s\n", pos[0])
	return nil
}

func runAccess(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("access")
	var r session.AccessRequest
	fs.StringVar(&r.Collection, "collection", "", "change every secret of this collection")
	scope := scopeFlags(fs)
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 2 && r.Collection == "":
		r.Level, r.Name = pos[0], pos[1]
	case len(pos) == 1 && r.Collection != "":
		r.Level = pos[0]
	default:
		return usagef("access needs a level and either NAME or --collection C")
	}
	if r.Scope, err = scope(); err != nil {
		return err
	}
	var res struct {
		Changed int `json:"changed"`
	}
	if err := call(ctx, "", "sciorex/access", r, &res); err != nil {
		return err
	}
	if r.Collection == "" {
		fmt.Fprintf(env.Stdout, "%s: AI access %s\n", r.Name, r.Level)
	} else {
		fmt.Fprintf(env.Stdout, "collection %s: every secret's AI access is %s (%s changed)\n", r.Collection, r.Level, count(res.Changed, "secret"))
	}
	return nil
}

func writeJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

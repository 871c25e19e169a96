package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sciorex/sciorex-secrets/session"
)

// released is one secret as the agent hands it to "run".
type released struct {
	Name  string `json:"name"`
	Env   string `json:"env"`
	Value string `json:"value"` // base64
}

func runRun(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("run")
	var secrets listFlag
	fs.Var(&secrets, "secret", "a secret to put in the command's environment (repeatable)")
	project := fs.String("project", "", "project directory for project-scoped secrets (default: the current directory)")
	pos, argv, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || len(argv) == 0 {
		return usagef("run needs the command after --, as in: sciorex-secrets run --secret NAME -- CMD [ARGS...]")
	}
	if len(secrets) == 0 {
		return usagef("run needs at least one --secret NAME")
	}
	command := quoteArgv(argv)
	// One connection for the whole run: while it is open the agent knows
	// the runner lives; if it closes before the run's end is reported (the
	// runner was killed), the agent kills the child's process group.
	c, err := dial(ctx, *project)
	if err != nil {
		return err
	}
	defer c.Close()
	var rel []released
	if err := c.Call(ctx, "sciorex/release", map[string]any{"names": []string(secrets), "command": command}, &rel); err != nil {
		return err
	}
	envSecrets, err := decodeReleased(rel)
	defer func() {
		for _, s := range envSecrets {
			s.Value.Wipe()
		}
	}()
	if err != nil {
		return err
	}
	pid := 0
	res, err := session.RunChild(context.WithoutCancel(ctx), session.Child{
		Argv: argv, Secrets: envSecrets, Foreground: true,
		Stdin: os.Stdin, Stdout: env.Stdout, Stderr: env.Stderr,
		Started: func(p int, mark string) {
			pid = p
			if err := c.Call(context.WithoutCancel(ctx), "sciorex/watch", map[string]any{"pid": p, "run": mark}, nil); err != nil {
				fmt.Fprintf(env.Stderr, "sciorex-secrets: warning: the agent cannot watch the command (%v): if this runner is killed, end the command yourself\n", err)
			}
		},
	})
	if err != nil {
		return err
	}
	report := map[string]any{"names": []string(secrets), "command": command, "exit_code": res.ExitCode, "masked": res.Masked, "pid": pid}
	if err := c.Call(context.WithoutCancel(ctx), "sciorex/run_end", report, nil); err != nil {
		fmt.Fprintf(env.Stderr, "sciorex-secrets: warning: could not record the end of the run in the audit trail: %v\n", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.Stderr, "sciorex-secrets: warning: %s\n", w)
	}
	if res.ExitCode != 0 {
		return childExit{res.ExitCode}
	}
	return nil
}

func decodeReleased(rel []released) ([]session.EnvSecret, error) {
	out := make([]session.EnvSecret, 0, len(rel))
	for i := range rel {
		b, err := base64.StdEncoding.DecodeString(rel[i].Value)
		rel[i].Value = ""
		if err != nil {
			return out, errors.New("the agent sent a malformed value")
		}
		out = append(out, session.EnvSecret{Name: rel[i].Name, EnvName: rel[i].Env, Value: session.NewValue(b)})
	}
	return out, nil
}

// quoteArgv renders argv as a shell would need it typed, for the approval
// dialog and the audit trail.
func quoteArgv(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.IndexFunc(a, needsQuote) < 0 {
			parts[i] = a
			continue
		}
		parts[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(parts, " ")
}

func needsQuote(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,@%+", r))
}

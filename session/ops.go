package session

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/session/mask"
	"github.com/sciorex/sciorex-secrets/vault"
)

// MaxValueSize is the largest secret value accepted.
const MaxValueSize = 1 << 20

func isErr(err, target error) bool { return errors.Is(err, target) }

func auditRequest(req Request, event, detail string) audit.Record {
	if detail == "" {
		detail = req.Detail
	}
	return audit.Record{Event: event, Request: req.ID, Secrets: req.Secrets, Command: req.Command, Detail: detail}
}

// vaultErr turns the vault's errors into this package's, keeping the text.
func vaultErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, vault.ErrLocked):
		return ErrLocked
	case errors.Is(err, vault.ErrNotFound):
		return fmt.Errorf("%w: %v", ErrNotFound, err)
	case errors.Is(err, vault.ErrInvalidName), errors.Is(err, vault.ErrEnvConflict), errors.Is(err, vault.ErrTooLarge):
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	case errors.Is(err, vault.ErrExists):
		return fmt.Errorf("%w: %v", ErrExists, err)
	}
	return err
}

// visible reports whether this session may know the secret exists:
// "deny" secrets are invisible to AI clients.
func (s *Session) visible(sec vault.Secret) bool {
	return s.opts.CLI || sec.Access != vault.AccessDeny
}

// lookup finds the secret a name means in this session's project.
func (s *Session) lookup(name string) (vault.Secret, error) {
	if s.agent.vault.Locked() {
		return vault.Secret{}, ErrLocked
	}
	if name == "" {
		return vault.Secret{}, fmt.Errorf("%w: the secret name is empty", ErrInvalid)
	}
	sec, err := s.agent.vault.Resolve(name, s.project())
	switch {
	case isErr(err, vault.ErrNotFound), err == nil && !s.visible(sec):
		return vault.Secret{}, notFound(name) // the same words: a deny secret is not told apart
	case err != nil:
		return vault.Secret{}, vaultErr(err)
	}
	return sec, nil
}

// notFound is the one answer for a secret that is absent or hidden.
func notFound(name string) error { return fmt.Errorf("%w: %q", ErrNotFound, name) }

// List returns the metadata of the secrets this session may see, filtered.
// It never returns a value and never asks the human.
func (s *Session) List(ctx context.Context, r ListRequest) ([]SecretInfo, error) {
	v := s.agent.vault
	if v.Locked() {
		return nil, ErrLocked
	}
	q := vault.Query{Collection: r.Collection, Search: r.Search, Project: s.project(), AllScopes: s.opts.CLI}
	list, err := v.List(q)
	if err != nil {
		return nil, vaultErr(err)
	}
	out := make([]SecretInfo, 0, len(list))
	for _, sec := range list {
		if !s.visible(sec) {
			continue
		}
		info := infoOf(sec)
		if t, ok := s.agent.lastAccessed(sec.ID); ok {
			info.LastAccessed = &t
		}
		out = append(out, info)
	}
	return out, nil
}

func infoOf(sec vault.Secret) SecretInfo {
	info := SecretInfo{
		Name:        sec.Name,
		EnvName:     sec.Env,
		Collection:  sec.Collection,
		Tags:        sec.Tags,
		Description: sec.Description,
		Scope:       sec.Scope,
		Access:      string(sec.Access),
		Created:     sec.Created,
		Updated:     sec.Updated,
		Shadowed:    sec.Shadowed,
	}
	if info.Tags == nil {
		info.Tags = []string{}
	}
	if !sec.LastAccessed.IsZero() {
		t := sec.LastAccessed
		info.LastAccessed = &t
	}
	return info
}

// Get asks the human to allow this session one use of a secret. Allowed, a
// "use" secret gives a single-use grant for the next Run and the reference
// $ENV_NAME; a "reveal" secret returns its value, which the caller wipes.
func (s *Session) Get(ctx context.Context, name string) (GetResult, error) {
	sec, err := s.lookup(name)
	if err != nil {
		return GetResult{}, err
	}
	env, err := vault.EnvName(sec.Name)
	if err != nil {
		return GetResult{}, vaultErr(err)
	}
	req := s.newRequest(KindGet, []string{sec.Name})
	req.Detail = describeGrant(sec, s.agent.cfg.GrantTTL)
	if err := s.ask(ctx, req, nil); err != nil {
		return GetResult{}, err
	}
	s.touch(sec)
	res := GetResult{Name: sec.Name, EnvName: env, Ref: "$" + env, Access: string(sec.Access)}
	if sec.Access == vault.AccessReveal {
		val, err := s.agent.vault.Reveal(sec.ID)
		if err != nil {
			return GetResult{}, vaultErr(err)
		}
		if err := s.record(audit.Record{Event: "release", Request: req.ID, Secrets: req.Secrets, Detail: "value revealed to the client"}); err != nil {
			val.Wipe()
			return GetResult{}, err
		}
		s.agent.noteRevealed(sec)
		res.Value = val
		return res, nil
	}
	res.Expires = s.grants.add(sec.ID, sec.Name, s.agent.cfg.GrantTTL)
	return res, nil
}

// describeGrant says what allowing a get gives the agent. A "use" grant is
// spent by a command the agent picks later, which no dialog shows: the
// human must know that before allowing.
func describeGrant(sec vault.Secret, ttl time.Duration) string {
	var d string
	switch sec.Access {
	case vault.AccessReveal:
		d = "access level reveal: allowing shows the value to the agent"
	default:
		d = fmt.Sprintf("access level %s: allowing lets the agent run one command of its choice with it "+
			"within %s, without asking you again or showing you that command", sec.Access, spell(ttl))
	}
	return d + scopeNote(sec)
}

// spell writes a duration for a dialog: "5 minutes", "90s".
func spell(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "1 minute"
	case d > time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.Round(time.Second).String()
}

func scopeNote(sec vault.Secret) string {
	if sec.Scope != vault.Global {
		return ", project " + sec.Scope
	}
	return ""
}

// Set stores or replaces a secret after the human allowed it. When
// r.Value is nil the human types the value into a dialog. Set wipes r.Value.
func (s *Session) Set(ctx context.Context, r SetRequest) error {
	defer clear(r.Value)
	if err := vault.ValidateName(r.Name); err != nil {
		return vaultErr(err)
	}
	if _, err := vault.EnvName(r.Name); err != nil {
		return vaultErr(err)
	}
	if len(r.Value) > MaxValueSize {
		return fmt.Errorf("%w: the value of %q is larger than %d bytes", ErrInvalid, r.Name, MaxValueSize)
	}
	if s.agent.vault.Locked() {
		return ErrLocked
	}
	scope := r.Scope
	if scope == "" {
		scope = vault.Global
	}
	var access vault.Access
	if r.Access != "" {
		a, err := vault.ParseAccess(r.Access)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		access = a
	}
	req := s.newRequest(KindSet, []string{r.Name})
	old, err := s.agent.vault.Find(r.Name, scope)
	if err != nil && !isErr(err, vault.ErrNotFound) {
		return vaultErr(err)
	}
	exists := err == nil
	if exists { // storing a new value keeps what the request leaves out
		r.Collection = cmp.Or(r.Collection, old.Collection)
		r.Description = cmp.Or(r.Description, old.Description)
		if len(r.Tags) == 0 {
			r.Tags = old.Tags
		}
	}
	req.Detail = describeSet(r, scope, exists, old.Access)

	value := r.Value
	var then func(context.Context) error
	if value == nil {
		then = func(dctx context.Context) error {
			v, err := s.agent.ui.SecretValue(dctx, req)
			value = v
			return err
		}
	}
	defer func() { clear(value) }()
	if err := s.ask(ctx, req, then); err != nil {
		return err
	}
	if len(value) == 0 {
		return fmt.Errorf("%w: the value of %q is empty", ErrInvalid, r.Name)
	}
	if bytes.IndexByte(value, 0) >= 0 {
		return fmt.Errorf("%w: the value of %q holds a NUL byte, which no environment variable can carry", ErrInvalid, r.Name)
	}
	if len(value) > MaxValueSize {
		return fmt.Errorf("%w: the value of %q is larger than %d bytes", ErrInvalid, r.Name, MaxValueSize)
	}
	_, err = s.agent.vault.Put(vault.Secret{
		Name: r.Name, Collection: r.Collection, Tags: r.Tags, Description: r.Description,
		Scope: scope, Access: access,
	}, value)
	if err != nil {
		return vaultErr(err)
	}
	s.agent.changed()
	detail := ""
	if !mask.Maskable(value) {
		detail = fmt.Sprintf("value shorter than %d bytes: it cannot be masked in output", mask.MinLen)
		s.agent.ui.Notify("sciorex-secrets", fmt.Sprintf("The value of %s is shorter than %d bytes (not counting spaces at its ends), so it cannot be masked in command output.", r.Name, mask.MinLen))
	}
	return s.record(audit.Record{Event: "set", Request: req.ID, Secrets: req.Secrets, Detail: detail})
}

// describeSet says what storing r does, for the human only: a secret that
// is hidden from AI clients is named as such here, never in an answer.
func describeSet(r SetRequest, scope string, exists bool, level vault.Access) string {
	var b strings.Builder
	switch {
	case exists && level == vault.AccessDeny:
		b.WriteString("replaces the value of a secret hidden from AI clients (access deny); it stays deny")
	case exists:
		fmt.Fprintf(&b, "replaces the existing value (access %s, unchanged)", level)
	default:
		b.WriteString("new secret")
	}
	col := r.Collection
	if col == "" {
		col = "default"
	}
	fmt.Fprintf(&b, ", collection %s", col)
	if scope != vault.Global {
		fmt.Fprintf(&b, ", project %s", scope)
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(&b, ", tags %s", strings.Join(r.Tags, ","))
	}
	return b.String()
}

// Delete removes a secret after the human allowed it. scope "" means the
// secret the name resolves to in this session's project.
func (s *Session) Delete(ctx context.Context, name, scope string) error {
	var sec vault.Secret
	var err error
	if scope == "" {
		sec, err = s.lookup(name)
	} else {
		sec, err = s.exact(name, scope)
	}
	if err != nil {
		return err
	}
	req := s.newRequest(KindDelete, []string{sec.Name})
	req.Detail = "the secret and its value are removed for good, collection " + sec.Collection + scopeNote(sec)
	if err := s.ask(ctx, req, nil); err != nil {
		return err
	}
	if err := s.agent.vault.Delete(sec.Name, sec.Scope); err != nil {
		return vaultErr(err)
	}
	s.grants.release(sec.ID, "secret deleted")
	s.agent.changed()
	return s.record(audit.Record{Event: "delete", Request: req.ID, Secrets: req.Secrets, Detail: "scope " + sec.Scope})
}

func (s *Session) exact(name, scope string) (vault.Secret, error) {
	if s.agent.vault.Locked() {
		return vault.Secret{}, ErrLocked
	}
	sec, err := s.agent.vault.Find(name, scope)
	switch {
	case isErr(err, vault.ErrNotFound), err == nil && !s.visible(sec):
		return vault.Secret{}, fmt.Errorf("%w: %q in scope %s", ErrNotFound, name, scope)
	case err != nil:
		return vault.Secret{}, vaultErr(err)
	}
	return sec, nil
}

// SetAccess changes the AI access level of one secret or a whole
// collection, after the human allowed it. Only CLI sessions may ask.
func (s *Session) SetAccess(ctx context.Context, r AccessRequest) (int, error) {
	if !s.opts.CLI {
		return 0, fmt.Errorf("%w: access levels are changed by the user, not by AI clients", ErrInvalid)
	}
	level, err := vault.ParseAccess(r.Level)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if s.agent.vault.Locked() {
		return 0, ErrLocked
	}
	if r.Collection != "" {
		return s.agent.changeCollection(ctx, s, r.Collection, level)
	}
	sec, err := s.exactOrResolve(r.Name, r.Scope)
	if err != nil {
		return 0, err
	}
	req := s.newRequest(KindAccess, []string{sec.Name})
	req.Detail = fmt.Sprintf("change AI access from %s to %s", sec.Access, level)
	if err := s.ask(ctx, req, nil); err != nil {
		return 0, err
	}
	if err := s.agent.vault.SetAccess(sec.Name, sec.Scope, level); err != nil {
		return 0, vaultErr(err)
	}
	s.agent.changed()
	return 1, s.record(audit.Record{Event: "access_change", Request: req.ID, Secrets: req.Secrets, Detail: req.Detail})
}

func (s *Session) exactOrResolve(name, scope string) (vault.Secret, error) {
	if scope == "" {
		return s.lookup(name)
	}
	return s.exact(name, scope)
}

func (a *Agent) changeCollection(ctx context.Context, s *Session, collection string, level vault.Access) (int, error) {
	req := s.newRequest(KindAccess, nil)
	req.Detail = fmt.Sprintf("set AI access of every secret in collection %s to %s", collection, level)
	if err := s.ask(ctx, req, nil); err != nil {
		return 0, err
	}
	n, err := a.vault.SetCollectionAccess(collection, level)
	if err != nil {
		return 0, vaultErr(err)
	}
	a.changed()
	return n, s.record(audit.Record{Event: "access_change", Request: req.ID, Detail: fmt.Sprintf("collection %s: %s changed to %s", collection, plural(n, "secret"), level)})
}

// SetCollectionAccess changes the level of a whole collection for the human
// at the tray; it still asks for confirmation in a dialog.
func (a *Agent) SetCollectionAccess(ctx context.Context, collection, level string) (int, error) {
	s := a.NewSession(Identity{Claimed: "tray menu"}, SessionOptions{CLI: true})
	defer s.Close()
	return s.SetAccess(ctx, AccessRequest{Collection: collection, Level: level})
}

// plural writes n and the noun, plural unless n is 1: "1 secret", "2 secrets".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

package session

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

// CollectionRequest creates or changes a collection. Fields left empty keep
// what the collection has.
type CollectionRequest struct {
	Name        string   `json:"name"`
	Description *string  `json:"description,omitempty"` // nil keeps the description
	Tags        []string `json:"tags,omitempty"`        // added to the collection's tags
	Access      string   `json:"access,omitempty"`      // default level: deny, use, reveal; "" keeps it
	Create      bool     `json:"create,omitempty"`      // the collection must not exist yet (ErrExists)
}

// Collections lists the collections with their secret counts. Only CLI
// sessions may call it (collection names can tell an AI client about deny
// secrets). It never asks the human.
func (s *Session) Collections(ctx context.Context) ([]CollectionInfo, error) {
	if !s.opts.CLI {
		return nil, fmt.Errorf("%w: collections are listed for the user, not for AI clients", ErrInvalid)
	}
	return s.agent.collections()
}

func (a *Agent) collections() ([]CollectionInfo, error) {
	cols, err := a.vault.Collections()
	if err != nil {
		return nil, vaultErr(err)
	}
	out := make([]CollectionInfo, 0, len(cols))
	for _, c := range cols {
		tags := c.Tags
		if tags == nil {
			tags = []string{}
		}
		out = append(out, CollectionInfo{Name: c.Name, Description: c.Description, Tags: tags, Access: string(c.DefaultAccess), Secrets: c.Secrets})
	}
	return out, nil
}

// PutCollection creates a collection or changes its description, tags or
// default access level, after the human allowed it, and returns it as
// stored. Changing the level of an existing collection changes every one of
// its secrets too (as "access --collection"), audited as access_change;
// other changes are audited as set. Only CLI sessions may call it. Errors:
// ErrExists (r.Create and it exists), ErrNotFound (not r.Create and it does
// not), ErrInvalid for a bad name, tag, description or level.
func (s *Session) PutCollection(ctx context.Context, r CollectionRequest) (CollectionInfo, error) {
	if !s.opts.CLI {
		return CollectionInfo{}, fmt.Errorf("%w: collections are changed by the user, not by AI clients", ErrInvalid)
	}
	cols, err := s.agent.collections()
	if err != nil {
		return CollectionInfo{}, err
	}
	i := slices.IndexFunc(cols, func(c CollectionInfo) bool { return strings.EqualFold(c.Name, r.Name) })
	switch {
	case i >= 0 && r.Create:
		return CollectionInfo{}, fmt.Errorf("collection %q %w", cols[i].Name, ErrExists)
	case i < 0 && !r.Create:
		return CollectionInfo{}, fmt.Errorf("%w: collection %q: create it with \"collection add\"", ErrNotFound, r.Name)
	}
	var cur CollectionInfo
	if i >= 0 {
		cur = cols[i]
	} else {
		cur = CollectionInfo{Name: r.Name}
	}
	next := vault.Collection{Name: cur.Name, Description: cur.Description, Tags: slices.Clone(cur.Tags), DefaultAccess: vault.Access(cur.Access)}
	if r.Description != nil {
		next.Description = *r.Description
	}
	next.Tags = append(next.Tags, r.Tags...)
	var level vault.Access
	if r.Access != "" {
		if level, err = vault.ParseAccess(r.Access); err != nil {
			return CollectionInfo{}, vaultErr(err)
		}
	}
	accessChange := i >= 0 && level != "" && string(level) != cur.Access
	if i < 0 {
		next.DefaultAccess = level // "" takes the vault's default
	}
	req := s.newRequest(KindSet, nil)
	req.Detail = describeCollection(r, cur.Name, i < 0)
	if accessChange {
		req.Kind = KindAccess
		req.Detail += fmt.Sprintf("; AI access of its %d secrets from %s to %s", cur.Secrets, cur.Access, level)
	}
	if err := s.ask(ctx, req, nil); err != nil {
		return CollectionInfo{}, err
	}
	if err := s.agent.vault.PutCollection(next); err != nil {
		return CollectionInfo{}, vaultErr(err)
	}
	event, detail := audit.EventSet, req.Detail
	if accessChange {
		n, err := s.agent.vault.SetCollectionAccess(cur.Name, level)
		if err != nil {
			return CollectionInfo{}, vaultErr(err)
		}
		event, detail = audit.EventAccessChange, fmt.Sprintf("collection %s: %s changed to %s", cur.Name, plural(n, "secret"), level)
	}
	s.agent.changed()
	if err := s.record(audit.Record{Event: event, Request: req.ID, Detail: detail}); err != nil {
		return CollectionInfo{}, err
	}
	cols, err = s.agent.collections()
	if err != nil {
		return CollectionInfo{}, err
	}
	for _, c := range cols {
		if strings.EqualFold(c.Name, r.Name) {
			return c, nil
		}
	}
	return CollectionInfo{}, fmt.Errorf("%w: collection %q", ErrNotFound, r.Name)
}

func describeCollection(r CollectionRequest, name string, create bool) string {
	var parts []string
	if create {
		parts = append(parts, "create collection "+name)
	} else {
		parts = append(parts, "change collection "+name)
	}
	if r.Description != nil {
		parts = append(parts, "description: "+*r.Description)
	}
	if len(r.Tags) > 0 {
		parts = append(parts, "add tags "+strings.Join(r.Tags, ","))
	}
	if create && r.Access != "" {
		parts = append(parts, "default access "+r.Access)
	}
	return strings.Join(parts, "; ")
}

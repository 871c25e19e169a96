package vault

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// Conflict says what [Vault.Import] does with a secret whose (name, scope)
// already exists, or whose environment variable another visible secret
// already has.
type Conflict string

// The conflict policies.
const (
	ConflictSkip      Conflict = "skip"      // keep the vault's secret
	ConflictOverwrite Conflict = "overwrite" // replace its value and metadata
	ConflictRename    Conflict = "rename"    // import as NAME_2, NAME_3, ...
)

// ParseConflict accepts "skip", "overwrite" or "rename"; "" means skip.
// Other text is an error wrapping ErrInvalidName.
func ParseConflict(s string) (Conflict, error) {
	switch c := Conflict(s); c {
	case "":
		return ConflictSkip, nil
	case ConflictSkip, ConflictOverwrite, ConflictRename:
		return c, nil
	}
	return "", fmt.Errorf("%w: conflict policy %q: use skip, overwrite or rename", ErrInvalidName, s)
}

// ImportOptions tune [Vault.Import].
type ImportOptions struct {
	OnConflict Conflict // "" means ConflictSkip
	DryRun     bool     // report what would happen; change nothing
}

// ImportAction is what Import did, or would do, with one secret.
type ImportAction string

// The import actions.
const (
	ImportAdded       ImportAction = "added"
	ImportSkipped     ImportAction = "skipped"
	ImportOverwritten ImportAction = "overwritten"
	ImportRenamed     ImportAction = "renamed"
)

// ImportItem is one secret of an import. It holds names, never values.
type ImportItem struct {
	Action  ImportAction `json:"action"`
	Name    string       `json:"name"`
	Scope   string       `json:"scope"`
	NewName string       `json:"new_name,omitempty"` // for ImportRenamed
	Reason  string       `json:"reason,omitempty"`   // for ImportSkipped and ImportRenamed
}

// ImportReport says what an import did (or, for a dry run, would do).
type ImportReport struct {
	Items              []ImportItem `json:"items"`
	CollectionsAdded   []string     `json:"collections_added,omitempty"`
	CollectionsUpdated []string     `json:"collections_updated,omitempty"`
	DryRun             bool         `json:"dry_run,omitempty"`
}

// Count is the number of items with action a.
func (r ImportReport) Count(a ImportAction) int {
	n := 0
	for _, it := range r.Items {
		if it.Action == a {
			n++
		}
	}
	return n
}

// maxRenameTries bounds the search for a free NAME_n.
const maxRenameTries = 1000

// Import adds the collections and secrets of b to the vault, in one durable
// write: either all of it happens or nothing does.
//
// Collections: a missing one is created with b's description, tags and
// default access; an existing one takes b's metadata with ConflictOverwrite,
// or when it was never described (no description, no tags, the vault's
// default access), else it is kept. Secrets keep their metadata, times and
// (when free in this vault) ids; an empty Scope means Global, an empty
// Access the collection's default, a zero time now. A secret conflicts when
// its (name, scope) exists or its variable is another visible secret's; the
// policy then decides. With ConflictOverwrite a variable clash with a
// differently named secret cannot be resolved and fails the import.
//
// Errors: ErrLocked; ErrInvalidName naming the secret or collection that
// breaks a rule of FORMAT.md; ErrEnvConflict; ErrTooLarge. On error the
// vault is unchanged. b is not modified.
func (v *Vault) Import(b *Backup, opts ImportOptions) (ImportReport, error) {
	policy, err := ParseConflict(string(opts.OnConflict))
	if err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	if opts.DryRun {
		v.mu.Lock()
		defer v.mu.Unlock()
		if err := v.refresh(false); err != nil {
			return ImportReport{}, err
		}
		h := *v.c.hdr
		rep, err = importInto(v.m.clone(), &h, nil, b, policy)
		rep.DryRun = true
		return rep, err
	}
	err = v.mutate(func(m *model, h *header) error {
		var err error
		rep, err = importInto(m, h, v.dataKey, b, policy)
		return err
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// importInto applies b to m. With a nil dataKey values are not sealed (dry run).
func importInto(m *model, h *header, dataKey []byte, b *Backup, policy Conflict) (ImportReport, error) {
	rep := ImportReport{Items: make([]ImportItem, 0, len(b.Secrets))}
	for _, c := range b.Collections {
		i, exists := m.findCollection(c.Name)
		switch {
		case !exists:
			rep.CollectionsAdded = append(rep.CollectionsAdded, c.Name)
		case policy == ConflictOverwrite || pristine(m.collections[i], m.defaultAccess):
			if sameCollection(m.collections[i].Collection, c) {
				continue
			}
			rep.CollectionsUpdated = append(rep.CollectionsUpdated, m.collections[i].Name)
		default:
			continue
		}
		if err := m.putCollection(c); err != nil {
			return ImportReport{}, fmt.Errorf("collection %q: %w", c.Name, err)
		}
	}
	for _, s := range b.Secrets {
		item, err := importSecret(m, h, dataKey, s, policy)
		if err != nil {
			return ImportReport{}, err
		}
		rep.Items = append(rep.Items, item)
	}
	return rep, nil
}

func pristine(c *collectionRec, defaultAccess Access) bool {
	return c.Description == "" && len(c.Tags) == 0 && c.DefaultAccess == defaultAccess
}

func sameCollection(a, b Collection) bool {
	if a.Description != b.Description || a.DefaultAccess != b.DefaultAccess || len(a.Tags) != len(b.Tags) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i] != b.Tags[i] {
			return false
		}
	}
	return true
}

// importSecret adds one secret to m according to policy.
func importSecret(m *model, h *header, dataKey []byte, s BackupSecret, policy Conflict) (ImportItem, error) {
	r, err := m.importRecord(s)
	if err != nil {
		return ImportItem{}, err
	}
	item := ImportItem{Action: ImportAdded, Name: r.name, Scope: r.scope}
	i, exists := m.findSecret(r.name, r.scope)
	clash := m.envClash(r.name, r.scope)
	switch {
	case !exists && clash == "":
	case policy == ConflictSkip:
		item.Action, item.Reason = ImportSkipped, conflictReason(clash)
		return item, nil
	case policy == ConflictOverwrite && clash != "":
		return ImportItem{}, fmt.Errorf("%w: %q and %q map to the same variable, so %q cannot be overwritten: import with rename or skip",
			ErrEnvConflict, r.name, clash, r.name)
	case policy == ConflictOverwrite:
		item.Action = ImportOverwritten
		r.id = m.secrets[i].id
	default:
		name, err := m.freeName(r.name, r.scope)
		if err != nil {
			return ImportItem{}, err
		}
		item.Action, item.NewName, item.Reason = ImportRenamed, name, conflictReason(clash)
		r.name = name
	}
	if item.Action != ImportOverwritten && m.findID(r.id) >= 0 {
		copy(r.id[:], randomBytes(idSize))
	}
	if !exists && len(m.secrets) >= MaxSecrets {
		return ImportItem{}, fmt.Errorf("%w: the vault holds the maximum of %d secrets", ErrTooLarge, MaxSecrets)
	}
	c, err := m.ensureCollection(r.collection)
	if err != nil {
		return ImportItem{}, err
	}
	r.collection = c.Name
	if r.access == "" {
		r.access = c.DefaultAccess
	}
	if dataKey != nil {
		r.sealed = seal(dataKey, s.Value.Bytes(), valueAAD(h.id[:], r.id[:]))
	} else {
		r.sealed = make([]byte, nonceSize+tagSize) // dry run: never written
	}
	m.store(r)
	return item, nil
}

func conflictReason(clash string) string {
	if clash != "" {
		return "maps to the same variable as " + clash
	}
	return "exists in this vault"
}

// envClash returns the name of another secret whose variable equals that of
// name in an overlapping scope, or "" (see checkEnvConflict).
func (m *model) envClash(name, scope string) string {
	env, err := EnvName(name)
	if err != nil {
		return ""
	}
	for _, r := range m.withEnv(env) {
		if r.name != name && scopesOverlap(r.scope, scope) {
			return r.name
		}
	}
	return ""
}

// importRecord validates the metadata of s and returns a record for it
// (without sealed value). The id is s.ID when it is a valid id, else new.
func (m *model) importRecord(s BackupSecret) (*record, error) {
	if err := ValidateName(s.Name); err != nil {
		return nil, err
	}
	if s.Value.Len() > MaxValueSize {
		return nil, fmt.Errorf("%w: the value of %q is larger than %d bytes", ErrTooLarge, s.Name, MaxValueSize)
	}
	scope, err := normalizeScope(s.Scope)
	if err != nil {
		return nil, fmt.Errorf("secret %q: %w", s.Name, err)
	}
	tags, err := normalizeTags(s.Tags)
	if err != nil {
		return nil, fmt.Errorf("secret %q: %w", s.Name, err)
	}
	if err := validateDescription(s.Description); err != nil {
		return nil, fmt.Errorf("secret %q: %w", s.Name, err)
	}
	collection := s.Collection
	if collection == "" {
		collection = DefaultCollection
	}
	if err := validateLabel("collection", collection, MaxCollectionLen); err != nil {
		return nil, fmt.Errorf("secret %q: %w", s.Name, err)
	}
	if s.Access != "" {
		if _, err := ParseAccess(string(s.Access)); err != nil {
			return nil, fmt.Errorf("secret %q: %w", s.Name, err)
		}
	}
	t := now()
	r := &record{
		name: s.Name, collection: collection, tags: tags, description: s.Description, scope: scope,
		access: s.Access, created: orNow(s.Created, t), updated: orNow(s.Updated, t),
	}
	if !s.LastAccessed.IsZero() {
		r.accessed = s.LastAccessed.UTC()
	}
	if id, err := hex.DecodeString(s.ID); err == nil && len(id) == idSize {
		copy(r.id[:], id)
	} else {
		copy(r.id[:], randomBytes(idSize))
	}
	return r, nil
}

func orNow(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t.UTC()
}

// freeName finds NAME_2, NAME_3, ... free in scope, valid and without a
// variable clash. ErrInvalidName when none fits in the name length limit.
func (m *model) freeName(name, scope string) (string, error) {
	for n := 2; n < maxRenameTries; n++ {
		cand := name + "_" + strconv.Itoa(n)
		if ValidateName(cand) != nil {
			break
		}
		if _, exists := m.findSecret(cand, scope); exists {
			continue
		}
		if m.envClash(cand, scope) == "" {
			return cand, nil
		}
	}
	return "", fmt.Errorf("%w: no free new name for %q (tried %s_2 and on): rename it by hand", ErrInvalidName, name, name)
}

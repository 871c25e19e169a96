package vault

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

func backupOf(secrets ...BackupSecret) *Backup { return &Backup{Secrets: secrets} }

func bs(name, value string) BackupSecret {
	return BackupSecret{Secret: Secret{Name: name}, Value: NewValue([]byte(value))}
}

// conflictVault holds A and api_key (global) and P in a project.
func conflictVault(t *testing.T) *Vault {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "A"}, "old-a")
	mustPut(t, v, Secret{Name: "api_key"}, "old-api")
	mustPut(t, v, Secret{Name: "P", Scope: "/srv/app"}, "old-p")
	return v
}

func TestImportConflicts(t *testing.T) {
	incoming := func() *Backup {
		return backupOf(bs("A", "new-a"), bs("B", "new-b"), bs("api-key", "new-api"),
			BackupSecret{Secret: Secret{Name: "P", Scope: "/srv/other"}, Value: NewValue([]byte("new-p"))})
	}
	tests := []struct {
		policy Conflict
		want   []ImportItem
		values map[string]string
		err    error
	}{
		{ConflictSkip, []ImportItem{
			{Action: ImportSkipped, Name: "A", Scope: Global, Reason: "exists in this vault"},
			{Action: ImportAdded, Name: "B", Scope: Global},
			{Action: ImportSkipped, Name: "api-key", Scope: Global, Reason: "maps to the same variable as api_key"},
			{Action: ImportAdded, Name: "P", Scope: "/srv/other"},
		}, map[string]string{"A@global": "old-a", "B@global": "new-b", "api_key@global": "old-api", "P@/srv/app": "old-p", "P@/srv/other": "new-p"}, nil},
		{ConflictRename, []ImportItem{
			{Action: ImportRenamed, Name: "A", Scope: Global, NewName: "A_2", Reason: "exists in this vault"},
			{Action: ImportAdded, Name: "B", Scope: Global},
			{Action: ImportRenamed, Name: "api-key", Scope: Global, NewName: "api-key_2", Reason: "maps to the same variable as api_key"},
			{Action: ImportAdded, Name: "P", Scope: "/srv/other"},
		}, map[string]string{"A@global": "old-a", "A_2@global": "new-a", "B@global": "new-b", "api-key_2@global": "new-api", "api_key@global": "old-api", "P@/srv/app": "old-p", "P@/srv/other": "new-p"}, nil},
		{ConflictOverwrite, nil, nil, ErrEnvConflict},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			v := conflictVault(t)
			before := valuesOf(t, v)
			dry, err := v.Import(incoming(), ImportOptions{OnConflict: tt.policy, DryRun: true})
			if !errors.Is(err, tt.err) {
				t.Fatalf("dry run: %v, want %v", err, tt.err)
			}
			if jsonOf(t, valuesOf(t, v)) != jsonOf(t, before) {
				t.Fatal("the dry run changed the vault")
			}
			rep, err := v.Import(incoming(), ImportOptions{OnConflict: tt.policy})
			if !errors.Is(err, tt.err) {
				t.Fatalf("import: %v, want %v", err, tt.err)
			}
			if err != nil {
				if jsonOf(t, valuesOf(t, v)) != jsonOf(t, before) {
					t.Error("a failed import changed the vault")
				}
				return
			}
			if jsonOf(t, rep.Items) != jsonOf(t, tt.want) {
				t.Errorf("report:\n%s\nwant\n%s", jsonOf(t, rep.Items), jsonOf(t, tt.want))
			}
			if !dry.DryRun || jsonOf(t, dry.Items) != jsonOf(t, rep.Items) {
				t.Errorf("the dry run reported %s, the import %s", jsonOf(t, dry.Items), jsonOf(t, rep.Items))
			}
			if got := jsonOf(t, valuesOf(t, v)); got != jsonOf(t, tt.values) {
				t.Errorf("values:\n%s\nwant\n%s", got, jsonOf(t, tt.values))
			}
		})
	}
}

func TestImportOverwrite(t *testing.T) {
	v := conflictVault(t)
	old, _ := v.Resolve("A", "")
	in := bs("A", "new-a")
	in.Description, in.Tags, in.Collection, in.Access = "replaced", []string{"t"}, "Other", AccessReveal
	rep, err := v.Import(backupOf(in), ImportOptions{OnConflict: ConflictOverwrite})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(ImportOverwritten) != 1 {
		t.Errorf("report %+v", rep)
	}
	got, _ := v.Resolve("A", "")
	if got.ID != old.ID || got.Description != "replaced" || got.Collection != "Other" || got.Access != AccessReveal {
		t.Errorf("overwritten secret %+v (old id %s)", got, old.ID)
	}
	if reveal(t, v, got.ID) != "new-a" {
		t.Error("the value was not replaced")
	}
}

func TestImportFailureChangesNothing(t *testing.T) {
	v := conflictVault(t)
	file, _ := os.ReadFile(v.Path())
	bad := []*Backup{
		backupOf(bs("NEW", "x"), bs("bad name", "y")),
		backupOf(bs("NEW", "x"), BackupSecret{Secret: Secret{Name: "S", Scope: "relative/dir"}, Value: NewValue([]byte("v"))}),
		backupOf(bs("NEW", "x"), BackupSecret{Secret: Secret{Name: "S", Access: "everything"}, Value: NewValue([]byte("v"))}),
		backupOf(BackupSecret{Secret: Secret{Name: "BIG"}, Value: NewValue(make([]byte, MaxValueSize+1))}),
		{Collections: []Collection{{Name: " spaced "}}},
	}
	for i, b := range bad {
		if _, err := v.Import(b, ImportOptions{}); err == nil {
			t.Errorf("backup %d: imported", i)
		}
	}
	if after, _ := os.ReadFile(v.Path()); !bytes.Equal(file, after) {
		t.Error("a failed import changed the vault file")
	}
	if _, err := v.Import(backupOf(), ImportOptions{OnConflict: "merge"}); !errors.Is(err, ErrInvalidName) {
		t.Errorf("unknown policy: %v", err)
	}
}

func TestImportCollections(t *testing.T) {
	v := newTestVault(t)
	if err := v.PutCollection(Collection{Name: "described", Description: "mine"}); err != nil {
		t.Fatal(err)
	}
	if err := v.PutCollection(Collection{Name: "blank"}); err != nil {
		t.Fatal(err)
	}
	b := &Backup{Collections: []Collection{
		{Name: "Described", Description: "theirs", DefaultAccess: AccessDeny},
		{Name: "BLANK", Description: "filled in", Tags: []string{"x"}, DefaultAccess: AccessUse},
		{Name: "new", DefaultAccess: AccessReveal},
	}}
	rep, err := v.Import(b, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, rep.CollectionsAdded) != jsonOf(t, []string{"new"}) || jsonOf(t, rep.CollectionsUpdated) != jsonOf(t, []string{"blank"}) {
		t.Errorf("report %+v", rep)
	}
	cols, _ := v.Collections()
	want := []Collection{
		{Name: "blank", Description: "filled in", Tags: []string{"x"}, DefaultAccess: AccessUse},
		{Name: "described", Description: "mine", DefaultAccess: AccessUse},
		{Name: "new", DefaultAccess: AccessReveal},
	}
	if jsonOf(t, cols) != jsonOf(t, want) {
		t.Errorf("collections %s", jsonOf(t, cols))
	}
	if _, err := v.Import(b, ImportOptions{OnConflict: ConflictOverwrite}); err != nil {
		t.Fatal(err)
	}
	cols, _ = v.Collections()
	if cols[1].Description != "theirs" || cols[1].DefaultAccess != AccessDeny {
		t.Errorf("overwrite kept %+v", cols[1])
	}
}

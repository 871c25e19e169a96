package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

// Backups: export files and imports (from a backup or a .env file). Only
// the human's own CLI (and the tray) may ask; each is confirmed in a
// dialog, and audited as "export" or "import" with counts, never values.

// The import report types, from the vault package.
type (
	ImportReport  = vault.ImportReport
	ImportItem    = vault.ImportItem
	ImportAction  = vault.ImportAction
	DotenvProblem = vault.DotenvProblem
)

// ErrNotVault: the file is not a vault or not a backup (re-exported for
// callers that may not import vault).
var ErrNotVault = vault.ErrNotVault

// maxDotenvSize bounds the .env files Import reads.
const maxDotenvSize = 16 << 20

// maxAuditNames bounds the secret names one audit record or dialog lists.
const maxAuditNames = 50

// ExportRequest writes a backup of the whole vault.
type ExportRequest struct {
	Path         string `json:"path"`                    // absolute path of the file to write
	Passphrase   []byte `json:"-"`                       // nil: asked in a dialog. Export wipes it
	IncludeAudit bool   `json:"include_audit,omitempty"` // carry the audit files too
	Force        bool   `json:"force,omitempty"`         // replace an existing file
}

// ExportResult says what a backup holds.
type ExportResult struct {
	Path        string `json:"path"`
	Secrets     int    `json:"secrets"`
	Collections int    `json:"collections"`
	AuditFiles  int    `json:"audit_files"`
}

// ImportRequest reads secrets from a backup or a .env file into the vault.
type ImportRequest struct {
	Path       string `json:"path"`                  // absolute path of the file to read
	Passphrase []byte `json:"-"`                     // backups only; nil: asked in a dialog. Import wipes it
	From       string `json:"from,omitempty"`        // "export" (default), "dotenv", or "auto" (by the file's first line)
	Collection string `json:"collection,omitempty"`  // dotenv: the collection to put the secrets in ("" for the default)
	OnConflict string `json:"on_conflict,omitempty"` // skip (default), overwrite, rename
	DryRun     bool   `json:"dry_run,omitempty"`     // report only: no dialog, no change
}

// ImportResult is what an import did, or would do for a dry run.
type ImportResult struct {
	ImportReport
	Problems []DotenvProblem `json:"problems,omitempty"`  // .env lines not imported
	AuditDir string          `json:"audit_dir,omitempty"` // where the backup's audit files were put
}

func (s *Session) backupAllowed(path string) error {
	if !s.opts.CLI {
		return fmt.Errorf("%w: backups are made and restored by the user, not by AI clients", ErrInvalid)
	}
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%w: the backup path %q must be absolute", ErrInvalid, path)
	}
	if s.agent.vault.Locked() {
		return ErrLocked
	}
	return nil
}

// Export asks the human, then the backup passphrase (unless r.Passphrase is
// set), and writes every secret and collection to r.Path (see
// vault.Vault.Export). Only CLI sessions may call it. If the export cannot
// be audited, the file is removed and ErrAudit returned.
func (s *Session) Export(ctx context.Context, r ExportRequest) (ExportResult, error) {
	pass := r.Passphrase
	defer func() { clear(pass) }()
	if err := s.backupAllowed(r.Path); err != nil {
		return ExportResult{}, err
	}
	path := filepath.Clean(r.Path)
	if s.agent.isAuditFile(path) {
		return ExportResult{}, fmt.Errorf("%w: the backup cannot be written over the audit trail", ErrInvalid)
	}
	if _, err := os.Lstat(path); err == nil && !r.Force {
		return ExportResult{}, fmt.Errorf("backup file %s %w: allow replacing it (--force) or choose another name", path, ErrExists)
	}
	res := ExportResult{Path: path}
	list, err := s.agent.vault.List(vault.Query{})
	if err != nil {
		return res, vaultErr(err)
	}
	cols, err := s.agent.vault.Collections()
	if err != nil {
		return res, vaultErr(err)
	}
	res.Secrets, res.Collections = len(list), len(cols)
	req := s.newRequest(KindExport, nil)
	req.Detail = fmt.Sprintf("write all %d secrets, with their values, and %d collections to %s", res.Secrets, res.Collections, path)
	if r.IncludeAudit {
		req.Detail += ", with the audit trail"
	}
	var then func(context.Context) error
	if pass == nil {
		then = func(dctx context.Context) error {
			p, err := s.agent.ui.Password(dctx, PasswordPrompt{Vault: path, New: true, Purpose: "export"})
			pass = p
			return err
		}
	}
	if err := s.ask(ctx, req, then); err != nil {
		return res, err
	}
	var files []vault.AuditFile
	if r.IncludeAudit {
		if files, err = s.agent.auditFiles(); err != nil {
			return res, fmt.Errorf("read the audit trail: %w", err)
		}
		res.AuditFiles = len(files)
	}
	if err := s.agent.vault.Export(path, pass, vault.ExportOptions{Force: r.Force, Audit: files}); err != nil {
		return res, backupErr(err)
	}
	detail := fmt.Sprintf("%d secrets, %d collections, %d audit files to %s", res.Secrets, res.Collections, res.AuditFiles, path)
	if err := s.record(audit.Record{Event: audit.EventExport, Request: req.ID, Detail: detail}); err != nil {
		os.Remove(path)
		return res, err
	}
	return res, nil
}

// Import reads r.Path (a backup, asking its passphrase unless given, or a
// .env file), works out what would change, and for a dry run returns that
// without asking anyone. Otherwise it asks the human, naming the file and
// the counts, and imports in one durable write. Only CLI sessions may call
// it. A wrong passphrase or a damaged file changes nothing.
func (s *Session) Import(ctx context.Context, r ImportRequest) (ImportResult, error) {
	defer clear(r.Passphrase)
	if err := s.backupAllowed(r.Path); err != nil {
		return ImportResult{}, err
	}
	path := filepath.Clean(r.Path)
	policy, err := vault.ParseConflict(r.OnConflict)
	if err != nil {
		return ImportResult{}, vaultErr(err)
	}
	b, problems, err := s.readImport(ctx, path, r)
	if err != nil {
		return ImportResult{}, err
	}
	defer b.Wipe()
	plan, err := s.agent.vault.Import(b, vault.ImportOptions{OnConflict: policy, DryRun: true})
	res := ImportResult{ImportReport: plan, Problems: problems}
	if err != nil || r.DryRun {
		return res, vaultErr(err)
	}
	req := s.newRequest(KindImport, cappedNames(plan, false))
	req.Detail = fmt.Sprintf("import from %s: %s (on conflict: %s)", path, describeReport(plan), policy)
	if err := s.ask(ctx, req, nil); err != nil {
		return res, err
	}
	done, err := s.agent.vault.Import(b, vault.ImportOptions{OnConflict: policy})
	if err != nil {
		return res, vaultErr(err)
	}
	res.ImportReport = done
	s.agent.changed()
	if len(b.Audit) > 0 {
		if res.AuditDir, err = s.agent.keepImportedAudit(b.Audit); err != nil {
			s.agent.cfg.Logf("cannot keep the backup's audit files: %v", err)
		}
	}
	detail := fmt.Sprintf("from %s: %s", path, describeReport(done))
	return res, s.record(audit.Record{Event: audit.EventImport, Request: req.ID, Secrets: cappedNames(done, true), Detail: detail})
}

// readImport reads the file of r as a backup or a .env file.
func (s *Session) readImport(ctx context.Context, path string, r ImportRequest) (*vault.Backup, []DotenvProblem, error) {
	from := r.From
	if from == "auto" {
		head, err := readHead(path)
		if err != nil {
			return nil, nil, fileErr(err)
		}
		from = "dotenv"
		if vault.IsExportFile(head) {
			from = "export"
		}
	}
	switch from {
	case "", "export":
		b, err := s.readBackup(ctx, path, r.Passphrase)
		return b, nil, err
	case "dotenv":
		return s.readDotenv(path, r.Collection)
	}
	return nil, nil, fmt.Errorf("%w: import --from %q: use export or dotenv", ErrInvalid, from)
}

// readBackup decrypts a backup with pass, or with passphrases asked in a
// dialog (three tries) when pass is nil.
func (s *Session) readBackup(ctx context.Context, path string, pass []byte) (*vault.Backup, error) {
	if pass != nil {
		b, err := vault.ReadExport(path, pass)
		return b, backupErr(err)
	}
	retry := false
	for range unlockAttempts {
		p, err := s.agent.ui.Password(ctx, PasswordPrompt{Vault: path, Retry: retry, Purpose: "import"})
		if err != nil {
			return nil, fmt.Errorf("backup passphrase: %w", err)
		}
		b, err := vault.ReadExport(path, p)
		clear(p)
		if !errors.Is(err, vault.ErrWrongPassword) {
			return b, backupErr(err)
		}
		retry = true
	}
	return nil, vault.ErrWrongPassphrase
}

// readDotenv turns a .env file into a backup of global secrets in collection.
func (s *Session) readDotenv(path, collection string) (*vault.Backup, []DotenvProblem, error) {
	data, err := readCapped(path, maxDotenvSize)
	if err != nil {
		return nil, nil, fileErr(err)
	}
	entries, problems := vault.ParseDotenv(data)
	clear(data)
	b := &vault.Backup{}
	if collection != "" && !s.hasCollection(collection) {
		b.Collections = []vault.Collection{{Name: collection}}
	}
	for _, e := range entries {
		if e.Value.Len() == 0 {
			problems = append(problems, DotenvProblem{Line: e.Line, Reason: "empty value"})
			continue
		}
		b.Secrets = append(b.Secrets, vault.BackupSecret{
			Secret: vault.Secret{Name: e.Name, Collection: collection, Description: "imported from " + filepath.Base(path)},
			Value:  e.Value,
		})
	}
	sortProblems(problems)
	return b, problems, nil
}

func (s *Session) hasCollection(name string) bool {
	cols, _ := s.agent.vault.Collections()
	for _, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

func sortProblems(ps []DotenvProblem) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Line < ps[j-1].Line; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// describeReport counts a report in words, e.g. "2 new, 1 skipped".
func describeReport(r ImportReport) string {
	parts := []string{fmt.Sprintf("%d new", r.Count(vault.ImportAdded))}
	for _, a := range []vault.ImportAction{vault.ImportOverwritten, vault.ImportRenamed, vault.ImportSkipped} {
		if n := r.Count(a); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, a))
		}
	}
	if n := len(r.CollectionsAdded); n > 0 {
		parts = append(parts, fmt.Sprintf("%d new collections", n))
	}
	return strings.Join(parts, ", ")
}

// cappedNames lists the names an import changes (with skipped ones too when
// all is set), at most maxAuditNames, the last saying how many more.
func cappedNames(r ImportReport, all bool) []string {
	var names []string
	for _, it := range r.Items {
		if it.Action == vault.ImportSkipped && !all {
			continue
		}
		name := it.Name
		if it.NewName != "" {
			name = it.NewName
		}
		names = append(names, name)
	}
	if len(names) > maxAuditNames {
		more := len(names) - maxAuditNames + 1
		names = append(names[:maxAuditNames-1], fmt.Sprintf("(and %d more)", more))
	}
	return names
}

// backupErr maps the vault's backup errors to this package's.
func backupErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, vault.ErrEmptyPassword):
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	case errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission):
		return fileErr(err)
	}
	return vaultErr(err)
}

func fileErr(err error) error {
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// readCapped reads a regular file of at most limit bytes.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// Export runs an export for the human at the tray (a CLI-kind session).
func (a *Agent) Export(ctx context.Context, r ExportRequest) (ExportResult, error) {
	s := a.NewSession(Identity{Claimed: "tray menu"}, SessionOptions{CLI: true})
	defer s.Close()
	return s.Export(ctx, r)
}

// Import runs an import for the human at the tray (a CLI-kind session).
func (a *Agent) Import(ctx context.Context, r ImportRequest) (ImportResult, error) {
	s := a.NewSession(Identity{Claimed: "tray menu"}, SessionOptions{CLI: true})
	defer s.Close()
	return s.Import(ctx, r)
}

package mcp

import (
	"context"

	"github.com/sciorex/sciorex-secrets/session"
)

// The fake session's backup methods: they echo what they were given, so the
// control wiring can be tested; passphrases are recorded as lengths only.

func (s *fakeSession) Export(ctx context.Context, r session.ExportRequest) (session.ExportResult, error) {
	if err := s.checkLocked(); err != nil {
		return session.ExportResult{}, err
	}
	defer clear(r.Passphrase)
	return session.ExportResult{Path: r.Path, Secrets: len(r.Passphrase)}, nil
}

func (s *fakeSession) Import(ctx context.Context, r session.ImportRequest) (session.ImportResult, error) {
	if err := s.checkLocked(); err != nil {
		return session.ImportResult{}, err
	}
	defer clear(r.Passphrase)
	res := session.ImportResult{}
	res.DryRun = r.DryRun
	res.Items = []session.ImportItem{{Action: "added", Name: r.Collection, Scope: r.OnConflict}}
	return res, nil
}

func (s *fakeSession) Collections(ctx context.Context) ([]session.CollectionInfo, error) {
	return nil, s.checkLocked()
}

func (s *fakeSession) PutCollection(ctx context.Context, r session.CollectionRequest) (session.CollectionInfo, error) {
	return session.CollectionInfo{Name: r.Name, Tags: r.Tags, Access: r.Access}, s.checkLocked()
}

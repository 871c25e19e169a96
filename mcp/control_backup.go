package mcp

import (
	"context"
	"encoding/json"

	"github.com/sciorex/sciorex-secrets/session"
)

// backupControl answers the backup and collection control methods. A
// passphrase travels as a JSON string (or null: the agent asks in a
// dialog) and is wiped after use; the session refuses non-CLI sessions.
func (c *conn) backupControl(ctx context.Context, msg message) ([]byte, *wireError) {
	switch msg.method {
	case "sciorex/export":
		var p struct {
			session.ExportRequest
			Passphrase json.RawMessage `json:"passphrase"`
		}
		if !decodeParams(msg.params, &p) || p.Path == "" {
			clear(p.Passphrase)
			return nil, invalidParams(msg.method)
		}
		pass, ok := passphraseParam(p.Passphrase)
		if !ok {
			return nil, invalidParams(msg.method)
		}
		p.ExportRequest.Passphrase = pass // Export wipes it
		return resultOf(c.sess.Export(ctx, p.ExportRequest))
	case "sciorex/import":
		var p struct {
			session.ImportRequest
			Passphrase json.RawMessage `json:"passphrase"`
		}
		if !decodeParams(msg.params, &p) || p.Path == "" {
			clear(p.Passphrase)
			return nil, invalidParams(msg.method)
		}
		pass, ok := passphraseParam(p.Passphrase)
		if !ok {
			return nil, invalidParams(msg.method)
		}
		p.ImportRequest.Passphrase = pass // Import wipes it
		return resultOf(c.sess.Import(ctx, p.ImportRequest))
	case "sciorex/collections":
		list, err := c.sess.Collections(ctx)
		if list == nil {
			list = []session.CollectionInfo{}
		}
		return resultOf(list, err)
	case "sciorex/collection":
		var r session.CollectionRequest
		if !decodeParams(msg.params, &r) || r.Name == "" {
			return nil, invalidParams(msg.method)
		}
		return resultOf(c.sess.PutCollection(ctx, r))
	}
	return nil, &wireError{Code: codeMethodNotFound, Message: "method not found: " + truncate(msg.method, 64)}
}

// passphraseParam decodes an optional passphrase and wipes raw. Absent or
// null gives nil (ask in a dialog); anything but a JSON string is invalid.
func passphraseParam(raw json.RawMessage) ([]byte, bool) {
	defer clear(raw)
	if raw == nil || string(raw) == "null" {
		return nil, true
	}
	pass, err := parseJSONString(raw)
	return pass, err == nil
}

func resultOf[T any](v T, err error) ([]byte, *wireError) {
	if err != nil {
		return nil, sessionError(err)
	}
	return encodeResult(v)
}

package mcp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// Control methods, answered only on sessions that said sciorex/hello with
// kind "cli". Each returns the encoded result, or a wire error. Param
// errors never quote the params (they may hold a password or a value).
func (c *conn) control(ctx context.Context, msg message) ([]byte, *wireError) {
	switch msg.method {
	case "sciorex/status":
		return encodeResult(c.srv.backend.Status())
	case "sciorex/lock":
		return okResult(c.srv.backend.Lock())
	case "sciorex/unlock":
		return c.unlock(ctx, msg.params)
	case "sciorex/audit_verify":
		rep, err := c.srv.backend.VerifyAudit()
		if err != nil {
			return nil, sessionError(err)
		}
		return encodeResult(rep)
	case "sciorex/list":
		var p listParams
		if !decodeParams(msg.params, &p) {
			return nil, invalidParams(msg.method)
		}
		list, err := c.sess.List(ctx, p.ListRequest)
		if err != nil {
			return nil, sessionError(err)
		}
		if list == nil {
			list = []session.SecretInfo{}
		}
		if p.Brief {
			brief(list)
		}
		return encodeResult(list)
	case "sciorex/set":
		return c.set(ctx, msg.params)
	case "sciorex/delete":
		var p struct {
			Name  string `json:"name"`
			Scope string `json:"scope"`
		}
		if !decodeParams(msg.params, &p) || p.Name == "" {
			return nil, invalidParams(msg.method)
		}
		return okResult(c.sess.Delete(ctx, p.Name, p.Scope))
	case "sciorex/access":
		var r session.AccessRequest
		if !decodeParams(msg.params, &r) {
			return nil, invalidParams(msg.method)
		}
		n, err := c.sess.SetAccess(ctx, r)
		if err != nil {
			return nil, sessionError(err)
		}
		return encodeResult(map[string]int{"changed": n})
	case "sciorex/release":
		return c.release(ctx, msg.params)
	case "sciorex/watch":
		var p struct {
			PID  int    `json:"pid"`
			Mark string `json:"run"`
		}
		if !decodeParams(msg.params, &p) || p.PID <= 0 {
			return nil, invalidParams(msg.method)
		}
		return okResult(c.sess.Watch(p.PID, p.Mark))
	case "sciorex/run_end":
		var p struct {
			Names    []string `json:"names"`
			Command  string   `json:"command"`
			ExitCode int      `json:"exit_code"`
			Masked   int      `json:"masked"`
			PID      int      `json:"pid"`
		}
		if !decodeParams(msg.params, &p) || len(p.Names) == 0 {
			return nil, invalidParams(msg.method)
		}
		return okResult(c.sess.RunEnded(p.Names, p.Command, p.ExitCode, p.Masked, p.PID))
	case "sciorex/export", "sciorex/import", "sciorex/collections", "sciorex/collection":
		return c.backupControl(ctx, msg)
	}
	return nil, &wireError{Code: codeMethodNotFound, Message: "method not found: " + truncate(msg.method, 64)}
}

func (c *conn) unlock(ctx context.Context, params json.RawMessage) ([]byte, *wireError) {
	var p struct {
		Password json.RawMessage `json:"password"`
	}
	if !decodeParams(params, &p) {
		return nil, invalidParams("sciorex/unlock")
	}
	if p.Password == nil || string(p.Password) == "null" {
		return okResult(c.srv.backend.Unlock(ctx))
	}
	pw, err := parseJSONString(p.Password)
	clear(p.Password)
	if err != nil {
		return nil, invalidParams("sciorex/unlock")
	}
	return okResult(c.srv.backend.UnlockWithPassword(pw)) // wipes pw
}

// setParams is a SetRequest with the value in base64 (the CLI's --value-stdin).
type setParams struct {
	session.SetRequest
	Value []byte `json:"value"`
}

func (c *conn) set(ctx context.Context, params json.RawMessage) ([]byte, *wireError) {
	var p setParams
	if !decodeParams(params, &p) || p.Name == "" {
		clear(p.Value)
		return nil, invalidParams("sciorex/set")
	}
	p.SetRequest.Value = p.Value // Set wipes it
	return okResult(c.sess.Set(ctx, p.SetRequest))
}

// release hands values to the CLI's run command, which execs the child
// itself. The result is encoded by hand so every copy can be wiped.
func (c *conn) release(ctx context.Context, params json.RawMessage) ([]byte, *wireError) {
	var p struct {
		Names   []string `json:"names"`
		Command string   `json:"command"`
	}
	if !decodeParams(params, &p) {
		return nil, invalidParams("sciorex/release")
	}
	secrets, err := c.sess.Release(ctx, p.Names, p.Command)
	defer func() {
		for _, s := range secrets {
			s.Value.Wipe()
		}
	}()
	if err != nil {
		return nil, sessionError(err)
	}
	b := []byte{'['}
	for i, s := range secrets {
		if i > 0 {
			b = appendWiping(b, ",")
		}
		name, _ := json.Marshal(s.Name)
		env, _ := json.Marshal(s.EnvName)
		b = appendWiping(b, `{"name":`+string(name)+`,"env":`+string(env)+`,"value":"`)
		size := base64.StdEncoding.EncodedLen(s.Value.Len())
		b = growWiping(b, size)
		n := len(b)
		b = b[:n+size]
		base64.StdEncoding.Encode(b[n:], s.Value.Bytes())
		b = appendWiping(b, `"}`)
	}
	return appendWiping(b, "]"), nil
}

// appendWiping appends s, wiping the old array if b must move.
func appendWiping(b []byte, s string) []byte {
	b = growWiping(b, len(s))
	return append(b, s...)
}

// growWiping makes room for n more bytes; when it must move b, it wipes the
// old array first.
func growWiping(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), 2*cap(b)+n)
	copy(nb, b)
	clear(b[:cap(b)])
	return nb
}

// listParams are sciorex/list's params. Brief asks for what the CLI's
// table shows: descriptions and the created and updated times are left
// out, which makes a listing of thousands of secrets less than half the
// bytes to encode, send and decode.
type listParams struct {
	session.ListRequest
	Brief bool `json:"brief,omitempty"`
}

func brief(list []session.SecretInfo) {
	for i := range list {
		list[i].Description = ""
		list[i].Created, list[i].Updated = time.Time{}, time.Time{}
	}
}

func decodeParams(params json.RawMessage, v any) bool {
	if params == nil {
		return true
	}
	return json.Unmarshal(params, v) == nil
}

func invalidParams(method string) *wireError {
	return &wireError{Code: codeInvalidParams, Message: "invalid params for " + method}
}

func encodeResult(v any) ([]byte, *wireError) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &wireError{Code: codeInternalError, Message: "internal error: encode result"}
	}
	return b, nil
}

func okResult(err error) ([]byte, *wireError) {
	if err != nil {
		return nil, sessionError(err)
	}
	return []byte("{}"), nil
}

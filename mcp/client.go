package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// maxResponse bounds one response line read by the [Client].
const maxResponse = 64 << 20

// Client is the CLI's connection to the agent. Calls are made one at a time;
// it is safe for concurrent use. After a call fails with a transport error or
// its ctx ends, the client is closed and further calls fail.
type Client struct {
	mu     sync.Mutex
	nc     *net.UnixConn
	lr     *lineReader
	nextID int64
	broken error
}

// Dial connects to the agent as the CLI (sciorex/hello kind cli). project
// is the --project directory, "" for the working directory. It retries for
// up to 5 s while the agent starts, then returns ErrAgentNotRunning.
func Dial(ctx context.Context, socketPath, project string) (*Client, error) {
	uc, err := connect(ctx, socketPath, "cli", project)
	if err != nil {
		return nil, err
	}
	return &Client{nc: uc, lr: newLineReader(uc, maxResponse)}, nil
}

// Close closes the connection; the agent cancels whatever was in progress.
func (c *Client) Close() error { return c.nc.Close() }

// response is one JSON-RPC reply as the client reads it. Result points at
// where the caller wants the result decoded, so that a large answer (a
// listing of every secret) is parsed once, straight into its place.
type response struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result any             `json:"result"`
	Error  *wireError      `json:"error"`
}

// Call sends one request and decodes its result into result (nil to
// ignore it). An error answered by the agent is a *RemoteError wrapping the
// session sentinel of its kind (errors.Is(err, session.ErrLocked) works).
// When ctx ends, the connection is closed, which cancels the request.
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken != nil {
		return c.broken
	}
	c.nextID++
	id := c.nextID
	req := struct {
		JSONRPC string `json:"jsonrpc"`
		ID      int64  `json:"id"`
		Method  string `json:"method"`
		Params  any    `json:"params,omitempty"`
	}{"2.0", id, method, params}
	line, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode %s request: %w", method, err)
	}
	if result == nil {
		ignored := new(json.RawMessage)
		defer func() { clear(*ignored) }()
		result = ignored
	}
	stop := context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(time.Unix(1, 0)) })
	resp, err := c.roundTrip(append(line, '\n'), id, result)
	if !stop() && err == nil {
		// ctx ended just as the answer came: the deadline may still land,
		// so this connection cannot be trusted for the next call.
		c.broken = fmt.Errorf("connection to the agent is closed after a cancelled call: %w", ctx.Err())
		defer c.nc.Close()
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Errorf("decode the agent's answer to %s: %w", method, err)
	case err != nil:
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		c.broken = fmt.Errorf("connection to the agent is closed after an earlier error: %w", err)
		c.nc.Close()
		return fmt.Errorf("%s: %w", method, err)
	case resp.Error != nil:
		return remoteError(resp.Error)
	}
	return nil
}

// roundTrip sends line and reads lines until the answer to id, decoding
// its result into result. Notifications and late answers to cancelled
// calls are skipped. Each line read is wiped (it may hold released values).
// A result of the wrong shape is a *json.UnmarshalTypeError.
func (c *Client) roundTrip(line []byte, id int64, result any) (response, error) {
	if _, err := c.nc.Write(line); err != nil {
		if rerr := readRefusal(c.nc); rerr != nil {
			return response{}, rerr
		}
		return response{}, fmt.Errorf("send to the agent: %w", err)
	}
	want := fmt.Sprint(id)
	for {
		b, err := c.lr.next()
		if err != nil {
			return response{}, fmt.Errorf("read the agent's answer: %w", err)
		}
		r := response{Result: result}
		err = json.Unmarshal(b, &r)
		clear(b)
		var typeErr *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &typeErr) {
			return response{}, errors.New("read the agent's answer: malformed line")
		}
		if r.Error != nil && string(r.ID) == "null" {
			return response{}, remoteError(r.Error)
		}
		if r.Method != "" || string(r.ID) != want {
			continue // a notification, or a late answer to a cancelled call
		}
		return r, err
	}
}

func remoteError(e *wireError) *RemoteError {
	re := &RemoteError{Code: e.Code, Message: e.Message}
	if e.Data != nil {
		re.Kind, re.Hint = e.Data.Kind, e.Data.Hint
	}
	return re
}

// readRefusal reads the one error line an agent sends before closing a
// connection it refused, after a write to it failed. It returns nil when
// there is none.
func readRefusal(nc net.Conn) error {
	_ = nc.SetReadDeadline(time.Now().Add(time.Second))
	b, err := newLineReader(nc, MaxMessage).next()
	if err != nil {
		return nil
	}
	var r response
	if json.Unmarshal(b, &r) != nil || r.Error == nil {
		return nil
	}
	return remoteError(r.Error)
}

// Typed helpers over Call.

// Status returns the agent's state.
func (c *Client) Status(ctx context.Context) (session.Status, error) {
	var s session.Status
	err := c.Call(ctx, "sciorex/status", nil, &s)
	return s, err
}

// Lock locks the vault.
func (c *Client) Lock(ctx context.Context) error { return c.Call(ctx, "sciorex/lock", nil, nil) }

// Unlock unlocks with password, or, when password is nil, makes the agent
// ask the human with its own dialog. It wipes password.
func (c *Client) Unlock(ctx context.Context, password []byte) error {
	if password == nil {
		return c.Call(ctx, "sciorex/unlock", nil, nil)
	}
	params := rawParams(appendJSONString([]byte(`{"password":`), password), '}')
	clear(password)
	defer clear(params)
	return c.Call(ctx, "sciorex/unlock", params, nil)
}

// List returns the secrets' metadata.
func (c *Client) List(ctx context.Context, r session.ListRequest) ([]session.SecretInfo, error) {
	var out []session.SecretInfo
	err := c.Call(ctx, "sciorex/list", r, &out)
	return out, err
}

// Set stores a secret; r.Value (when non-nil) is sent and wiped, otherwise
// the agent asks the human to type it.
func (c *Client) Set(ctx context.Context, r session.SetRequest) error {
	p := setParams{SetRequest: r, Value: r.Value}
	p.SetRequest.Value = nil
	b, err := json.Marshal(p)
	clear(r.Value)
	if err != nil {
		return fmt.Errorf("encode set request: %w", err)
	}
	defer clear(b)
	return c.Call(ctx, "sciorex/set", json.RawMessage(b), nil)
}

// Delete deletes a secret; scope "" lets the agent pick the session's.
func (c *Client) Delete(ctx context.Context, name, scope string) error {
	return c.Call(ctx, "sciorex/delete", map[string]string{"name": name, "scope": scope}, nil)
}

// SetAccess changes the AI access level; it returns how many secrets changed.
func (c *Client) SetAccess(ctx context.Context, r session.AccessRequest) (int, error) {
	var out struct {
		Changed int `json:"changed"`
	}
	err := c.Call(ctx, "sciorex/access", r, &out)
	return out.Changed, err
}

// Release asks the agent for the values of names to run command; the caller
// wipes each Value after starting the child.
func (c *Client) Release(ctx context.Context, names []string, command string) ([]session.EnvSecret, error) {
	var out []struct {
		Name  string `json:"name"`
		Env   string `json:"env"`
		Value []byte `json:"value"`
	}
	err := c.Call(ctx, "sciorex/release", map[string]any{"names": names, "command": command}, &out)
	if err != nil {
		for _, o := range out {
			clear(o.Value)
		}
		return nil, err
	}
	secrets := make([]session.EnvSecret, len(out))
	for i, o := range out {
		secrets[i] = session.EnvSecret{Name: o.Name, EnvName: o.Env, Value: session.NewValue(o.Value)}
	}
	return secrets, nil
}

// rawParams appends tail and returns the bytes as a RawMessage.
func rawParams(b []byte, tail byte) json.RawMessage { return json.RawMessage(append(b, tail)) }

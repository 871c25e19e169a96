package mcp

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/sciorex/sciorex-secrets/session"
)

// request is one in-flight request of a connection.
type request struct {
	key       string
	ctx       context.Context
	cancel    context.CancelFunc
	cancelled atomic.Bool // by notifications/cancelled

	mu      sync.Mutex
	reveals map[string]*session.Value // placeholder token -> value, for the response
}

func requestFromContext(ctx context.Context) *request {
	r, _ := ctx.Value(requestKey{}).(*request)
	return r
}

// reveal registers a value to go into this request's response and returns
// the placeholder the handler puts in its result instead. The value is
// spliced into the encoded response bytes at write time and then wiped, so
// it never becomes a Go string (see writeResponse).
func (r *request) reveal(v *session.Value) string {
	token := "sciorex-reveal-" + randomHex(16)
	if r == nil {
		v.Wipe()
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reveals == nil {
		r.reveals = map[string]*session.Value{}
	}
	r.reveals[token] = v
	return token
}

func (r *request) wipe() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, v := range r.reveals {
		v.Wipe()
		delete(r.reveals, k)
	}
}

// begin registers an in-flight request, enforcing MaxInflight and unique ids.
func (c *conn) begin(msg message) (*request, *wireError) {
	key := idKey(msg.id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.inflight[key]; dup {
		return nil, &wireError{Code: codeInvalidRequest, Message: "invalid request: this id is already in use by a request in progress"}
	}
	if len(c.inflight) >= MaxInflight {
		return nil, sessionError(fmt.Errorf("%w: more than %d requests in progress on this connection", session.ErrBusy, MaxInflight))
	}
	req := &request{key: key}
	req.ctx, req.cancel = context.WithCancel(context.WithValue(c.ctx, requestKey{}, req))
	c.inflight[key] = req
	return req, nil
}

// forget frees the request's slot and id. It is called before the answer is
// written, so a client may reuse both as soon as it has the answer.
func (c *conn) forget(req *request) {
	c.mu.Lock()
	if c.inflight[req.key] == req {
		delete(c.inflight, req.key)
	}
	c.mu.Unlock()
	req.cancel()
}

// end forgets the request and wipes any value it revealed.
func (c *conn) end(req *request) {
	c.forget(req)
	req.wipe()
}

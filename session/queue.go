package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// queue puts at most one dialog on screen at a time. Requests wait for the
// screen in arrival order (Go queues blocked channel senders first in,
// first out). Identical requests from one session that are waiting together
// share one decision, so an agent repeating itself opens one dialog.
type queue struct {
	a       *Agent
	screen  chan struct{} // capacity 1: holding the slot means owning the screen
	waiting atomic.Int64

	mu     sync.Mutex
	shared map[string]*decision
}

type decision struct {
	done chan struct{}
	err  error
}

func newQueue(a *Agent) *queue {
	return &queue{a: a, screen: make(chan struct{}, 1), shared: make(map[string]*decision)}
}

func (q *queue) pending() int { return int(q.waiting.Load()) }

// ask shows req to the human and returns nil only when the human allowed it
// while ctx was still live. When allowed, then (if not nil) runs while the
// screen is still held, for a follow-up dialog such as typing a value.
// Requests with a nil then and the same share key share one decision.
//
// Errors: ErrDenied, ErrTimeout, ErrCanceled (ctx ended), ErrLocked (the
// vault was locked meanwhile), ErrNoApprover, or what then returned.
func (q *queue) ask(ctx context.Context, req Request, then func(context.Context) error) error {
	if then != nil {
		return q.show(ctx, req, then)
	}
	key := shareKey(req)
	q.mu.Lock()
	if d, ok := q.shared[key]; ok {
		q.mu.Unlock()
		select {
		case <-d.done:
			return d.err
		case <-ctx.Done():
			return ErrCanceled
		}
	}
	d := &decision{done: make(chan struct{})}
	q.shared[key] = d
	q.mu.Unlock()

	d.err = q.show(ctx, req, nil)
	q.mu.Lock()
	delete(q.shared, key)
	q.mu.Unlock()
	close(d.done)
	return d.err
}

func shareKey(r Request) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%s", r.Agent.String(), r.Kind, strings.Join(r.Secrets, ","), r.Command)
}

func (q *queue) show(ctx context.Context, req Request, then func(context.Context) error) error {
	q.waiting.Add(1)
	q.a.changed()
	defer func() {
		q.waiting.Add(-1)
		q.a.changed()
	}()
	select {
	case q.screen <- struct{}{}:
	case <-ctx.Done():
		return ErrCanceled
	}
	defer func() { <-q.screen }()
	if ctx.Err() != nil {
		return ErrCanceled
	}
	if q.a.vault.Locked() {
		return ErrLocked
	}
	err := q.dialog(ctx, func(dctx context.Context) error {
		ok, err := q.a.ui.Approve(dctx, req)
		if ok && err == nil {
			return nil
		}
		if err == nil {
			return ErrDenied
		}
		return err
	})
	if err != nil || then == nil {
		return err
	}
	return q.dialog(ctx, then)
}

// dialog runs one dialog under the approval timeout, withdrawn when ctx
// ends or the vault is locked, and classifies the outcome. An answer that
// arrives after ctx ended counts for nothing.
func (q *queue) dialog(ctx context.Context, run func(context.Context) error) error {
	lctx, release := q.a.withdrawOnLock(ctx)
	defer release()
	dctx, cancel := context.WithTimeout(lctx, q.a.cfg.ApprovalTimeout)
	defer cancel()
	err := run(dctx)
	switch {
	case ctx.Err() != nil:
		return ErrCanceled
	case lctx.Err() != nil:
		return ErrLocked
	case dctx.Err() != nil:
		return ErrTimeout
	case err == nil:
		return nil
	case errors.Is(err, ErrDenied), errors.Is(err, ErrNoApprover), errors.Is(err, ErrTimeout):
		return err
	}
	return fmt.Errorf("%w: the dialog failed: %v", ErrDenied, err)
}

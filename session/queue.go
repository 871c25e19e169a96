package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// queue puts at most one dialog on screen at a time. Requests wait for the
// screen in arrival order (Go queues blocked channel senders first in,
// first out). Requests with the same share key that are waiting together
// share one decision, so an agent repeating a get opens one dialog (the
// session calls identical gets of one session so; their grant is one).
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
// Requests with the same non-empty share key share one decision; a request
// that shares one is withdrawn alone when its own ctx ends.
//
// Errors: ErrDenied, ErrTimeout, ErrCanceled (ctx ended), ErrLocked (the
// vault was locked meanwhile), ErrNoApprover, or what then returned.
func (q *queue) ask(ctx context.Context, req Request, key string, then func(context.Context) error) error {
	if key == "" || then != nil {
		return q.show(ctx, req, then)
	}
	for {
		q.mu.Lock()
		d, waiting := q.shared[key]
		if !waiting {
			d = &decision{done: make(chan struct{})}
			q.shared[key] = d
		}
		q.mu.Unlock()
		if !waiting {
			d.err = q.show(ctx, req, nil)
			q.mu.Lock()
			delete(q.shared, key)
			q.mu.Unlock()
			close(d.done)
			return d.err
		}
		select {
		case <-d.done:
		case <-ctx.Done():
			return ErrCanceled
		}
		if !errors.Is(d.err, ErrCanceled) {
			return d.err
		}
		// The request that was on screen was withdrawn by its own client;
		// this one still wants an answer: ask again.
	}
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

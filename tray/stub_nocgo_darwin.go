//go:build darwin && !cgo

package tray

import (
	"context"
	"fmt"
)

const noCgoReason = "tray needs a cgo build on macOS"

// Available reports false: systray needs cgo on macOS.
func Available() (bool, string) { return false, noCgoReason }

// Run always fails with [ErrUnavailable] in a build without cgo on macOS.
func Run(ctx context.Context, b Backend, opts Options) (stop func(), err error) {
	return nil, fmt.Errorf("%w: %s", ErrUnavailable, noCgoReason)
}

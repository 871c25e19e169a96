package vault

import (
	"errors"
	"fmt"
)

var errWouldBlock = errors.New("lock is held by another process")

func writeLockPath(path string) string { return path + ".lock" }
func agentLockPath(path string) string { return path + ".agent.lock" }

// Own marks this process as the agent of the vault at path, for as long as
// it runs or until release is called: an exclusive, non-blocking lock on
// "<path>.agent.lock". A second agent gets ErrInUse.
func Own(path string) (release func() error, err error) {
	release, err = lockFile(agentLockPath(path), false)
	if errors.Is(err, errWouldBlock) {
		return nil, fmt.Errorf("%w: %s", ErrInUse, path)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", agentLockPath(path), err)
	}
	return release, nil
}

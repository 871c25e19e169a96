package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/tray"
)

// settingsStore applies the tray's Settings submenu to the agent and saves
// them in the config file, so that they survive a restart.
type settingsStore struct {
	agent *session.Agent
	path  string
	mu    sync.Mutex
}

func (s *settingsStore) Settings() tray.Settings {
	st := s.agent.Settings()
	return tray.Settings{AutoLockMinutes: st.AutoLockMinutes, RememberUnlock: st.RememberUnlock}
}

func (s *settingsStore) SetAutoLock(minutes int) error {
	if err := s.agent.SetAutoLock(minutes); err != nil {
		return err
	}
	return s.save(func(c *Config) { c.AutoLockMinutes = minutes })
}

func (s *settingsStore) SetRememberUnlock(ctx context.Context, on bool) error {
	if err := s.agent.SetRememberUnlock(ctx, on); err != nil {
		return err
	}
	return s.save(func(c *Config) { c.Keyring = on })
}

// save rewrites the config file with one change, keeping the rest.
func (s *settingsStore) save(change func(*Config)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg, err := loadConfig(s.path)
	if err != nil {
		return err
	}
	change(&cfg)
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(s.path, append(b, '\n'))
}

// writeFileAtomic replaces path with data: temp file in the same folder,
// fsync, rename, so a crash leaves the old or the new file.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".config-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Config is the settings file (JSON), documented in README.md. Every
// field is optional.
type Config struct {
	Vault                  string   `json:"vault,omitempty"`                    // vault file
	KDF                    *KDF     `json:"kdf,omitempty"`                      // Argon2id cost for new vaults
	DefaultCollections     []string `json:"default_collections,omitempty"`      // created with a new vault
	DefaultAccess          string   `json:"default_access,omitempty"`           // deny, use (default), reveal
	AutoLockMinutes        int      `json:"auto_lock_minutes,omitempty"`        // 0: never
	ApprovalTimeoutSeconds int      `json:"approval_timeout_seconds,omitempty"` // default 60
	GrantTTLSeconds        int      `json:"grant_ttl_seconds,omitempty"`        // default 300
	Keyring                bool     `json:"keyring,omitempty"`                  // remember unlock in the OS keyring
	Askpass                string   `json:"askpass,omitempty"`                  // approval program, like SCIOREX_ASKPASS
}

// KDF is the Argon2id cost.
type KDF struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

func loadConfig(path string) (Config, error) {
	var c Config
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("cannot read the config file: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("config file %s is not valid JSON: %v", path, err)
	}
	return c, nil
}

func (c Config) approvalTimeout() time.Duration {
	return time.Duration(c.ApprovalTimeoutSeconds) * time.Second
}

func (c Config) grantTTL() time.Duration { return time.Duration(c.GrantTTLSeconds) * time.Second }

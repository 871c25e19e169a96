package vault

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestEnvName(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		ok        bool
	}{
		{"GITHUB_TOKEN", "GITHUB_TOKEN", true},
		{"api-key", "API_KEY", true},
		{"db.url", "DB_URL", true},
		{"lower", "LOWER", true},
		{"_x", "_X", true},
		{"-x", "_X", true},
		{"1TOKEN", "", false},
		{"a b", "", false},
		{"ÄPI", "", false},
		{"bad\nname", "", false},
		{"", "", false},
		{strings.Repeat("a", 128), strings.Repeat("A", 128), true},
		{strings.Repeat("a", 129), "", false},
	} {
		env, err := EnvName(tc.name)
		if (err == nil) != tc.ok || env != tc.env {
			t.Errorf("EnvName(%q) = %q, %v; want %q ok=%v", tc.name, env, err, tc.env, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidName) {
			t.Errorf("EnvName(%q) error does not wrap ErrInvalidName: %v", tc.name, err)
		}
		if err != nil && tc.name != "" && len(tc.name) <= MaxNameLen && !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.name)) {
			t.Errorf("EnvName(%q) error does not name it: %v", tc.name, err)
		}
	}
}

// TestCaseB17: names that are not shell variables are errors naming the
// secret, and two names mapping to one variable are refused, not merged.
func TestCaseB17(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "api-key"}, "v1-CANARY")
	_, err := v.Put(Secret{Name: "api_key"}, []byte("v2-CANARY"))
	if !errors.Is(err, ErrEnvConflict) || !strings.Contains(err.Error(), `"api-key"`) || !strings.Contains(err.Error(), `"api_key"`) {
		t.Fatalf("api_key next to api-key: %v, want ErrEnvConflict naming both", err)
	}
	// A project secret that a global one would meet in a resolution conflicts too.
	if _, err := v.Put(Secret{Name: "API.KEY", Scope: "/src/p"}, []byte("x")); !errors.Is(err, ErrEnvConflict) {
		t.Fatalf("API.KEY in a project: %v, want ErrEnvConflict", err)
	}
	// Disjoint projects never resolve together: allowed.
	mustPut(t, v, Secret{Name: "db.url", Scope: "/src/a"}, "x")
	mustPut(t, v, Secret{Name: "db_url", Scope: "/src/b"}, "y")
	if _, err := v.Put(Secret{Name: "DB_URL", Scope: "/src/a/sub"}, []byte("z")); !errors.Is(err, ErrEnvConflict) {
		t.Fatalf("nested project conflict: %v", err)
	}
	for _, bad := range []string{"a b", "ÄPI", "bad\nname", ""} {
		_, err := v.Put(Secret{Name: bad}, []byte("hunter2-CANARY"))
		if !errors.Is(err, ErrInvalidName) || strings.Contains(err.Error(), "CANARY") {
			t.Errorf("Put(%q) = %v, want ErrInvalidName without the value", bad, err)
		}
	}
	// 1TOKEN and lower are valid names; 1TOKEN has no variable, and says so.
	mustPut(t, v, Secret{Name: "1TOKEN"}, "x")
	mustPut(t, v, Secret{Name: "lower"}, "x")
	if _, err := EnvName("1TOKEN"); !errors.Is(err, ErrInvalidName) || !strings.Contains(err.Error(), `"1TOKEN"`) {
		t.Fatalf("EnvName(1TOKEN) = %v", err)
	}
	// $_ is the shell's own: a secret there would never reach the command.
	for _, name := range []string{"_", "-", "."} {
		if env, err := EnvName(name); !errors.Is(err, ErrInvalidName) || !strings.Contains(err.Error(), "$_") {
			t.Errorf("EnvName(%q) = %q, %v, want an error about $_", name, env, err)
		}
	}
	if env, err := EnvName("__"); env != "__" || err != nil {
		t.Errorf("EnvName(__) = %q, %v", env, err)
	}
}

func TestValidateLabels(t *testing.T) {
	for _, tc := range []struct {
		s  string
		ok bool
	}{
		{"GitHub", true}, {"Prod keys", true}, {"ключи", true}, {"", false}, {" x", false},
		{"a\tb", false}, {"a\u202eb", false}, {string([]byte{0xff}), false}, {strings.Repeat("x", 129), false},
	} {
		if err := validateLabel("collection", tc.s, MaxCollectionLen); (err == nil) != tc.ok {
			t.Errorf("validateLabel(%q) = %v, want ok=%v", tc.s, err, tc.ok)
		}
	}
}

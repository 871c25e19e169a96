package vault

import (
	"errors"
	"strings"
	"testing"
)

func TestResolveScopes(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "TOKEN"}, "global")
	mustPut(t, v, Secret{Name: "TOKEN", Scope: "/src/app"}, "app")
	mustPut(t, v, Secret{Name: "TOKEN", Scope: "/src/app/sub/"}, "sub")
	mustPut(t, v, Secret{Name: "ONLY", Scope: "/src/app"}, "only")
	mustPut(t, v, Secret{Name: "ROOT", Scope: "/"}, "root")
	for _, tc := range []struct {
		name, project, want string
	}{
		{"TOKEN", "", "global"},
		{"TOKEN", "/elsewhere", "global"},
		{"TOKEN", "/src/app", "app"},
		{"TOKEN", "/src/app/other", "app"},
		{"TOKEN", "/src/application", "global"},
		{"TOKEN", "/src/app/sub", "sub"},
		{"TOKEN", "/src/app/sub/deep/er", "sub"},
		{"TOKEN", "/src/app/./sub/", "sub"},
		{"ONLY", "/src/app/x", "only"},
		{"ONLY", "/src", ""},
		{"ONLY", "", ""},
		{"ROOT", "/anything", "root"},
	} {
		for range 3 { // deterministic
			s, err := v.Resolve(tc.name, tc.project)
			if tc.want == "" {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Resolve(%q, %q) = %v, want ErrNotFound", tc.name, tc.project, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Resolve(%q, %q): %v", tc.name, tc.project, err)
			}
			if got := reveal(t, v, s.ID); got != tc.want {
				t.Errorf("Resolve(%q, %q) = %q, want %q", tc.name, tc.project, got, tc.want)
			}
		}
	}
	if _, err := v.Resolve("TOKEN", "relative/dir"); !errors.Is(err, ErrInvalidName) {
		t.Errorf("relative project: %v", err)
	}
	if _, err := v.Put(Secret{Name: "X", Scope: "relative"}, []byte("x")); !errors.Is(err, ErrInvalidName) {
		t.Errorf("relative scope: %v", err)
	}
}

func TestListQuery(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "B", Scope: "/p", Collection: "Cloud", Tags: []string{"aws"}}, "x")
	mustPut(t, v, Secret{Name: "B", Collection: "Cloud"}, "x")
	mustPut(t, v, Secret{Name: "A", Description: "the Deploy key", Scope: "/q"}, "x")
	mustPut(t, v, Secret{Name: "C"}, "x")
	for _, tc := range []struct {
		q    Query
		want string
	}{
		{Query{}, "A@/q B@global B@/p C@global"},
		{Query{Project: "/p/x"}, "B@global B@/p C@global"},
		{Query{Search: "AWS"}, "B@/p"},
		{Query{Search: "deploy"}, "A@/q"},
		{Query{Search: "cloud"}, "B@global B@/p"},
		{Query{Collection: "CLOUD", Project: "/q"}, "B@global"},
		{Query{Collection: "clo"}, ""},
	} {
		got, err := v.List(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for i, x := range got {
			if i > 0 {
				s += " "
			}
			s += x.Name + "@" + x.Scope
		}
		if s != tc.want {
			t.Errorf("List(%+v) = %q, want %q", tc.q, s, tc.want)
		}
	}
}

func TestParseAccess(t *testing.T) {
	for _, s := range []string{"deny", "use", "reveal"} {
		if a, err := ParseAccess(s); err != nil || string(a) != s {
			t.Errorf("ParseAccess(%q) = %q, %v", s, a, err)
		}
	}
	for _, s := range []string{"", "USE", "allow"} {
		if _, err := ParseAccess(s); !errors.Is(err, ErrInvalidName) {
			t.Errorf("ParseAccess(%q) = %v", s, err)
		}
	}
}

// List marks the global secrets that a project secret hides in the
// project, both when it lists only what applies there and when it lists
// every scope (the CLI's view).
func TestListMarksShadowed(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "TOKEN"}, "global")
	mustPut(t, v, Secret{Name: "TOKEN", Scope: "/src/app"}, "app")
	mustPut(t, v, Secret{Name: "OTHER"}, "other")
	mustPut(t, v, Secret{Name: "ELSE", Scope: "/src/else"}, "else")
	for _, tc := range []struct {
		q    Query
		want string // name@scope, * when shadowed
	}{
		{Query{}, "ELSE@/src/else OTHER@global TOKEN@global TOKEN@/src/app"},
		{Query{Project: "/src/app/x"}, "OTHER@global TOKEN@global* TOKEN@/src/app"},
		{Query{Project: "/src/app", AllScopes: true}, "ELSE@/src/else OTHER@global TOKEN@global* TOKEN@/src/app"},
		{Query{Project: "/elsewhere"}, "OTHER@global TOKEN@global"},
	} {
		list, err := v.List(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			mark := ""
			if s.Shadowed {
				mark = "*"
			}
			got = append(got, s.Name+"@"+s.Scope+mark)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("List(%+v) = %s, want %s", tc.q, g, tc.want)
		}
	}
}

// ResolveEnv finds a secret by its variable, by the scope rule of Resolve.
func TestResolveEnv(t *testing.T) {
	v := newTestVault(t)
	mustPut(t, v, Secret{Name: "api-key"}, "global")
	mustPut(t, v, Secret{Name: "api-key", Scope: "/src/app"}, "app")
	mustPut(t, v, Secret{Name: "only.here", Scope: "/src/app"}, "here")
	for _, tc := range []struct{ env, project, want string }{
		{"API_KEY", "", "global"},
		{"API_KEY", "/src/app/sub", "app"},
		{"API_KEY", "/elsewhere", "global"},
		{"ONLY_HERE", "/src/app", "here"},
		{"ONLY_HERE", "/src", ""},
		{"NOPE", "/src/app", ""},
	} {
		s, err := v.ResolveEnv(tc.env, tc.project)
		if tc.want == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("ResolveEnv(%s, %q) = %v, want ErrNotFound", tc.env, tc.project, err)
			}
			continue
		}
		if err != nil || reveal(t, v, s.ID) != tc.want {
			t.Errorf("ResolveEnv(%s, %q) = %v, want %q", tc.env, tc.project, err, tc.want)
		}
	}
	if s, err := v.Find("api-key", "/src/app"); err != nil || reveal(t, v, s.ID) != "app" {
		t.Errorf("Find = %v", err)
	}
	if _, err := v.Find("api-key", "/src"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find in another scope = %v", err)
	}
}

package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeDefaults(t *testing.T) {
	c := mustParse(t, base, nil)
	s := c.Serve
	if s.Listen != ":2222" || s.IdleTimeout != 10*time.Minute || s.MaxSessions != 256 || s.AuthFailuresPerIP != 30 {
		t.Errorf("serve defaults = %+v", s)
	}
	if got, want := c.HostKeyPath(), filepath.Join(c.StateDir, "ssh_host_ed25519_key"); got != want {
		t.Errorf("HostKeyPath = %q, want %q (in the state folder)", got, want)
	}
}

func TestServeParse(t *testing.T) {
	c := mustParse(t, base+`serve:
  listen: 127.0.0.1:2022
  host_key: keys/host
  authorized_keys: ~/ak
  user_ca: ["ssh-ed25519 AAAA ca"]
  idle_timeout: 2m
  max_sessions: 40
  auth_failures_per_minute: 5
  users:
    - name: ana
      role: Commander
      keys: ["ssh-ed25519 AAAA ana"]
    - name: bo
      keys:
        - ssh-ed25519 BBBB bo
        - ssh-ed25519 CCCC bo-laptop
`, nil)
	s := c.Serve
	if s.Listen != "127.0.0.1:2022" || s.IdleTimeout != 2*time.Minute || s.MaxSessions != 40 || s.AuthFailuresPerIP != 5 || s.Line != 8 {
		t.Errorf("serve = %+v", s)
	}
	if !filepath.IsAbs(s.HostKey) || !strings.HasSuffix(s.HostKey, "keys/host") || c.HostKeyPath() != s.HostKey {
		t.Errorf("host_key %q: want it absolute, beside the file", s.HostKey)
	}
	if strings.HasPrefix(s.AuthorizedKeys, "~") || !strings.HasSuffix(s.AuthorizedKeys, "/ak") {
		t.Errorf("authorized_keys %q: want ~ expanded", s.AuthorizedKeys)
	}
	if len(s.UserCAs) != 1 || len(s.Users) != 2 {
		t.Fatalf("user_ca %q users %+v", s.UserCAs, s.Users)
	}
	if u := s.Users[0]; u.Name != "ana" || u.Role != "commander" || len(u.Keys) != 1 || u.Line != 16 {
		t.Errorf("users[0] = %+v, want ana, commander (lower-cased), one key, line 16", u)
	}
	if u := s.Users[1]; u.Role != "observer" || len(u.Keys) != 2 {
		t.Errorf("users[1] = %+v, want observer by default and two keys", u)
	}
}

func TestServeErrorsNameFileLineAndField(t *testing.T) {
	_, err := Parse("warroom.yaml", []byte(base+`serve:
  max_sessions: -1
  idle_timeout: forever
  users:
    - name: ana
      role: boss
      keys: ["k"]
    - name: ana
      keys: ["k2"]
    - name: li
`), nil)
	got := map[string]string{}
	for _, e := range fieldErrors(t, err) {
		got[e.Field] = e.Error()
	}
	for field, want := range map[string]string{
		"serve.max_sessions":  `warroom.yaml:8: serve.max_sessions: "-1" must be at least 1`,
		"serve.idle_timeout":  `warroom.yaml:9: serve.idle_timeout: "forever" is not a duration`,
		"serve.users[0].role": `warroom.yaml:12: serve.users[0].role: "boss" is not one of commander, operator, comms, observer`,
		"serve.users[1].name": `warroom.yaml:14: serve.users[1].name: "ana" is already serve.users[0] (line 11)`,
		"serve.users[2].keys": `warroom.yaml:16: serve.users[2].keys: missing`,
	} {
		if !strings.Contains(got[field], want) {
			t.Errorf("%s: got %q, want it to contain %q (all: %v)", field, got[field], want, err)
		}
	}
}

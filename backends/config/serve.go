package config

import (
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Serve configures `warroom serve`: where it listens, its host key, and who
// may log in with which role.
type Serve struct {
	Listen  string // listen address, default ":2222"
	HostKey string // ed25519 host key file, created on first start; "" = <state_dir>/ssh_host_ed25519_key
	// Users are people listed in the file, each with one or more keys.
	Users []ServeUser
	// AuthorizedKeys is an OpenSSH authorized_keys file whose lines carry
	// name and role (comment "NAME role=ROLE" or environment= options).
	AuthorizedKeys string
	// UserCAs are trusted user certificate authorities, authorized_keys
	// format; a certificate's first principal is the name.
	UserCAs           []string
	IdleTimeout       time.Duration // a silent peer is closed after it, default 10m
	MaxSessions       int           // sessions open at once, default 256
	AuthFailuresPerIP int           // failed authentications per remote address per minute before it is refused, default 30
	Line              int           // line of serve: in the file
}

// ServeUser is one person of serve.users.
type ServeUser struct {
	Name string
	Role string // commander | operator | comms | observer, default observer
	Keys []string
	Line int
}

// Defaults of the serve: section.
const (
	DefaultListen            = ":2222"
	DefaultHostKeyName       = "ssh_host_ed25519_key"
	DefaultIdleTimeout       = 10 * time.Minute
	DefaultMaxSessions       = 256
	DefaultAuthFailuresPerIP = 30
)

// ServeRoles are the roles a serve user may have.
func ServeRoles() []string { return []string{"commander", "operator", "comms", "observer"} }

// HostKeyPath is the host key file: serve.host_key or the default in the state folder.
func (c *Config) HostKeyPath() string {
	if c.Serve.HostKey != "" {
		return c.Serve.HostKey
	}
	return filepath.Join(c.StateDir, DefaultHostKeyName)
}

var (
	serveKeys     = []string{"listen", "host_key", "users", "authorized_keys", "user_ca", "idle_timeout", "max_sessions", "auth_failures_per_minute"}
	serveUserKeys = []string{"name", "role", "keys"}
)

// serve decodes the serve: section over the defaults already in x.
func (d *decoder) serve(n *yaml.Node, path string, x *Serve) {
	x.Line = n.Line
	pairs, _ := d.mapping(n, path, "a map with listen:, host_key:, users:, authorized_keys:, user_ca:, …", serveKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "listen":
			d.str(p.Val, p.Path, &x.Listen)
		case "host_key":
			if d.str(p.Val, p.Path, &x.HostKey) {
				x.HostKey = d.besideFile(p.Path, x.HostKey)
			}
		case "users":
			d.each(p.Val, p.Path, "users", func(it *yaml.Node, at string) {
				x.Users = append(x.Users, d.serveUser(it, at))
			})
		case "authorized_keys":
			if d.str(p.Val, p.Path, &x.AuthorizedKeys) {
				x.AuthorizedKeys = d.besideFile(p.Path, x.AuthorizedKeys)
			}
		case "user_ca":
			d.strings(p.Val, p.Path, &x.UserCAs)
		case "idle_timeout":
			d.duration(p.Val, p.Path, &x.IdleTimeout)
		case "max_sessions":
			d.integer(p.Val, p.Path, &x.MaxSessions)
		case "auth_failures_per_minute":
			d.integer(p.Val, p.Path, &x.AuthFailuresPerIP)
		}
	}
}

func (d *decoder) serveUser(n *yaml.Node, path string) ServeUser {
	u := ServeUser{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, role:, keys:", serveUserKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &u.Name)
		case "role":
			if d.str(p.Val, p.Path, &u.Role) {
				u.Role = strings.ToLower(strings.TrimSpace(u.Role))
			}
		case "keys":
			d.strings(p.Val, p.Path, &u.Keys)
		}
	}
	return u
}

// besideFile expands ~ and makes a relative path relative to the config
// file's folder, as state_dir is.
func (d *decoder) besideFile(path, p string) string {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "~") && p != "~" && !strings.HasPrefix(p, "~/") {
		d.Fail(d.line(path), path, "%s: ~user is not supported; write the full path", d.show(path, p))
		return p
	}
	home, err := expandHome(p)
	if err != nil {
		d.Fail(d.line(path), path, "cannot expand ~ (%v); write an absolute path", err)
		return p
	}
	if home != "" && !filepath.IsAbs(home) && d.errs.File != "" {
		home = filepath.Join(filepath.Dir(d.errs.File), home)
		if abs, err := filepath.Abs(home); err == nil {
			home = abs
		}
	}
	return home
}

// applyDefaults fills the unset limits.
func (x *Serve) applyDefaults() {
	x.Listen = or(x.Listen, DefaultListen)
	orDur(&x.IdleTimeout, DefaultIdleTimeout)
	if x.MaxSessions == 0 {
		x.MaxSessions = DefaultMaxSessions
	}
	if x.AuthFailuresPerIP == 0 {
		x.AuthFailuresPerIP = DefaultAuthFailuresPerIP
	}
	for i := range x.Users {
		x.Users[i].Role = or(x.Users[i].Role, "observer")
	}
}

// checkServe checks the serve: section. Keys themselves are parsed by the
// server, which reports a bad one with its user and line and still admits
// the others.
func checkServe(k *checker, x *Serve) {
	positive(k, "serve.idle_timeout", x.IdleTimeout)
	atLeastOne(k, "serve.max_sessions", x.MaxSessions)
	atLeastOne(k, "serve.auth_failures_per_minute", x.AuthFailuresPerIP)
	names := map[string]int{}
	for i, u := range x.Users {
		p := index("serve.users", i)
		switch {
		case strings.TrimSpace(u.Name) == "":
			k.fail(join(p, "name"), "missing; every user needs a name, e.g. name: li.wei")
		default:
			if j, dup := names[u.Name]; dup {
				k.fail(join(p, "name"), "%s is already serve.users[%d]%s; list each person once with all their keys",
					k.show(join(p, "name"), u.Name), j, onLine(x.Users[j].Line))
			}
			names[u.Name] = i
		}
		oneOf(k, join(p, "role"), u.Role, ServeRoles()...)
		if len(u.Keys) == 0 {
			k.fail(join(p, "keys"), "missing; list the person's public keys (the lines of their ~/.ssh/id_ed25519.pub)")
		}
	}
}

// DefaultServe is the serve: section of a file that leaves it out.
func DefaultServe() Serve {
	x := Serve{}
	x.applyDefaults()
	return x
}

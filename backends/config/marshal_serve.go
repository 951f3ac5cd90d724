package config

import "gopkg.in/yaml.v3"

// serve writes the serve: section. Paths are written as Parse left them
// (absolute, ~ expanded), so they read back the same beside the same file.
// Public keys are long: their lists go one key a line.
func (w writer) serve(x *Serve) *yaml.Node {
	const p = "serve"
	n := w.m("listen", w.s(join(p, "listen"), x.Listen))
	w.add(n, p, "host_key", x.HostKey != "", w.s(join(p, "host_key"), x.HostKey))
	user := func(u *ServeUser, up string) *yaml.Node {
		return w.m("name", w.s(join(up, "name"), u.Name), "role", w.s(join(up, "role"), u.Role),
			"keys", w.strs(join(up, "keys"), u.Keys, false))
	}
	w.add(n, p, "users", len(x.Users) > 0, items(join(p, "users"), x.Users, user))
	w.add(n, p, "authorized_keys", x.AuthorizedKeys != "", w.s(join(p, "authorized_keys"), x.AuthorizedKeys))
	w.add(n, p, "user_ca", len(x.UserCAs) > 0, w.strs(join(p, "user_ca"), x.UserCAs, false))
	n.Content = append(n.Content,
		w.key("idle_timeout"), w.d(join(p, "idle_timeout"), x.IdleTimeout),
		w.key("max_sessions"), w.i(join(p, "max_sessions"), x.MaxSessions),
		w.key("auth_failures_per_minute"), w.i(join(p, "auth_failures_per_minute"), x.AuthFailuresPerIP))
	return n
}

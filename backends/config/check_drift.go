package config

import "fmt"

// DriftNotes says plainly where drift (a mirror serving other content than
// the origin's of the same cycle) cannot be detected, one line per mirror,
// with where it is written: the config is valid, but `check` must not let
// a blind spot pass as "ok".
func (c *Config) DriftNotes() []string {
	var out []string
	note := func(field, name, format string, args ...any) {
		where := field
		if l := c.Line(field); l > 0 {
			where = fmt.Sprintf("%s:%d: %s", c.Path, l, field)
		}
		out = append(out, fmt.Sprintf("%s (%s): %s", where, name, fmt.Sprintf(format, args...)))
	}
	if c.Origin.Manifest == "" {
		note("origin", c.Origin.Name, "no manifest: no mirror can be checked for drift; set manifest: (e.g. under defaults:)")
		return out
	}
	for i, m := range c.Mirrors {
		p := index("mirrors", i)
		switch {
		case m.Manifest == "":
			note(p, m.Name, "no manifest: drift is not checked on this mirror")
		case m.Lag.Kind == LagNone || m.Lag.Kind == "":
			note(p, m.Name, "lag kind none: drift cannot be detected, it needs a serial or sync time to know which origin manifest to compare with")
		case (m.Lag.Kind == LagBeacon || m.Lag.Kind == LagLastModified) && m.Lag.Kind != c.Origin.Lag.Kind:
			note(p, m.Name, "lag kind %s, the origin's is %s: drift is found by equal sync times, so read both from the same kind of source", m.Lag.Kind, or(c.Origin.Lag.Kind, LagNone))
		}
	}
	return out
}

package config

import (
	"slices"
	"strings"
)

// checkRoutes checks alerting.routes: unique names, receivers that are
// notify.channels entries, match values an alert can have, and timings.
func checkRoutes(k *checker, c *Config) {
	channels := map[string]bool{}
	for _, ch := range c.Notify.Channels {
		channels[ch.Name] = true
	}
	names := map[string]int{}
	for i := range c.Alerting.Routes {
		r := &c.Alerting.Routes[i]
		p := index("alerting.routes", i)
		if strings.TrimSpace(r.Name) == "" {
			k.fail(join(p, "name"), "empty; name the route, e.g. name: critical, or leave name out")
		} else if j, dup := names[r.Name]; dup {
			k.fail(join(p, "name"), "%s is already the name of alerting.routes[%d]%s; names must be unique",
				k.show(join(p, "name"), r.Name), j, onLine(c.Alerting.Routes[j].Line))
		} else {
			names[r.Name] = i
		}
		if len(r.Receivers)+len(r.Escalate) == 0 {
			k.fail(join(p, "receivers"), "missing; route %q sends to nobody: list notify.channels names, e.g. receivers: [ops-slack]", r.Name)
		}
		checkReceivers(k, r.Name, join(p, "receivers"), r.Receivers, channels)
		checkReceivers(k, r.Name, join(p, "escalate"), r.Escalate, channels)
		checkAlertMatch(k, join(p, "match"), r.Match)
		positive(k, join(p, "group_wait"), r.GroupWait)
		positive(k, join(p, "group_interval"), r.GroupInterval)
		positive(k, join(p, "repeat_interval"), r.RepeatInterval)
	}
}

func checkReceivers(k *checker, route, path string, names []string, channels map[string]bool) {
	for j, name := range names {
		if !channels[name] {
			k.fail(index(path, j), "route %q sends to %s, which is not in notify.channels; add the channel or fix the name",
				route, k.show(index(path, j), name))
		}
	}
}

// checkAlertMatch refuses values no alert has: such a route never matches.
func checkAlertMatch(k *checker, path string, m AlertMatch) {
	lists := []struct {
		key     string
		vs      []string
		allowed []string
	}{
		{"severity", m.Severity, []string{"critical", "warning"}},
		{"kind", m.Kind, AlertKindNames},
		{"level", m.Level, AlertLevelNames},
	}
	for _, l := range lists {
		for j, v := range l.vs {
			if !slices.Contains(l.allowed, v) {
				at := index(join(path, l.key), j)
				k.fail(at, "%s is not an alert %s; use %s", k.show(at, v), l.key, strings.Join(l.allowed, ", "))
			}
		}
	}
	for _, l := range []struct {
		key string
		vs  []string
	}{{"mirror", m.Mirror}, {"region", m.Region}} {
		for j, v := range l.vs {
			if strings.TrimSpace(v) == "" {
				k.fail(index(join(path, l.key), j), "empty; name a %s or remove the item", l.key)
			}
		}
	}
}

package config

import "gopkg.in/yaml.v3"

// alerting writes the alerting: section; nil when nothing in it is set.
// Each part adds itself here.
func (w writer) alerting(a *Alerting) *yaml.Node {
	const p = "alerting"
	n := w.m()
	w.add(n, p, "routes", len(a.Routes) > 0, items(join(p, "routes"), a.Routes, w.route))
	w.alertKinds(n, a)
	w.add(n, p, "maintenance", len(a.Maintenance) > 0, items(join(p, "maintenance"), a.Maintenance, w.maintenance))
	if len(n.Content) == 0 {
		return nil
	}
	return n
}

// route writes one route whole: its timings and flags are settings.
func (w writer) route(r *Route, p string) *yaml.Node {
	n := w.m("name", w.s(join(p, "name"), r.Name))
	mp, m := join(p, "match"), &r.Match
	match := w.m()
	for _, l := range []struct {
		key string
		vs  []string
	}{{"severity", m.Severity}, {"kind", m.Kind}, {"mirror", m.Mirror}, {"region", m.Region}, {"level", m.Level}} {
		w.add(match, mp, l.key, len(l.vs) > 0, w.strs(join(mp, l.key), l.vs, true))
	}
	w.add(n, p, "match", len(match.Content) > 0, match)
	w.add(n, p, "receivers", len(r.Receivers) > 0, w.strs(join(p, "receivers"), r.Receivers, true))
	w.add(n, p, "escalate", len(r.Escalate) > 0, w.strs(join(p, "escalate"), r.Escalate, true))
	n.Content = append(n.Content,
		w.key("group_wait"), w.d(join(p, "group_wait"), r.GroupWait),
		w.key("group_interval"), w.d(join(p, "group_interval"), r.GroupInterval),
		w.key("repeat_interval"), w.d(join(p, "repeat_interval"), r.RepeatInterval),
		w.key("resolved"), w.b(join(p, "resolved"), r.Resolved),
		w.key("continue"), w.b(join(p, "continue"), r.Continue))
	return n
}

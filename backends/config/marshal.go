package config

import (
	"gopkg.in/yaml.v3"
	"maps"
	"slices"
)

// Marshal writes the effective config (defaults filled in, every mirror
// spelled out) as YAML that Parse reads back to an equal Config. Values that
// came from ${ENV} are written as their ${NAME} text, so the output can be
// shown or shared without secrets; other values, URLs included, are written
// as they are. Settings are always written; lists, maps and optional text
// only when set, since leaving them out reads back the same.
func (c *Config) Marshal() ([]byte, error) {
	w := writer{c: c}
	root := w.m(
		"site", w.s("site", c.Site),
		"state_dir", w.s("state_dir", c.StateDir),
		"theme", w.s("theme", c.Theme),
		"keymap", w.s("keymap", c.Keymap),
	)
	if len(c.Keys) > 0 {
		keys := w.m()
		for _, a := range slices.Sorted(maps.Keys(c.Keys)) {
			keys.Content = append(keys.Content, w.key(a), w.strs(join("keys", a), c.Keys[a], true))
		}
		root.Content = append(root.Content, w.key("keys"), keys)
	}
	root.Content = append(root.Content, w.key("origin"), w.mirror(&c.Origin, "origin", true))
	mirrors := items("mirrors", c.Mirrors, func(m *Mirror, at string) *yaml.Node { return w.mirror(m, at, false) })
	t := &c.Thresholds
	h := &c.Hosts
	hosts := w.m(
		"interval", w.d("hosts.interval", h.Interval),
		"history", w.i("hosts.history", h.History),
		"disk_path", w.s("hosts.disk_path", h.DiskPath),
	)
	w.fleet(hosts, h)
	root.Content = append(root.Content,
		w.key("mirrors"), mirrors,
		w.key("thresholds"), w.m(
			"lag_warning", w.d("thresholds.lag_warning", t.LagWarning),
			"lag_critical", w.d("thresholds.lag_critical", t.LagCritical),
			"latency_factor", w.f("thresholds.latency_factor", t.LatencyFactor),
			"latency_floor", w.d("thresholds.latency_floor", t.LatencyFloor),
			"error_rate", w.f("thresholds.error_rate", t.ErrorRate),
			"tls_expiry_warning", w.d("thresholds.tls_expiry_warning", t.TLSExpiryWarning),
			"cpu_percent", w.f("thresholds.cpu_percent", t.CPUPercent),
			"memory_percent", w.f("thresholds.memory_percent", t.MemoryPercent),
			"disk_percent", w.f("thresholds.disk_percent", t.DiskPercent),
			"sustain", w.d("thresholds.sustain", t.Sustain),
			"ack_within", w.d("thresholds.ack_within", t.AckWithin),
			"lag_clear", w.d("thresholds.lag_clear", t.LagClear),
			"disk_latency", w.d("thresholds.disk_latency", t.DiskLatency),
			"error_5xx", w.f("thresholds.error_5xx", t.Error5xx),
			"response_factor", w.f("thresholds.response_factor", t.ResponseFactor),
		),
		w.key("hosts"), hosts,
		w.key("actions"), w.actions(&c.Actions),
		w.key("notify"), w.notify(&c.Notify),
	)
	if a := w.alerting(&c.Alerting); a != nil {
		root.Content = append(root.Content, w.key("alerting"), a)
	}
	root.Content = append(root.Content,
		w.key("incident"), w.incident(&c.Incident),
		w.key("serve"), w.serve(&c.Serve),
	)
	if c.Cluster.Enabled() {
		root.Content = append(root.Content, w.key("cluster"), w.cluster(&c.Cluster))
	}
	if c.Intake.Enabled() || c.Intake.Token != "" {
		root.Content = append(root.Content, w.key("intake"), w.intake(&c.Intake))
	}
	if c.Metrics.Enabled() {
		root.Content = append(root.Content, w.key("metrics"), w.metrics(&c.Metrics))
	}
	return yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}})
}

// incident writes the incident: section whole: its values are all settings.
func (w writer) incident(x *Incident) *yaml.Node {
	const p, pp = "incident", "incident.propose"
	pr := &x.Propose
	propose := w.m()
	w.add(propose, pp, "off", pr.Off, w.b(join(pp, "off"), pr.Off))
	propose.Content = append(propose.Content,
		w.key("critical_alerts"), w.i(join(pp, "critical_alerts"), pr.CriticalAlerts),
		w.key("mirrors_down"), w.i(join(pp, "mirrors_down"), pr.MirrorsDown),
		w.key("regions_down"), w.i(join(pp, "regions_down"), pr.RegionsDown),
		w.key("all_down"), w.b(join(pp, "all_down"), pr.AllDown))
	return w.m(
		"rto", w.d(join(p, "rto"), x.RTO),
		"rpo", w.d(join(p, "rpo"), x.RPO),
		"propose", propose,
	)
}

func (w writer) mirror(m *Mirror, p string, isOrigin bool) *yaml.Node {
	u := ""
	if m.URL != nil {
		u = m.URL.String()
	}
	n := w.m("name", w.s(join(p, "name"), m.Name), "url", w.s(join(p, "url"), u))
	w.add(n, p, "region", m.Region != "", w.s(join(p, "region"), m.Region))
	if !isOrigin {
		n.Content = append(n.Content,
			w.key("role"), w.s(join(p, "role"), m.Role),
			w.key("priority"), w.i(join(p, "priority"), m.Priority),
			w.key("weight"), w.i(join(p, "weight"), m.Weight))
	}
	hp := join(p, "health")
	h := &m.Health
	n.Content = append(n.Content, w.key("health"), w.m(
		"path", w.s(join(hp, "path"), h.Path),
		"method", w.s(join(hp, "method"), h.Method),
		"expect_status", w.ints(join(hp, "expect_status"), h.ExpectStatus),
		"interval", w.d(join(hp, "interval"), h.Interval),
		"timeout", w.d(join(hp, "timeout"), h.Timeout),
		"retry_interval", w.d(join(hp, "retry_interval"), h.RetryInterval),
		"fail_after", w.i(join(hp, "fail_after"), h.FailAfter),
		"recover_after", w.i(join(hp, "recover_after"), h.RecoverAfter),
		"insecure", w.b(join(hp, "insecure"), h.Insecure),
	))
	lp := join(p, "lag")
	if m.Lag.Kind == LagNone {
		n.Content = append(n.Content, w.key("lag"), w.m("kind", w.s(join(lp, "kind"), "none")))
	} else {
		lag := w.m("kind", w.s(join(lp, "kind"), m.Lag.Kind), "path", w.s(join(lp, "path"), m.Lag.Path))
		if m.Lag.Kind == LagJSON {
			lag.Content = append(lag.Content,
				w.key("time_field"), w.s(join(lp, "time_field"), m.Lag.TimeField),
				w.key("serial_field"), w.s(join(lp, "serial_field"), m.Lag.SerialField),
				w.key("version_field"), w.s(join(lp, "version_field"), m.Lag.VersionField))
		}
		n.Content = append(n.Content, w.key("lag"), lag)
	}
	n.Content = append(n.Content,
		w.key("manifest"), w.s(join(p, "manifest"), m.Manifest),
		w.key("syncing"), w.s(join(p, "syncing"), m.Syncing))
	w.add(n, p, "host", m.Host != "", w.s(join(p, "host"), m.Host))
	return n
}

package config

import (
	"sort"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Marshal writes the effective config (defaults filled in, every mirror
// spelled out) as YAML that Parse reads back to an equal Config. Values that
// came from ${ENV} are written as their ${NAME} text, so the output can be
// shown or shared without secrets; other values, URLs included, are written
// as they are.
func (c *Config) Marshal() ([]byte, error) {
	w := writer{c: c}
	root := w.m(
		"site", w.s("site", c.Site),
		"state_dir", w.s("state_dir", c.StateDir),
		"theme", w.s("theme", c.Theme),
		"keymap", w.s("keymap", c.Keymap),
	)
	if len(c.Keys) > 0 {
		actions := make([]string, 0, len(c.Keys))
		for a := range c.Keys {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		keys := w.m()
		for _, a := range actions {
			list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for i, k := range c.Keys[a] {
				list.Content = append(list.Content, w.s(index(join("keys", a), i), k))
			}
			keys.Content = append(keys.Content, w.key(a), list)
		}
		root.Content = append(root.Content, w.key("keys"), keys)
	}
	root.Content = append(root.Content, w.key("origin"), w.mirror(&c.Origin, "origin", true))
	mirrors := &yaml.Node{Kind: yaml.SequenceNode}
	for i := range c.Mirrors {
		mirrors.Content = append(mirrors.Content, w.mirror(&c.Mirrors[i], index("mirrors", i), false))
	}
	t := &c.Thresholds
	h := &c.Hosts
	root.Content = append(root.Content,
		w.key("mirrors"), mirrors,
		w.key("thresholds"), w.m(
			"lag_warning", w.d("thresholds.lag_warning", t.LagWarning),
			"lag_critical", w.d("thresholds.lag_critical", t.LagCritical),
			"latency_factor", w.f("thresholds.latency_factor", t.LatencyFactor),
			"error_rate", w.f("thresholds.error_rate", t.ErrorRate),
			"tls_expiry_warning", w.d("thresholds.tls_expiry_warning", t.TLSExpiryWarning),
			"cpu_percent", w.f("thresholds.cpu_percent", t.CPUPercent),
			"memory_percent", w.f("thresholds.memory_percent", t.MemoryPercent),
			"disk_percent", w.f("thresholds.disk_percent", t.DiskPercent),
			"sustain", w.d("thresholds.sustain", t.Sustain),
			"ack_within", w.d("thresholds.ack_within", t.AckWithin),
		),
		w.key("hosts"), w.m(
			"interval", w.d("hosts.interval", h.Interval),
			"history", w.i("hosts.history", h.History),
			"disk_path", w.s("hosts.disk_path", h.DiskPath),
		),
	)
	return yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}})
}

// writer builds yaml nodes, putting a secret field's ${NAME} text in place
// of its value.
type writer struct{ c *Config }

func (w writer) key(k string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
}

// m builds a map from alternating keys and value nodes.
func (w writer) m(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, w.key(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

func (w writer) scalar(field, v, tag string) *yaml.Node {
	if raw, ok := w.c.secrets[field]; ok {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: raw}
	}
	if tag == "!!str" {
		v = escapeDollar(v)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
}

func (w writer) s(field, v string) *yaml.Node { return w.scalar(field, v, "!!str") }
func (w writer) i(field string, v int) *yaml.Node {
	return w.scalar(field, strconv.Itoa(v), "!!int")
}
func (w writer) f(field string, v float64) *yaml.Node {
	return w.scalar(field, strconv.FormatFloat(v, 'g', -1, 64), "")
}
func (w writer) d(field string, v time.Duration) *yaml.Node { return w.s(field, formatDuration(v)) }

func (w writer) mirror(m *Mirror, p string, isOrigin bool) *yaml.Node {
	u := ""
	if m.URL != nil {
		u = m.URL.String()
	}
	n := w.m("name", w.s(join(p, "name"), m.Name), "url", w.s(join(p, "url"), u))
	if m.Region != "" {
		n.Content = append(n.Content, w.key("region"), w.s(join(p, "region"), m.Region))
	}
	if !isOrigin {
		n.Content = append(n.Content,
			w.key("role"), w.s(join(p, "role"), m.Role),
			w.key("priority"), w.i(join(p, "priority"), m.Priority),
			w.key("weight"), w.i(join(p, "weight"), m.Weight))
	}
	hp := join(p, "health")
	h := &m.Health
	status := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for i, s := range h.ExpectStatus {
		status.Content = append(status.Content, w.i(index(join(hp, "expect_status"), i), s))
	}
	insecure := "false"
	if h.Insecure {
		insecure = "true"
	}
	n.Content = append(n.Content, w.key("health"), w.m(
		"path", w.s(join(hp, "path"), h.Path),
		"method", w.s(join(hp, "method"), h.Method),
		"expect_status", status,
		"interval", w.d(join(hp, "interval"), h.Interval),
		"timeout", w.d(join(hp, "timeout"), h.Timeout),
		"fail_after", w.i(join(hp, "fail_after"), h.FailAfter),
		"recover_after", w.i(join(hp, "recover_after"), h.RecoverAfter),
		"insecure", w.scalar(join(hp, "insecure"), insecure, "!!bool"),
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
	return n
}

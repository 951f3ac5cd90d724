package config

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Allowed keys per map, in the order the docs list them.
var (
	topKeys       = []string{"site", "state_dir", "theme", "keymap", "keys", "defaults", "origin", "mirrors", "thresholds", "hosts", "actions", "notify", "alerting", "incident", "serve", "cluster", "intake", "metrics"}
	defaultsKeys  = []string{"health", "lag", "manifest", "syncing"}
	originKeys    = []string{"name", "url", "region", "role", "health", "lag", "manifest", "syncing"}
	mirrorKeys    = []string{"name", "url", "region", "role", "priority", "weight", "health", "lag", "manifest", "syncing", "host"}
	healthKeys    = []string{"path", "method", "expect_status", "interval", "timeout", "retry_interval", "fail_after", "recover_after", "insecure"}
	lagKeys       = []string{"kind", "path", "time_field", "serial_field", "version_field"}
	thresholdKeys = []string{"lag_warning", "lag_critical", "latency_factor", "latency_floor", "error_rate", "tls_expiry_warning", "cpu_percent", "memory_percent", "disk_percent", "sustain", "ack_within", "lag_clear", "disk_latency", "error_5xx", "response_factor"}
	hostsKeys     = []string{"interval", "history", "disk_path", "exporters", "scrape_interval"}
)

// profile is what defaults: gives every mirror and the origin, with the
// origins of the values the file set (relative field path → origin).
type profile struct {
	health   Health
	lag      Lag
	manifest string
	syncing  string
	retrySet bool // health.retry_interval was given, not derived
	set      map[string]origin
}

// config decodes the top-level map. The result holds explicit values over
// defaults; rules that span fields are checked afterwards by check.
func (d *decoder) config(root *yaml.Node) *Config {
	c := Default()
	c.StateDir = ""
	d.where[""] = origin{line: root.Line}
	pairs, ok := d.mapping(root, "", "a map of settings (site:, origin:, mirrors:, …)", topKeys)
	if !ok {
		return &c
	}
	sections := map[string]pair{}
	for _, p := range pairs {
		sections[p.Key.Value] = p
	}
	prof := profile{health: DefaultHealth(), set: map[string]origin{}}
	if p, ok := sections["defaults"]; ok && !isNull(p.Val) {
		prof = d.defaults(p.Val, p.Path)
	}
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "site":
			d.str(p.Val, p.Path, &c.Site)
		case "state_dir":
			d.str(p.Val, p.Path, &c.StateDir)
		case "theme":
			d.str(p.Val, p.Path, &c.Theme)
		case "keymap":
			d.str(p.Val, p.Path, &c.Keymap)
		case "keys":
			c.Keys = d.keys(p.Val, p.Path)
		case "origin":
			c.Origin = d.mirror(p.Val, p.Path, prof, true, 0)
			c.Origin.Line = p.Key.Line
		case "mirrors":
			c.Mirrors = d.mirrors(p.Val, p.Path, prof)
		case "thresholds":
			d.thresholds(p.Val, p.Path, &c.Thresholds)
		case "hosts":
			d.hosts(p.Val, p.Path, &c.Hosts)
		case "actions":
			d.actions(p.Val, p.Path, &c.Actions)
		case "notify":
			d.notify(p.Val, p.Path, &c.Notify)
		case "alerting":
			d.alerting(p.Val, p.Path, &c.Alerting)
			c.Alerting.Line = p.Key.Line
		case "incident":
			d.incident(p.Val, p.Path, &c.Incident)
			c.Incident.Line = p.Key.Line
		case "serve":
			d.serve(p.Val, p.Path, &c.Serve)
		case "cluster":
			d.cluster(p.Val, p.Path, &c.Cluster)
		case "intake":
			d.intake(p.Val, p.Path, &c.Intake)
			c.Intake.Line = p.Key.Line
		case "metrics":
			d.metrics(p.Val, p.Path, &c.Metrics)
			c.Metrics.Line = p.Key.Line
		}
	}
	if _, ok := sections["origin"]; !ok {
		c.Origin = d.mirror(nil, "origin", prof, true, 0)
	}
	return &c
}

func (d *decoder) defaults(n *yaml.Node, path string) profile {
	prof := profile{health: DefaultHealth(), set: map[string]origin{}}
	pairs, _ := d.mapping(n, path, "a map with health:, lag:, manifest:, syncing:", defaultsKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "health":
			prof.retrySet = d.health(p.Val, p.Path, &prof.health)
		case "lag":
			d.lag(p.Val, p.Path, &prof.lag)
		case "manifest":
			d.str(p.Val, p.Path, &prof.manifest)
		case "syncing":
			d.str(p.Val, p.Path, &prof.syncing)
		}
	}
	prefix := path + "."
	for k, o := range d.where {
		if o.leaf && strings.HasPrefix(k, prefix) {
			prof.set[k[len(prefix):]] = o
		}
	}
	return prof
}

func (d *decoder) mirrors(n *yaml.Node, path string, prof profile) []Mirror {
	if n.Kind != yaml.SequenceNode {
		d.Fail(n.Line, path, "want a list of mirrors (each starting with \"- name:\"), got %s", describe(n))
		return nil
	}
	keyLine := d.where[path]
	items, ok := d.list(n, path)
	d.where[path] = keyLine // a section, not a value
	if !ok {
		return nil
	}
	out := make([]Mirror, 0, len(items))
	for i, it := range items {
		out = append(out, d.mirror(it, index(path, i), prof, false, i+1))
	}
	return out
}

// mirror decodes one mirror (or the origin, n may then be nil) over the
// profile from defaults:. position is 1-based; 0 for the origin.
func (d *decoder) mirror(n *yaml.Node, path string, prof profile, isOrigin bool, position int) (m Mirror) {
	m = Mirror{
		Health:   prof.health,
		Lag:      prof.lag,
		Manifest: prof.manifest,
		Syncing:  prof.syncing,
		Role:     DefaultRole,
		Priority: position,
		Weight:   DefaultWeight,
	}
	m.Health.ExpectStatus = slices.Clone(prof.health.ExpectStatus)
	retrySet := prof.retrySet
	defer func() { // on every return: an unset retry follows the interval
		if !retrySet {
			m.Health.RetryInterval = DefaultRetryInterval(m.Health.Interval)
		}
	}()
	if isOrigin {
		m.Name, m.Role, m.Priority, m.Weight = DefaultOrigin, DefaultOrigin, 0, 0
	}
	for rel, o := range prof.set {
		d.where[join(path, rel)] = o
	}
	if n == nil {
		return m
	}
	m.Line = n.Line
	if _, seen := d.where[path]; !seen || !isOrigin {
		d.where[path] = origin{line: n.Line, path: path}
	}
	keys, want := mirrorKeys, "a map with name:, url:, …"
	if isOrigin {
		keys = originKeys
	}
	pairs, ok := d.mapping(n, path, want, keys)
	if !ok {
		return m
	}
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &m.Name)
		case "url":
			d.link(p.Val, p.Path, &m.URL)
		case "region":
			d.str(p.Val, p.Path, &m.Region)
		case "role":
			d.str(p.Val, p.Path, &m.Role)
		case "priority":
			d.integer(p.Val, p.Path, &m.Priority)
		case "weight":
			d.integer(p.Val, p.Path, &m.Weight)
		case "health":
			retrySet = d.health(p.Val, p.Path, &m.Health) || retrySet
		case "lag":
			d.lag(p.Val, p.Path, &m.Lag)
		case "manifest":
			d.str(p.Val, p.Path, &m.Manifest)
		case "syncing":
			d.str(p.Val, p.Path, &m.Syncing)
		case "host":
			d.str(p.Val, p.Path, &m.Host)
		}
	}
	m.Lag.applyDefaults()
	return m
}

// health sets the fields the map names, keeping the rest of h, and
// reports whether it set retry_interval (else it follows the interval).
func (d *decoder) health(n *yaml.Node, path string, h *Health) (retrySet bool) {
	pairs, _ := d.mapping(n, path, "a map of probe settings (path:, interval:, …)", healthKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "path":
			d.str(p.Val, p.Path, &h.Path)
		case "method":
			if d.str(p.Val, p.Path, &h.Method) {
				h.Method = strings.ToUpper(strings.TrimSpace(h.Method))
			}
		case "expect_status":
			d.ints(p.Val, p.Path, &h.ExpectStatus)
		case "interval":
			d.duration(p.Val, p.Path, &h.Interval)
		case "timeout":
			d.duration(p.Val, p.Path, &h.Timeout)
		case "retry_interval":
			retrySet = d.duration(p.Val, p.Path, &h.RetryInterval) || retrySet
		case "fail_after":
			d.integer(p.Val, p.Path, &h.FailAfter)
		case "recover_after":
			d.integer(p.Val, p.Path, &h.RecoverAfter)
		case "insecure":
			d.boolean(p.Val, p.Path, &h.Insecure)
		}
	}
	return retrySet
}

// lag sets the fields the map names. A kind other than the inherited one
// starts afresh: another kind's path or JSON fields would not fit it.
func (d *decoder) lag(n *yaml.Node, path string, l *Lag) {
	pairs, ok := d.mapping(n, path, "a map with kind: and path:", lagKeys)
	if !ok {
		return
	}
	for _, p := range pairs {
		if p.Key.Value != "kind" || isNull(p.Val) {
			continue
		}
		var kind string
		if d.str(p.Val, p.Path, &kind) {
			kind = normalKind(kind)
			if kind != l.Kind {
				*l = Lag{Kind: kind}
				for _, f := range lagKeys[1:] {
					delete(d.where, join(path, f))
				}
			}
		}
	}
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "path":
			d.str(p.Val, p.Path, &l.Path)
		case "time_field":
			d.str(p.Val, p.Path, &l.TimeField)
		case "serial_field":
			d.str(p.Val, p.Path, &l.SerialField)
		case "version_field":
			d.str(p.Val, p.Path, &l.VersionField)
		}
	}
}

// normalKind maps "none" and case variants onto the Lag* constants.
func normalKind(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	if k == "none" || k == "off" {
		return LagNone
	}
	return k
}

func (d *decoder) thresholds(n *yaml.Node, path string, t *Thresholds) {
	pairs, _ := d.mapping(n, path, "a map of alert thresholds", thresholdKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "lag_warning":
			d.duration(p.Val, p.Path, &t.LagWarning)
		case "lag_critical":
			d.duration(p.Val, p.Path, &t.LagCritical)
		case "latency_factor":
			d.float(p.Val, p.Path, &t.LatencyFactor)
		case "latency_floor":
			d.duration(p.Val, p.Path, &t.LatencyFloor)
		case "error_rate":
			d.float(p.Val, p.Path, &t.ErrorRate)
		case "tls_expiry_warning":
			d.duration(p.Val, p.Path, &t.TLSExpiryWarning)
		case "cpu_percent":
			d.float(p.Val, p.Path, &t.CPUPercent)
		case "memory_percent":
			d.float(p.Val, p.Path, &t.MemoryPercent)
		case "disk_percent":
			d.float(p.Val, p.Path, &t.DiskPercent)
		case "sustain":
			d.duration(p.Val, p.Path, &t.Sustain)
		case "ack_within":
			d.duration(p.Val, p.Path, &t.AckWithin)
		case "lag_clear":
			d.duration(p.Val, p.Path, &t.LagClear)
		case "disk_latency":
			d.duration(p.Val, p.Path, &t.DiskLatency)
		case "error_5xx":
			d.float(p.Val, p.Path, &t.Error5xx)
		case "response_factor":
			d.float(p.Val, p.Path, &t.ResponseFactor)
		}
	}
}

func (d *decoder) hosts(n *yaml.Node, path string, h *Hosts) {
	pairs, _ := d.mapping(n, path, "a map with interval:, history:, disk_path:, exporters:, scrape_interval:", hostsKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "interval":
			d.duration(p.Val, p.Path, &h.Interval)
		case "history":
			d.integer(p.Val, p.Path, &h.History)
		case "disk_path":
			d.str(p.Val, p.Path, &h.DiskPath)
		case "exporters":
			d.each(p.Val, p.Path, "exporters", func(it *yaml.Node, at string) {
				h.Exporters = append(h.Exporters, d.exporter(it, at))
			})
		case "scrape_interval":
			d.duration(p.Val, p.Path, &h.ScrapeInterval)
		}
	}
}

// keys reads action → keys; which actions exist is the keymaps package's call.
func (d *decoder) keys(n *yaml.Node, path string) map[string][]string {
	pairs, ok := d.mapping(n, path, "a map of action: [keys]", nil)
	if !ok {
		return nil
	}
	out := make(map[string][]string, len(pairs))
	for _, p := range pairs {
		var ks []string
		if isNull(p.Val) {
			out[p.Key.Value] = nil
			continue
		}
		if d.strings(p.Val, p.Path, &ks) {
			out[p.Key.Value] = ks
		}
	}
	return out
}

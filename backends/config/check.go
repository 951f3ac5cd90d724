package config

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"warroom/backends/problems"
)

// checker reports rule violations by field path. Parse maps paths to file
// lines; Validate (for configs built in Go) reports paths alone.
type checker struct {
	report func(path, msg string)
	secret func(path string) []string // ${NAME}s a value came from; nil if none
	bad    func(path string) bool     // true if the path failed to decode
}

func (k *checker) fail(path, format string, args ...any) {
	if k.bad(path) {
		return // already reported while decoding; its value here is a stand-in
	}
	k.report(path, fmt.Sprintf(format, args...))
}

// show quotes a value for a message, or names its variables if it is secret.
func (k *checker) show(path, v string) string {
	if names := k.secret(path); len(names) > 0 {
		return fromEnv(names)
	}
	return problems.Quote(v)
}

func (k *checker) dur(path string, d time.Duration) string {
	return k.show(path, formatDuration(d))
}

// formatDuration writes 10m and 1h rather than 10m0s and 1h0m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
func (k *checker) num(path string, f float64) string {
	return k.show(path, strconv.FormatFloat(f, 'g', -1, 64))
}
func (k *checker) int(path string, i int) string { return k.show(path, strconv.Itoa(i)) }

// check applies every rule that a well-typed Config must also meet.
func check(c *Config, k *checker) {
	if strings.TrimSpace(c.Site) == "" {
		k.fail("site", "missing; name the mirror network, e.g. site: example-mirrors")
	}
	if c.StateDir == "" {
		k.fail("state_dir", "missing; give a folder for the journal, e.g. state_dir: ~/.local/state/warroom")
	}
	oneOf(k, "theme", c.Theme, "dark", "light", "high-contrast")
	oneOf(k, "keymap", c.Keymap, "default", "vim")
	for action, keys := range c.Keys {
		if strings.TrimSpace(action) == "" {
			k.fail("keys", "an action name is empty")
		}
		for j, key := range keys {
			if strings.TrimSpace(key) == "" {
				k.fail(index(join("keys", action), j), "empty key; write the key, e.g. ctrl+c")
			}
		}
	}
	checkMirror(k, &c.Origin, "origin", true)
	if len(c.Mirrors) == 0 {
		k.fail("mirrors", "no mirrors; list at least one under mirrors: (see examples/warroom.yaml)")
	}
	names := map[string]int{}
	for i := range c.Mirrors {
		m := &c.Mirrors[i]
		p := index("mirrors", i)
		checkMirror(k, m, p, false)
		if m.Name == "" {
			continue
		}
		if j, dup := names[m.Name]; dup {
			k.fail(join(p, "name"), "%s is already the name of mirrors[%d]%s; names must be unique",
				k.show(join(p, "name"), m.Name), j, onLine(c.Mirrors[j].Line))
			continue
		}
		names[m.Name] = i
		if m.Name == c.Origin.Name {
			k.fail(join(p, "name"), "%s is the origin's name%s; give the mirror another name",
				k.show(join(p, "name"), m.Name), onLine(c.Origin.Line))
		}
	}
	checkThresholds(k, &c.Thresholds)
	checkHysteresis(k, c)
	checkHosts(k, &c.Hosts)
	checkFleet(k, c)
	checkTraffic(k, &c.Thresholds)
	checkActions(k, c)
	checkNotify(k, &c.Notify)
	checkMaintenance(k, c.Alerting.Maintenance)
	checkRoutes(k, c)
	checkIncident(k, c)
	checkServe(k, &c.Serve)
	checkCluster(k, &c.Cluster)
	checkIntake(k, &c.Intake)
	checkMetrics(k, &c.Metrics)
	checkStepsFitTheLease(k, c)
}

func onLine(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}

func oneOf(k *checker, path, v string, allowed ...string) {
	if !contains(allowed, v) {
		k.fail(path, "%s is not one of %s", k.show(path, v), strings.Join(allowed, ", "))
	}
}

func checkMirror(k *checker, m *Mirror, p string, isOrigin bool) {
	what := "mirror"
	if isOrigin {
		what = "origin"
	}
	switch {
	case m.Name == "":
		k.fail(join(p, "name"), "missing; every %s needs a name, e.g. name: tokyo", what)
	case len(m.Name) > 64 || strings.IndexFunc(m.Name, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		k.fail(join(p, "name"), "%s is not a usable name; use up to 64 characters without spaces", k.show(join(p, "name"), m.Name))
	}
	checkURL(k, m.URL, join(p, "url"), what)
	if isOrigin {
		if m.Role != DefaultOrigin {
			k.fail(join(p, "role"), "%s: the origin's role is always \"origin\"; leave role out", k.show(join(p, "role"), m.Role))
		}
	} else {
		oneOf(k, join(p, "role"), m.Role, "active", "backup")
		if m.Priority < 1 {
			k.fail(join(p, "priority"), "%s must be at least 1 (lower is preferred)", k.int(join(p, "priority"), m.Priority))
		}
		if m.Weight < 1 {
			k.fail(join(p, "weight"), "%s must be at least 1", k.int(join(p, "weight"), m.Weight))
		}
	}
	checkHealth(k, &m.Health, join(p, "health"))
	checkLag(k, &m.Lag, join(p, "lag"))
	if m.Manifest != "" {
		checkPath(k, join(p, "manifest"), m.Manifest)
	}
	if m.Syncing != "" {
		checkPath(k, join(p, "syncing"), m.Syncing)
	}
}

func checkURL(k *checker, u *url.URL, path, what string) {
	switch {
	case u == nil:
		k.fail(path, "missing; give the %s's base URL, e.g. url: https://mirror.example.net/", what)
	case u.Scheme != "http" && u.Scheme != "https":
		k.fail(path, "%s: want an absolute http:// or https:// URL", k.show(path, Redact(u)))
	case u.Host == "" || u.Hostname() == "":
		k.fail(path, "%s has no host; want e.g. https://mirror.example.net/", k.show(path, Redact(u)))
	}
}

// checkPath accepts a path below the mirror URL ("/lastsync", "project/trace/x").
func checkPath(k *checker, path, v string) {
	u, err := url.Parse(v)
	switch {
	case strings.TrimSpace(v) == "":
		k.fail(path, "empty; give a path such as /lastsync, or leave the key out")
	case strings.ContainsAny(v, " \t\r\n#"), err != nil:
		k.fail(path, "%s is not a path (no spaces or #); want e.g. /lastsync", k.show(path, v))
	case u.Scheme != "" || u.Host != "" || strings.HasPrefix(v, "//"):
		k.fail(path, "%s is a full URL; want a path relative to the mirror URL, e.g. /lastsync", k.show(path, v))
	}
}

func checkHealth(k *checker, h *Health, p string) {
	if h.Path == "" {
		k.fail(join(p, "path"), "empty; probe a path such as / or /index.html")
	} else {
		checkPath(k, join(p, "path"), h.Path)
	}
	oneOf(k, join(p, "method"), h.Method, "GET", "HEAD")
	if len(h.ExpectStatus) == 0 {
		k.fail(join(p, "expect_status"), "empty; list the statuses that mean healthy, e.g. [200]")
	}
	for i, s := range h.ExpectStatus {
		if s < 100 || s > 599 {
			ip := index(join(p, "expect_status"), i)
			k.fail(ip, "%s is not an HTTP status (100–599)", k.int(ip, s))
		}
	}
	positive(k, join(p, "interval"), h.Interval)
	positive(k, join(p, "timeout"), h.Timeout)
	if h.Timeout > 0 && h.Interval > 0 && h.Timeout >= h.Interval && !k.bad(join(p, "interval")) {
		k.fail(join(p, "timeout"), "%s is not shorter than interval %s; probes would overlap, make timeout shorter",
			k.dur(join(p, "timeout"), h.Timeout), k.dur(join(p, "interval"), h.Interval))
	}
	positive(k, join(p, "retry_interval"), h.RetryInterval)
	if h.RetryInterval > 0 && h.Interval > 0 && h.RetryInterval >= h.Interval && !k.bad(join(p, "interval")) {
		k.fail(join(p, "retry_interval"), "%s is not shorter than interval %s; a failed probe is retried before the next regular one, make retry_interval shorter",
			k.dur(join(p, "retry_interval"), h.RetryInterval), k.dur(join(p, "interval"), h.Interval))
	}
	atLeastOne(k, join(p, "fail_after"), h.FailAfter)
	atLeastOne(k, join(p, "recover_after"), h.RecoverAfter)
}

func checkLag(k *checker, l *Lag, p string) {
	kinds := []string{LagBeacon, LagTrace, LagLastModified, LagJSON}
	if l.Kind != LagNone && !contains(kinds, l.Kind) {
		k.fail(join(p, "kind"), "%s is not a lag kind; use beacon, trace, last-modified, json or none", k.show(join(p, "kind"), l.Kind))
		return
	}
	if l.Kind == LagNone {
		if l.Path != "" {
			k.fail(join(p, "kind"), "missing; path is set, so say how to read it: beacon, trace, last-modified or json")
		}
	} else if l.Path == "" {
		k.fail(join(p, "path"), "missing; lag kind %q needs a path, e.g. %s", l.Kind, examplePath(l.Kind))
	} else {
		checkPath(k, join(p, "path"), l.Path)
	}
	if l.Kind != LagJSON {
		for _, f := range []struct{ key, v string }{{"time_field", l.TimeField}, {"serial_field", l.SerialField}, {"version_field", l.VersionField}} {
			if f.v != "" {
				k.fail(join(p, f.key), "only used with kind json (kind is %q); remove it", l.Kind)
			}
		}
	}
}

func examplePath(kind string) string {
	switch kind {
	case LagTrace:
		return "/project/trace/origin.example.org"
	case LagJSON:
		return "/status.json"
	case LagLastModified:
		return "/ls-lR.gz"
	}
	return "/lastsync"
}

func checkThresholds(k *checker, t *Thresholds) {
	const p = "thresholds"
	positive(k, join(p, "lag_warning"), t.LagWarning)
	positive(k, join(p, "lag_critical"), t.LagCritical)
	if t.LagWarning > 0 && t.LagWarning >= t.LagCritical && !k.bad(join(p, "lag_critical")) && !k.bad(join(p, "lag_warning")) {
		k.fail(join(p, "lag_warning"), "%s is not below lag_critical %s; warnings must come first",
			k.dur(join(p, "lag_warning"), t.LagWarning), k.dur(join(p, "lag_critical"), t.LagCritical))
	}
	if !(t.LatencyFactor > 1) || math.IsInf(t.LatencyFactor, 0) {
		k.fail(join(p, "latency_factor"), "%s must be above 1 (2.0 = degraded at twice the usual latency)", k.num(join(p, "latency_factor"), t.LatencyFactor))
	}
	if t.LatencyFloor < 0 {
		k.fail(join(p, "latency_floor"), "%s must not be negative (0s = no floor, the ratio alone decides)", k.dur(join(p, "latency_floor"), t.LatencyFloor))
	}
	if !(t.ErrorRate > 0 && t.ErrorRate <= 1) {
		k.fail(join(p, "error_rate"), "%s must be a share above 0 and at most 1 (0.05 = 5 %%)", k.num(join(p, "error_rate"), t.ErrorRate))
	}
	positive(k, join(p, "tls_expiry_warning"), t.TLSExpiryWarning)
	percent(k, join(p, "cpu_percent"), t.CPUPercent)
	percent(k, join(p, "memory_percent"), t.MemoryPercent)
	percent(k, join(p, "disk_percent"), t.DiskPercent)
	if t.Sustain < 0 {
		k.fail(join(p, "sustain"), "%s must not be negative (0 = alert at once)", k.dur(join(p, "sustain"), t.Sustain))
	}
	positive(k, join(p, "ack_within"), t.AckWithin)
}

func checkHosts(k *checker, h *Hosts) {
	positive(k, "hosts.interval", h.Interval)
	if h.History < 1 || h.History > 100_000 {
		k.fail("hosts.history", "%s must be between 1 and 100000 samples", k.int("hosts.history", h.History))
	}
	if !strings.HasPrefix(h.DiskPath, "/") {
		k.fail("hosts.disk_path", "%s is not an absolute path; want a mount point such as /", k.show("hosts.disk_path", h.DiskPath))
	}
}

func positive(k *checker, path string, d time.Duration) {
	if d <= 0 {
		k.fail(path, "%s must be positive", k.dur(path, d))
	}
}

func atLeastOne(k *checker, path string, n int) {
	if n < 1 {
		k.fail(path, "%s must be at least 1", k.int(path, n))
	}
}

func percent(k *checker, path string, f float64) {
	if !(f > 0 && f <= 100) {
		k.fail(path, "%s must be a percentage above 0 and at most 100", k.num(path, f))
	}
}

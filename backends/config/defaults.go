package config

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Defaults for settings left out of the file (or left zero in a Config
// built in Go and passed through ApplyDefaults).
const (
	DefaultTheme    = "dark"
	DefaultKeymap   = "default"
	DefaultStateDir = "~/.local/state/warroom"
	DefaultOrigin   = "origin" // the origin's name and role
	DefaultRole     = "backup" // a mirror's role
	DefaultWeight   = 100
	// A mirror's default priority is its position in the list, from 1.

	// JSON lag documents: default field names.
	DefaultTimeField    = "time"
	DefaultSerialField  = "serial"
	DefaultVersionField = "version"
)

// DefaultHealth is how a mirror is probed unless told otherwise: GET / every
// 15s with a 5s timeout, expecting 200; a failure retried every 2s; down
// after 3 failures, up after 2.
func DefaultHealth() Health {
	return Health{
		Path:          "/",
		Method:        "GET",
		ExpectStatus:  []int{200},
		Interval:      15 * time.Second,
		Timeout:       5 * time.Second,
		RetryInterval: DefaultRetryInterval(15 * time.Second),
		FailAfter:     3,
		RecoverAfter:  2,
	}
}

// DefaultRetryInterval is 2s, or half the interval when that is shorter
// (a retry must come before the next regular probe).
func DefaultRetryInterval(interval time.Duration) time.Duration {
	return min(2*time.Second, interval/2)
}

// DefaultLatencyFloor: below it no latency is called slow, whatever its
// ratio to the baseline (loopback and LAN mirrors wobble by whole ratios).
const DefaultLatencyFloor = 100 * time.Millisecond

// DefaultThresholds are the playbook's alert thresholds.
func DefaultThresholds() Thresholds {
	return Thresholds{
		LagWarning:       10 * time.Minute,
		LagCritical:      time.Hour,
		LatencyFactor:    2.0,
		LatencyFloor:     DefaultLatencyFloor,
		ErrorRate:        0.05,
		TLSExpiryWarning: 14 * 24 * time.Hour,
		CPUPercent:       80,
		MemoryPercent:    90,
		DiskPercent:      90,
		Sustain:          30 * time.Second,
		DiskLatency:      DefaultDiskLatency,
		Error5xx:         DefaultError5xx,
		ResponseFactor:   DefaultResponseFactor,
		AckWithin:        5 * time.Minute,
	}
}

// DefaultHosts samples the local host every second, keeping two minutes.
func DefaultHosts() Hosts {
	return Hosts{Interval: time.Second, History: 120, DiskPath: "/", ScrapeInterval: DefaultScrapeInterval}
}

// Default is a Config with every default set and no site or mirrors: the
// starting point for configs built in code (the demo's simulated fleet).
// StateDir stays "~/…" if the home folder is unknown; Validate reports it.
func Default() Config {
	c := Config{
		Theme:      DefaultTheme,
		Keymap:     DefaultKeymap,
		StateDir:   DefaultStateDir,
		Origin:     Mirror{Name: DefaultOrigin, Role: DefaultOrigin, Health: DefaultHealth()},
		Thresholds: DefaultThresholds(),
		Hosts:      DefaultHosts(),
		Incident:   DefaultIncident(),
	}
	if dir, err := expandHome(c.StateDir); err == nil {
		c.StateDir = dir
	}
	return c
}

// ApplyDefaults fills the zero-valued settings of a Config built in Go, the
// way Parse fills settings left out of a file. Mirror URLs get a trailing
// "/" (on a copy) so relative paths resolve below them.
func (c *Config) ApplyDefaults() {
	c.Theme = or(c.Theme, DefaultTheme)
	c.Keymap = or(c.Keymap, DefaultKeymap)
	c.StateDir = or(c.StateDir, DefaultStateDir)
	if dir, err := expandHome(c.StateDir); err == nil {
		c.StateDir = dir
	}
	c.Origin.Name = or(c.Origin.Name, DefaultOrigin)
	c.Origin.Role = or(c.Origin.Role, DefaultOrigin)
	c.Origin.applyDefaults()
	for i := range c.Mirrors {
		m := &c.Mirrors[i]
		m.Role = or(m.Role, DefaultRole)
		if m.Priority == 0 {
			m.Priority = i + 1
		}
		if m.Weight == 0 {
			m.Weight = DefaultWeight
		}
		m.applyDefaults()
	}
	t, dt := &c.Thresholds, DefaultThresholds()
	orDur(&t.LagWarning, dt.LagWarning)
	orDur(&t.LagCritical, dt.LagCritical)
	orFloat(&t.LatencyFactor, dt.LatencyFactor)
	orDur(&t.LatencyFloor, dt.LatencyFloor)
	orFloat(&t.ErrorRate, dt.ErrorRate)
	orDur(&t.TLSExpiryWarning, dt.TLSExpiryWarning)
	orFloat(&t.CPUPercent, dt.CPUPercent)
	orFloat(&t.MemoryPercent, dt.MemoryPercent)
	orFloat(&t.DiskPercent, dt.DiskPercent)
	orDur(&t.Sustain, dt.Sustain)
	orDur(&t.AckWithin, dt.AckWithin)
	orDur(&t.DiskLatency, dt.DiskLatency)
	orFloat(&t.Error5xx, dt.Error5xx)
	orFloat(&t.ResponseFactor, dt.ResponseFactor)
	h, dh := &c.Hosts, DefaultHosts()
	orDur(&h.Interval, dh.Interval)
	if h.History == 0 {
		h.History = dh.History
	}
	h.DiskPath = or(h.DiskPath, dh.DiskPath)
	orDur(&h.ScrapeInterval, dh.ScrapeInterval)
	h.applyFleetDefaults()
	c.Actions.applyDefaults()
	c.Notify.applyDefaults()
	c.Alerting.applyRouteDefaults()
	c.applyHysteresisDefaults()
	c.Incident.applyDefaults()
	c.Serve.applyDefaults()
	c.Cluster.applyDefaults()
}

func (m *Mirror) applyDefaults() {
	m.URL = withSlash(m.URL)
	h, dh := &m.Health, DefaultHealth()
	h.Path = or(h.Path, dh.Path)
	h.Method = or(h.Method, dh.Method)
	if len(h.ExpectStatus) == 0 {
		h.ExpectStatus = dh.ExpectStatus
	}
	orDur(&h.Interval, dh.Interval)
	orDur(&h.Timeout, dh.Timeout)
	orDur(&h.RetryInterval, DefaultRetryInterval(h.Interval))
	if h.FailAfter == 0 {
		h.FailAfter = dh.FailAfter
	}
	if h.RecoverAfter == 0 {
		h.RecoverAfter = dh.RecoverAfter
	}
	m.Lag.applyDefaults()
}

// applyDefaults names the JSON fields of a json lag document.
func (l *Lag) applyDefaults() {
	if l.Kind != LagJSON {
		return
	}
	l.TimeField = or(l.TimeField, DefaultTimeField)
	l.SerialField = or(l.SerialField, DefaultSerialField)
	l.VersionField = or(l.VersionField, DefaultVersionField)
}

// expandHome turns "~" and "~/x" into paths under the user's home folder.
func expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, p[1:]), nil
}

// Resolve returns the URL of p below the mirror's base URL: "/lastsync" on
// https://m.example/arch/ is https://m.example/arch/lastsync. The base URL's
// query (an access token, say) is kept, and p's own query appended.
func (m Mirror) Resolve(p string) *url.URL {
	if m.URL == nil {
		return nil
	}
	u := *m.URL
	u.User = m.URL.User
	pathPart, query, _ := strings.Cut(p, "?")
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + strings.TrimPrefix(pathPart, "/")
	u.RawPath = ""
	switch {
	case query == "":
	case u.RawQuery == "":
		u.RawQuery = query
	default:
		u.RawQuery += "&" + query
	}
	return &u
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orDur(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

func orFloat(f *float64, def float64) {
	if *f == 0 {
		*f = def
	}
}

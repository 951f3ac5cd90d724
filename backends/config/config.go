// Package config loads warroom's single YAML file: it expands ${ENV}
// references, applies defaults and validates, naming file, line and field.
package config

import (
	"net/url"
	"time"
)

// Config is the whole, validated configuration. Durations and URLs are
// parsed; every mirror has its probe settings filled from Defaults.
type Config struct {
	Path       string // file it was loaded from ("" for built-in configs such as the demo's)
	Site       string
	StateDir   string              // where the journal lives; default ~/.local/state/warroom, "~" expanded, relative = beside the file
	Theme      string              // dark | light | high-contrast; default dark
	Keymap     string              // default | vim; default "default"
	Keys       map[string][]string // action name → keys, overriding the keymap
	Origin     Mirror              // probed like a mirror; its sync info is the reference
	Mirrors    []Mirror            // config order
	Thresholds Thresholds
	Hosts      Hosts
	Actions    Actions
	Notify     Notify
	Alerting   Alerting // routes alerts to receivers; hysteresis, flapping, maintenance
	Incident   Incident // RTO, RPO and when to propose declaring
	Serve      Serve    // `warroom serve`: listen address, host key, users and limits
	Cluster    Cluster  // several nodes sharing one room; zero = one machine
	Intake     Intake   // Alertmanager's webhook in; zero = off
	Metrics    Metrics  // the Prometheus endpoint; zero = off

	// secrets maps the field paths whose values came from ${ENV} to their
	// text before expansion; see Secret. Added for redaction.
	secrets map[string]string
	// secretValues are those fields' values, for Mask.
	secretValues []string
	// lines maps field paths to the line they were written on; see Line.
	lines map[string]int
}

// Mirror is one probed site: the origin or a mirror of it. Health, Lag,
// Manifest and Syncing start from the file's defaults: section and are
// overridden field by field. Its URL path always ends in "/".
type Mirror struct {
	Name     string
	URL      *url.URL // base URL; paths below are resolved against it
	Region   string
	Role     string // active | backup, default backup (origin: "origin")
	Priority int    // lower is preferred among backups; default: position in the list, from 1
	Weight   int    // share among active mirrors, default 100
	Health   Health
	Lag      Lag
	Manifest string // path of a small index file whose SHA-256 detects drift; "" = off
	Syncing  string // path whose presence (2xx) means "syncing now", e.g. Archive-Update-in-Progress-host; "" = off
	Host     string // the machine it runs on: an exporter's name or "local"; "" = not said
	Line     int    // line of this mirror's list item (origin: of origin:) in the file, for later messages
}

// Health says how a mirror is probed and when its state changes.
type Health struct {
	Path          string        // default "/"
	Method        string        // GET | HEAD, default GET
	ExpectStatus  []int         // default [200]
	Interval      time.Duration // default 15s
	Timeout       time.Duration // default 5s, must be < Interval
	RetryInterval time.Duration // a failure is re-probed this soon until down or answering; default 2s, < Interval
	FailAfter     int           // consecutive failures to go down, default 3
	RecoverAfter  int           // consecutive successes to come back up, default 2
	Insecure      bool          // skip TLS verification (self-signed labs)
}

// Lag kinds.
const (
	LagNone         = ""
	LagBeacon       = "beacon"        // body is Unix epoch seconds
	LagTrace        = "trace"         // Debian trace file
	LagLastModified = "last-modified" // Last-Modified header of Path
	LagJSON         = "json"          // JSON document with time/serial fields
)

// Lag says where a mirror's sync position is read.
type Lag struct {
	Kind         string // one of the Lag* constants
	Path         string // relative to the mirror URL
	TimeField    string // json: field holding the sync time (RFC 3339 or epoch seconds), default "time"
	SerialField  string // json: field holding the serial, default "serial"
	VersionField string // json: optional version label field, default "version"
}

// Thresholds turn observations into alerts; defaults follow the playbooks.
type Thresholds struct {
	LagWarning       time.Duration // default 10m
	LagCritical      time.Duration // default 1h
	LatencyFactor    float64       // degraded above this × baseline, default 2.0 (200 %)
	LatencyFloor     time.Duration // …and above this, default 100ms; 0 = no floor
	ErrorRate        float64       // degraded above this share of failed probes, default 0.05
	TLSExpiryWarning time.Duration // default 14 days (336h)
	CPUPercent       float64       // default 80
	MemoryPercent    float64       // default 90
	DiskPercent      float64       // default 90
	Sustain          time.Duration // host metric must stay over for this long, default 30s
	AckWithin        time.Duration // unacknowledged critical alerts escalate after, default 5m
	LagClear         time.Duration // a lag alert clears below this, default 80 % of LagWarning
	DiskLatency      time.Duration // disk I/O latency over this is alarming, default 50ms
	Error5xx         float64       // a mirror's share of 5xx answers to users over this alerts, default 0.05
	ResponseFactor   float64       // its users' response time over this × its baseline alerts, default 2.0
}

// Hosts configures the local host sampler and the fleet's exporters.
type Hosts struct {
	Interval       time.Duration // default 1s
	History        int           // samples kept for sparklines, default 120
	DiskPath       string        // mount point for disk usage, default "/"
	Exporters      []Exporter    // the fleet's hosts, each a node_exporter; see hosts_fleet.go
	ScrapeInterval time.Duration // how often each exporter is read, default 15s
}

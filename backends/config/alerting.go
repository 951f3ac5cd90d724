package config

import (
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// Alerting says who hears of an alert and when: routes to receivers
// (notify.channels entries by name), how long a condition holds before it
// fires or clears, when a flapping mirror is one alert, and planned quiet.
type Alerting struct {
	Routes      []Route
	Kinds       map[string]AlertKind // by alert kind (mirror-down, mirror-lag, host-cpu, …)
	Flapping    Flapping
	Maintenance []Maintenance // scheduled silences
	Line        int           // of alerting: in the file
}

// Route sends the alerts it matches to its receivers, grouped: one message
// per burst (GroupWait), then at most one per GroupInterval while the group
// changes, repeated every RepeatInterval while unacknowledged, and one when
// it is all resolved. A critical alert unacknowledged for
// thresholds.ack_within goes to Escalate as well.
type Route struct {
	Name           string // default "route-N", N from 1 in file order
	Match          AlertMatch
	Receivers      []string // notify.channels names
	Escalate       []string // notify.channels names
	GroupWait      time.Duration
	GroupInterval  time.Duration
	RepeatInterval time.Duration
	Resolved       bool // send a message when the group is all resolved; default true
	Continue       bool // later routes may match too; default: the first match wins
	Line           int
}

// Route defaults (Alertmanager's).
const (
	DefaultGroupWait      = 30 * time.Second
	DefaultGroupInterval  = 5 * time.Minute
	DefaultRepeatInterval = 4 * time.Hour
)

// AlertMatch selects alerts by their labels. Each non-empty list must
// contain the alert's value; an empty list matches anything.
type AlertMatch struct {
	Severity []string // critical | warning
	Kind     []string // the alert id's kind: mirror-down, mirror-lag, …
	Mirror   []string // the alert's subject: a mirror or host name
	Region   []string // the mirror's region
	Level    []string // the open incident's level (P1…), "none" without one
}

// AlertLabels are the values an AlertMatch compares.
type AlertLabels struct {
	Severity, Kind, Mirror, Region, Level string
}

// Matches reports whether every non-empty list contains l's value.
func (m AlertMatch) Matches(l AlertLabels) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return in(m.Severity, l.Severity) && in(m.Kind, l.Kind) && in(m.Mirror, l.Mirror) &&
		in(m.Region, l.Region) && in(m.Level, l.Level)
}

// Empty reports whether m matches everything.
func (m AlertMatch) Empty() bool {
	return len(m.Severity)+len(m.Kind)+len(m.Mirror)+len(m.Region)+len(m.Level) == 0
}

// AlertKind is the hysteresis of one alert kind.
type AlertKind struct {
	For     time.Duration // the condition holds this long before the alert fires
	KeepFor time.Duration // the condition is gone this long before it clears
}

// Flapping turns a mirror that keeps changing state into one alert.
type Flapping struct {
	Changes int           // more state changes than this within Window raise "flapping"; default 6
	Window  time.Duration // default 10m
}

// Maintenance is a planned silence from the config: alerts it matches are
// shown but not routed between Start and Start+Duration, again every Every
// (0 = once).
type Maintenance struct {
	Match    string // a silence matcher: "mirror=tokyo", "kind=mirror-lag,region=eu"
	Start    time.Time
	Duration time.Duration
	Every    time.Duration
	Reason   string
	Line     int
}

var alertingKeys = []string{"routes", "kinds", "flapping", "maintenance"}

func (d *decoder) alerting(n *yaml.Node, path string, x *Alerting) {
	pairs, _ := d.mapping(n, path, "a map with routes:, kinds:, flapping:, maintenance:", alertingKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "routes":
			d.each(p.Val, p.Path, "routes", func(it *yaml.Node, at string) {
				x.Routes = append(x.Routes, d.route(it, at, len(x.Routes)+1))
			})
		case "kinds":
			x.Kinds = d.alertKinds(p.Val, p.Path)
		case "flapping":
			d.flapping(p.Val, p.Path, &x.Flapping)
		case "maintenance":
			d.each(p.Val, p.Path, "maintenance", func(it *yaml.Node, at string) {
				x.Maintenance = append(x.Maintenance, d.maintenance(it, at))
			})
		}
	}
}

package config

import (
	"time"

	"gopkg.in/yaml.v3"
)

// Incident configures incidents: the recovery objectives the room's clocks
// count against, and when the room proposes declaring one.
type Incident struct {
	RTO     time.Duration // recovery time objective, default 15m
	RPO     time.Duration // recovery point objective (sync lag of the serving mirror), default 30s
	Propose Propose
	Line    int // of incident: in the file
}

// Propose says at which level the room proposes declaring an incident, from
// the open alerts and mirror states. The highest level whose condition holds
// wins. In a file a count of 0 (or all_down: false) turns that condition
// off; off: true turns proposals off altogether.
type Propose struct {
	Off            bool // never propose
	CriticalAlerts int  // level 1: at least this many critical alerts open (default 1)
	MirrorsDown    int  // level 2: at least this many mirrors down (default 2)
	RegionsDown    int  // level 2: mirrors down in at least this many regions (default 2)
	AllDown        bool // level 3: the active mirror and every backup down (default true)
}

// Defaults of the incident: section.
const (
	DefaultRTO = 15 * time.Minute
	DefaultRPO = 30 * time.Second
)

// DefaultPropose proposes level 1 on any critical alert, level 2 when two
// mirrors or two regions are down, level 3 when nothing is left to serve.
func DefaultPropose() Propose {
	return Propose{CriticalAlerts: 1, MirrorsDown: 2, RegionsDown: 2, AllDown: true}
}

// DefaultIncident is the incident: section of a file that leaves it out.
func DefaultIncident() Incident {
	return Incident{RTO: DefaultRTO, RPO: DefaultRPO, Propose: DefaultPropose()}
}

var (
	incidentKeys = []string{"rto", "rpo", "propose"}
	proposeKeys  = []string{"off", "critical_alerts", "mirrors_down", "regions_down", "all_down"}
)

// incident decodes the incident: section over the defaults already in x.
func (d *decoder) incident(n *yaml.Node, path string, x *Incident) {
	pairs, _ := d.mapping(n, path, "a map with rto:, rpo:, propose:", incidentKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "rto":
			d.duration(p.Val, p.Path, &x.RTO)
		case "rpo":
			d.duration(p.Val, p.Path, &x.RPO)
		case "propose":
			d.propose(p.Val, p.Path, &x.Propose)
		}
	}
}

func (d *decoder) propose(n *yaml.Node, path string, x *Propose) {
	pairs, _ := d.mapping(n, path, "a map with critical_alerts:, mirrors_down:, regions_down:, all_down:, off:", proposeKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "off":
			d.boolean(p.Val, p.Path, &x.Off)
		case "critical_alerts":
			d.integer(p.Val, p.Path, &x.CriticalAlerts)
		case "mirrors_down":
			d.integer(p.Val, p.Path, &x.MirrorsDown)
		case "regions_down":
			d.integer(p.Val, p.Path, &x.RegionsDown)
		case "all_down":
			d.boolean(p.Val, p.Path, &x.AllDown)
		}
	}
}

// applyDefaults fills a section built in Go: zero objectives get the
// defaults, and a zero Propose (nothing said) proposes as DefaultPropose.
func (x *Incident) applyDefaults() {
	orDur(&x.RTO, DefaultRTO)
	orDur(&x.RPO, DefaultRPO)
	if x.Propose == (Propose{}) {
		x.Propose = DefaultPropose()
	}
}

// checkIncident checks the incident: section. A count above the fleet's
// size is allowed: the defaults must fit a one-mirror file, and such a
// condition simply never holds.
func checkIncident(k *checker, c *Config) {
	x := &c.Incident
	positive(k, "incident.rto", x.RTO)
	positive(k, "incident.rpo", x.RPO)
	p := x.Propose
	for _, f := range []struct {
		path string
		n    int
	}{
		{"incident.propose.critical_alerts", p.CriticalAlerts},
		{"incident.propose.mirrors_down", p.MirrorsDown},
		{"incident.propose.regions_down", p.RegionsDown},
	} {
		if f.n < 0 {
			k.fail(f.path, "%s must not be negative; 0 turns the condition off", k.int(f.path, f.n))
		}
	}
}

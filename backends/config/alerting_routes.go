package config

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

var (
	routeKeys = []string{"name", "match", "receivers", "escalate", "group_wait", "group_interval", "repeat_interval", "resolved", "continue"}
	matchKeys = []string{"severity", "kind", "mirror", "region", "level"}
)

// AlertKindNames are the alert kinds the room raises (an alert id's part
// before "/"); a route or silence naming another kind would never match.
var AlertKindNames = []string{
	"mirror-down", "mirror-degraded", "mirror-partial", "mirror-lag", "mirror-drift",
	"mirror-flapping", "sync-error", "tls-expiry", "host-cpu", "host-memory", "host-disk",
	"mirror-5xx", "mirror-slow", // users' traffic through an haproxy executor
	"host-disk-latency",
	ExternalKind, // from Alertmanager's webhook (intake:)
}

// AlertLevelNames are the values of the level label: the open incident's
// level (the room declares 1 to 3) or none.
var AlertLevelNames = []string{"P1", "P2", "P3", "none"}

// route decodes one alerting.routes item; n is its place, from 1. Unset
// settings start at their defaults, so Resolved can default to true.
func (d *decoder) route(n *yaml.Node, path string, place int) Route {
	r := Route{Line: n.Line}
	r.applyDefaults(place)
	r.Resolved = true
	for _, p := range d.item(n, path, "a map with name:, match:, receivers:, escalate:, …", routeKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &r.Name)
		case "match":
			d.alertMatch(p.Val, p.Path, &r.Match)
		case "receivers":
			d.strings(p.Val, p.Path, &r.Receivers)
		case "escalate":
			d.strings(p.Val, p.Path, &r.Escalate)
		case "group_wait":
			d.duration(p.Val, p.Path, &r.GroupWait)
		case "group_interval":
			d.duration(p.Val, p.Path, &r.GroupInterval)
		case "repeat_interval":
			d.duration(p.Val, p.Path, &r.RepeatInterval)
		case "resolved":
			d.boolean(p.Val, p.Path, &r.Resolved)
		case "continue":
			d.boolean(p.Val, p.Path, &r.Continue)
		}
	}
	return r
}

func (d *decoder) alertMatch(n *yaml.Node, path string, m *AlertMatch) {
	pairs, _ := d.mapping(n, path, "a map with severity:, kind:, mirror:, region:, level:", matchKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "severity":
			d.strings(p.Val, p.Path, &m.Severity)
		case "kind":
			d.strings(p.Val, p.Path, &m.Kind)
		case "mirror":
			d.strings(p.Val, p.Path, &m.Mirror)
		case "region":
			d.strings(p.Val, p.Path, &m.Region)
		case "level":
			d.strings(p.Val, p.Path, &m.Level)
		}
	}
}

// applyDefaults fills a route's unset timings and its name (route-N, N
// its place from 1). Resolved is left alone: false cannot mean "unset".
func (r *Route) applyDefaults(place int) {
	if r.Name == "" {
		r.Name = fmt.Sprintf("route-%d", place)
	}
	orDur(&r.GroupWait, DefaultGroupWait)
	orDur(&r.GroupInterval, DefaultGroupInterval)
	orDur(&r.RepeatInterval, DefaultRepeatInterval)
}

// applyRouteDefaults is applyDefaults for every route of a Config built in Go.
func (a *Alerting) applyRouteDefaults() {
	for i := range a.Routes {
		a.Routes[i].applyDefaults(i + 1)
	}
}

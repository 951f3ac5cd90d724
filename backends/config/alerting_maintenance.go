package config

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var maintenanceKeys = []string{"match", "start", "duration", "every", "reason"}

// maxMaintenance bounds a window's length: a longer one is a silence
// nobody will remember setting.
const maxMaintenance = 7 * 24 * time.Hour

// maintenance decodes one alerting.maintenance item.
func (d *decoder) maintenance(n *yaml.Node, path string) Maintenance {
	x := Maintenance{Line: n.Line}
	for _, p := range d.item(n, path, "a map with match:, start:, duration:, every:, reason:", maintenanceKeys) {
		switch p.Key.Value {
		case "match":
			d.str(p.Val, p.Path, &x.Match)
		case "start":
			d.instant(p.Val, p.Path, &x.Start)
		case "duration":
			d.duration(p.Val, p.Path, &x.Duration)
		case "every":
			d.duration(p.Val, p.Path, &x.Every)
		case "reason":
			d.str(p.Val, p.Path, &x.Reason)
		}
	}
	return x
}

// instant reads an RFC 3339 time with its zone, e.g. 2026-12-06T02:00:00Z.
func (d *decoder) instant(n *yaml.Node, path string, dst *time.Time) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		d.Fail(d.line(path), path, "%s is not a time with its zone (want e.g. 2026-12-06T02:00:00Z)", d.show(path, v))
		return false
	}
	*dst = t
	return true
}

// checkMaintenance checks each window: a matcher that parses, a start,
// a length, a repeat no shorter than the window, and why.
func checkMaintenance(k *checker, ms []Maintenance) {
	for i, x := range ms {
		p := index("alerting.maintenance", i)
		if strings.TrimSpace(x.Match) == "" {
			k.fail(join(p, "match"), "missing; say what it silences, e.g. match: mirror=osaka")
		} else if _, err := ParseMatcher(x.Match); err != nil {
			k.fail(join(p, "match"), "%v", err)
		}
		if x.Start.IsZero() {
			k.fail(join(p, "start"), "missing; when the window opens, e.g. start: 2026-12-06T02:00:00Z")
		}
		switch {
		case x.Duration <= 0:
			k.fail(join(p, "duration"), "missing or not positive; how long the window lasts, e.g. duration: 2h")
		case x.Duration > maxMaintenance:
			k.fail(join(p, "duration"), "%s is longer than 7d; split it, or fix what keeps alerting", k.dur(join(p, "duration"), x.Duration))
		}
		if x.Every < 0 || (x.Every > 0 && x.Every < x.Duration) {
			k.fail(join(p, "every"), "%s is shorter than the window's duration (%s); give 0 for once, or e.g. every: 168h for weekly",
				k.dur(join(p, "every"), x.Every), formatDuration(x.Duration))
		}
		if strings.TrimSpace(x.Reason) == "" {
			k.fail(join(p, "reason"), "missing; say why alerts may be quiet, e.g. reason: weekly rsync window")
		}
	}
}

// maintenance writes one window back.
func (w writer) maintenance(x *Maintenance, p string) *yaml.Node {
	n := w.m(
		"match", w.s(join(p, "match"), x.Match),
		"start", w.s(join(p, "start"), x.Start.Format(time.RFC3339)),
		"duration", w.d(join(p, "duration"), x.Duration),
	)
	w.add(n, p, "every", x.Every != 0, w.d(join(p, "every"), x.Every))
	n.Content = append(n.Content, w.key("reason"), w.s(join(p, "reason"), x.Reason))
	return n
}

// Window is when the maintenance x is on around now: the occurrence that
// holds now, or else the next one; ok is false once it will not come again.
func (x Maintenance) Window(now time.Time) (start, end time.Time, ok bool) {
	if x.Duration <= 0 || x.Start.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	start = x.Start
	if x.Every > 0 && now.After(start) {
		start = start.Add(now.Sub(start) / x.Every * x.Every) // the latest occurrence at or before now
	}
	end = start.Add(x.Duration)
	if !now.Before(end) {
		if x.Every <= 0 {
			return time.Time{}, time.Time{}, false
		}
		start = start.Add(x.Every)
		end = start.Add(x.Duration)
	}
	return start, end, true
}

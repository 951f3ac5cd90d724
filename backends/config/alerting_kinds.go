package config

import (
	"maps"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var (
	alertKindKeys = []string{"for", "keep_for"}
	flappingKeys  = []string{"changes", "window"}
)

// Flapping defaults: more than 6 state changes in 10 minutes.
const (
	DefaultFlapChanges = 6
	DefaultFlapWindow  = 10 * time.Minute
)

// DefaultAlertKinds is the hysteresis each kind gets unless the file says
// otherwise. Down and drift already wait for fail_after probes; the noisy
// kinds hold long enough that a blip or a lag near its threshold is not an
// alert, and lag stays raised a minute after it recovers.
func DefaultAlertKinds() map[string]AlertKind {
	return map[string]AlertKind{
		"mirror-degraded": {For: 30 * time.Second},
		"mirror-partial":  {For: 30 * time.Second},
		"mirror-lag":      {For: time.Minute, KeepFor: time.Minute},
		"sync-error":      {For: time.Minute},
	}
}

// Hold is the hysteresis of an alert kind: the file's, else the default
// (zero for kinds without one), so configs built in Go need no defaults.
func (a *Alerting) Hold(kind string) AlertKind {
	if k, ok := a.Kinds[kind]; ok {
		return k
	}
	return DefaultAlertKinds()[kind]
}

// Flap is the flapping rule with defaults for unset parts.
func (a *Alerting) Flap() Flapping {
	f := a.Flapping
	if f.Changes == 0 {
		f.Changes = DefaultFlapChanges
	}
	if f.Window == 0 {
		f.Window = DefaultFlapWindow
	}
	return f
}

// LagClearAt is the lag below which a lag alert clears: lag_clear, else
// (unset, or not below lag_warning in a config built in Go) 80 % of
// lag_warning.
func (t *Thresholds) LagClearAt() time.Duration {
	if t.LagClear > 0 && t.LagClear < t.LagWarning {
		return t.LagClear
	}
	return t.LagWarning * 8 / 10
}

// applyHysteresisDefaults fills lag_clear, every kind the file left out
// and the flapping rule.
func (c *Config) applyHysteresisDefaults() {
	if c.Thresholds.LagClear == 0 {
		c.Thresholds.LagClear = c.Thresholds.LagClearAt()
	}
	a := &c.Alerting
	if a.Kinds == nil {
		a.Kinds = map[string]AlertKind{}
	}
	for k, v := range DefaultAlertKinds() {
		if _, ok := a.Kinds[k]; !ok {
			a.Kinds[k] = v
		}
	}
	a.Flapping = a.Flap()
}

// alertKinds decodes alerting.kinds: a map of kind → {for:, keep_for:}. A
// kind's unset parts keep that kind's default.
func (d *decoder) alertKinds(n *yaml.Node, path string) map[string]AlertKind {
	pairs, ok := d.mapping(n, path, "a map of alert kind: {for:, keep_for:}", nil)
	if !ok {
		return nil
	}
	out := make(map[string]AlertKind, len(pairs))
	for _, p := range pairs {
		k := DefaultAlertKinds()[p.Key.Value]
		if !isNull(p.Val) {
			for _, q := range d.item(p.Val, p.Path, "a map with for:, keep_for:", alertKindKeys) {
				switch q.Key.Value {
				case "for":
					d.duration(q.Val, q.Path, &k.For)
				case "keep_for":
					d.duration(q.Val, q.Path, &k.KeepFor)
				}
			}
		}
		out[p.Key.Value] = k
	}
	return out
}

func (d *decoder) flapping(n *yaml.Node, path string, x *Flapping) {
	pairs, _ := d.mapping(n, path, "a map with changes:, window:", flappingKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "changes":
			d.integer(p.Val, p.Path, &x.Changes)
		case "window":
			d.duration(p.Val, p.Path, &x.Window)
		}
	}
}

// checkHysteresis: lag clears below where it warns, kinds are ones the
// room raises, holds are not negative, flapping needs room to flap.
func checkHysteresis(k *checker, c *Config) {
	const t = "thresholds"
	th := &c.Thresholds
	lc, lw := join(t, "lag_clear"), join(t, "lag_warning")
	switch {
	case th.LagClear < 0:
		k.fail(lc, "%s must be positive (it defaults to 80 %% of lag_warning)", k.dur(lc, th.LagClear))
	case th.LagClear >= th.LagWarning && th.LagWarning > 0 && !k.bad(lw):
		k.fail(lc, "%s is not below lag_warning %s; a lag alert must clear below where it warns",
			k.dur(lc, th.LagClear), k.dur(lw, th.LagWarning))
	}
	const p = "alerting.kinds"
	for _, name := range slices.Sorted(maps.Keys(c.Alerting.Kinds)) {
		kp := join(p, name)
		if !slices.Contains(AlertKindNames, name) {
			k.fail(kp, "unknown alert kind %s; the room raises %s", k.show(kp, name), strings.Join(AlertKindNames, ", "))
			continue
		}
		if name == ExternalKind {
			k.fail(kp, "external alerts come from Alertmanager, whose rules already wait their for:; set it there")
			continue
		}
		v := c.Alerting.Kinds[name]
		for _, f := range []struct {
			key string
			d   time.Duration
		}{{"for", v.For}, {"keep_for", v.KeepFor}} {
			if f.d < 0 {
				k.fail(join(kp, f.key), "%s must not be negative (0 = at once)", k.dur(join(kp, f.key), f.d))
			}
		}
	}
	const fp = "alerting.flapping"
	f := &c.Alerting.Flapping
	if f.Changes < 2 {
		k.fail(join(fp, "changes"), "%s must be at least 2 (more changes than this within window: is flapping)", k.int(join(fp, "changes"), f.Changes))
	}
	positive(k, join(fp, "window"), f.Window)
}

// alertKinds writes alerting.kinds (every kind, defaults included) and
// alerting.flapping into n.
func (w writer) alertKinds(n *yaml.Node, a *Alerting) {
	const p = "alerting.kinds"
	kinds := w.m()
	for _, name := range slices.Sorted(maps.Keys(a.Kinds)) {
		v, kp := a.Kinds[name], join(p, name)
		kinds.Content = append(kinds.Content, w.key(name), w.m(
			"for", w.d(join(kp, "for"), v.For),
			"keep_for", w.d(join(kp, "keep_for"), v.KeepFor)))
	}
	w.add(n, "alerting", "kinds", len(a.Kinds) > 0, kinds)
	const fp = "alerting.flapping"
	n.Content = append(n.Content, w.key("flapping"), w.m(
		"changes", w.i(join(fp, "changes"), a.Flapping.Changes),
		"window", w.d(join(fp, "window"), a.Flapping.Window)))
}

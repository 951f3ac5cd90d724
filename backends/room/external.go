package room

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"warroom/backends/config"
)

// ExternalAlert is one alert of Alertmanager's webhook as the intake read
// it; everything in it is outside text, cleaned and bounded here.
type ExternalAlert struct {
	Fingerprint      string
	Status           string            // firing | resolved
	Labels           map[string]string // alertname, severity, instance, mirror, …
	Annotations      map[string]string // summary, description
	StartsAt, EndsAt time.Time
	Source           string // the receiver and the Alertmanager's externalURL
}

// The statuses Alertmanager gives an alert.
const (
	ExternalFiring   = "firing"
	ExternalResolved = "resolved"
)

// Bounds on what one external alert may bring into the room.
const (
	MaxExternalLabels = 32  // labels kept per alert (alertname, severity, mirror, instance first)
	maxLabelName      = 64  // bytes
	maxLabelValue     = 256 // runes
	maxExternalText   = 300 // runes of "alertname: summary"
	maxLabelsShown    = 160 // runes of the label list on the timeline
)

// ExternalView is what the room knows of an external alert beyond the
// alert itself. Never changed once published: a change is a new view.
type ExternalView struct {
	Labels      map[string]string `json:"labels,omitempty"`
	Fingerprint string            `json:"fingerprint"`
	Source      string            `json:"source,omitempty"`
	StartsAt    time.Time         `json:"starts_at,omitzero"`
	// Deliveries counts the firing deliveries since it was raised (or the
	// room started): an HA pair's duplicate and Alertmanager's repeats
	// count here and change nothing else. In memory only.
	Deliveries int `json:"deliveries"`
}

// ExternalResult says what one delivery did, alert by alert.
type ExternalResult struct {
	Raised   int // new, or firing at another severity
	Cleared  int // resolved
	Repeated int // already known as it is (a duplicate or a repeat), or resolved and not open
	Refused  int // neither firing nor resolved
}

// ObserveExternal takes alerts from Alertmanager. Unlike a probe, it waits
// until what they changed is journaled, so an answer of success means
// recorded and an error tells Alertmanager to deliver again: a replica or
// a room without quorum refuses (NotLeaderError, NoQuorumError).
func (r *Room) ObserveExternal(ctx context.Context, alerts []ExternalAlert) (ExternalResult, error) {
	var res ExternalResult
	err := r.doMany(ctx, func() ([]Event, error) {
		now := r.clock.Now()
		for _, a := range alerts {
			r.st.observeExternal(now, a, &res)
		}
		return nil, nil
	}, nil)
	if err != nil {
		return ExternalResult{}, err // res may still be written by the room goroutine
	}
	return res, nil
}

func isExternalAlert(id string) bool { return alertKind(id) == config.ExternalKind }

// observeExternal raises, clears or counts one external alert. Its id is
// external/<alertname>/<fingerprint[:8]>: the fingerprint dedupes.
func (st *state) observeExternal(now time.Time, x ExternalAlert, res *ExternalResult) {
	lbl := st.boundLabels(x.Labels)
	fp := fingerprint(x.Fingerprint, lbl)
	name := lbl["alertname"]
	id := config.ExternalKind + "/" + idPart(name) + "/" + fp[:8]
	a, active := st.alerts[id]
	switch x.Status {
	case ExternalResolved:
		if !active {
			res.Repeated++ // the twin of an HA pair resolved it already, or it was never seen
			return
		}
		res.Cleared++
		st.record(Event{At: now, Kind: EvAlertCleared, Subject: a.Subject, Level: "ok",
			Text: "cleared: " + a.Text + " (resolved by Alertmanager)", Fields: AlertFacts{Alert: id}.Fields()})
		return
	case ExternalFiring:
	default:
		res.Refused++
		return
	}
	sev := Warning
	if strings.EqualFold(lbl["severity"], string(Critical)) {
		sev = Critical
	}
	text := externalText(st.clean.Line, name, x.Annotations)
	facts := ExternalFacts{Labels: lbl, Fingerprint: fp, Source: cutRunes(st.clean.Line(x.Source), maxLabelValue), StartsAt: x.StartsAt}
	if !active || a.Severity != sev {
		res.Raised++
		subject := externalSubject(lbl)
		st.record(Event{At: now, Kind: EvAlertRaised, Subject: subject, Level: string(sev),
			Text:   fmt.Sprintf("%s alert: %s%s", sev, text, labelList(lbl)),
			Fields: facts.raisedFields(AlertFacts{Alert: id, Text: text})})
		return
	}
	res.Repeated++
	// A repeat may reword the summary; like a probe's rewording, not an event.
	v := facts.view()
	if a.External != nil {
		v.Deliveries = a.External.Deliveries + 1
	}
	a.Text, a.External = text, v
	st.alertsChanged, st.dirty = true, true
}

// externalView is the view an alert.raised event gives an external alert
// (nil for other alerts): its first delivery.
func externalView(ev Event) *ExternalView {
	if !isExternalAlert(ev.AlertFacts().Alert) {
		return nil
	}
	return ev.ExternalFacts().view()
}

func (f ExternalFacts) view() *ExternalView {
	return &ExternalView{Labels: f.Labels, Fingerprint: f.Fingerprint, Source: f.Source, StartsAt: f.StartsAt, Deliveries: 1}
}

// boundLabels cleans names and values and keeps at most MaxExternalLabels,
// the ones the room reads first, then by name.
func (st *state) boundLabels(in map[string]string) map[string]string {
	names := slices.Collect(maps.Keys(in))
	first := []string{"alertname", "severity", "mirror", "instance"}
	slices.SortFunc(names, func(a, b string) int {
		ia, ib := slices.Index(first, a), slices.Index(first, b)
		if ia < 0 {
			ia = len(first)
		}
		if ib < 0 {
			ib = len(first)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	out := make(map[string]string, min(len(names), MaxExternalLabels))
	for _, k := range names {
		if len(out) == MaxExternalLabels {
			break
		}
		name := labelName(k)
		if name == "" {
			continue
		}
		if _, dup := out[name]; !dup {
			out[name] = cutRunes(st.clean.Line(in[k]), maxLabelValue)
		}
	}
	return out
}

// labelName is a label name as Prometheus allows it ([a-zA-Z_][a-zA-Z0-9_]*),
// or "" for anything else: a name is never outside text worth keeping.
func labelName(k string) string {
	if k == "" || len(k) > maxLabelName {
		return ""
	}
	for i, r := range k {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return ""
		}
	}
	return k
}

// fingerprint is Alertmanager's fingerprint when it is one (hex), else a
// hash of the labels, so an alert without one still dedupes. At least 8
// characters, as the id takes 8.
func fingerprint(given string, lbl map[string]string) string {
	given = strings.ToLower(strings.TrimSpace(given))
	if len(given) >= 8 && len(given) <= 64 && strings.Trim(given, "0123456789abcdef") == "" {
		return given
	}
	h := fnv.New64a()
	for _, k := range slices.Sorted(maps.Keys(lbl)) {
		fmt.Fprintf(h, "%s\x00%s\x00", k, lbl[k])
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// idPart is an alert name made safe for an alert id (no "/", no spaces).
func idPart(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= 64 {
			break
		}
		switch {
		case r == '_' || r == '-' || r == '.' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "alert"
	}
	return b.String()
}

// externalSubject is what the alert is about: the mirror it names, else
// the instance, else the job, else its name.
func externalSubject(lbl map[string]string) string {
	for _, k := range []string{"mirror", "instance", "job", "alertname"} {
		if v := lbl[k]; v != "" {
			return v
		}
	}
	return "alertmanager"
}

// externalText is "alertname: summary" (or the description when there is
// no summary), cleaned and cut.
func externalText(clean func(string) string, name string, ann map[string]string) string {
	if name == "" {
		name = "alert"
	}
	s := ann["summary"]
	if s == "" {
		s = ann["description"]
	}
	if s = clean(s); s != "" {
		name += ": " + s
	}
	return cutRunes(name, maxExternalText)
}

// labelList is " {instance=web1, job=node}" for the timeline, or "".
func labelList(lbl map[string]string) string {
	if s := labelText(lbl); s != "" {
		return " {" + s + "}"
	}
	return ""
}

// LabelText is "instance=web1, job=node": the labels the alert's text does
// not say already (its name and severity), cut to a line's worth.
func (x *ExternalView) LabelText() string { return labelText(x.Labels) }

func labelText(lbl map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(lbl)) {
		if k != "alertname" && k != "severity" {
			parts = append(parts, k+"="+lbl[k])
		}
	}
	return cutRunes(strings.Join(parts, ", "), maxLabelsShown)
}

// cutRunes is s cut to n runes, with "…" where it was cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

package room

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"warroom/backends/config"
)

// silences are people's silences (journaled, until they expire) and the
// config's maintenance windows (computed from the clock, never journaled).
type silences struct {
	people map[string]*silence // active, by id
	next   int                 // the highest sil-N journaled
	maint  []*silence          // one per alerting.maintenance entry; view times unset
	cfg    []config.Maintenance
	shown  string // the ids active at the last tick: a change re-marks alerts
}

type silence struct {
	view SilenceView
	m    config.Matcher
}

// newSilences reads the config's windows; a matcher the config check
// refused is left out rather than silencing what it was not meant to.
func newSilences(cfg *config.Config) silences {
	s := silences{people: map[string]*silence{}}
	for i, x := range cfg.Alerting.Maintenance {
		m, err := config.ParseMatcher(x.Match)
		if err != nil {
			continue
		}
		s.maint = append(s.maint, &silence{m: m, view: SilenceView{ID: "maint-" + strconv.Itoa(i+1),
			Matcher: m.String(), By: "config", Reason: x.Reason}})
		s.cfg = append(s.cfg, x)
	}
	return s
}

// applySilence makes a silence event's effect, live and on replay.
func (st *state) applySilence(ev Event) {
	f := ev.SilenceFacts()
	switch ev.Kind {
	case EvSilenceAdded:
		m, err := config.ParseMatcher(f.Matcher)
		if err != nil {
			return // written by this build's parser; a journal edited by hand loses it
		}
		st.sil.people[f.ID] = &silence{m: m, view: SilenceView{ID: f.ID, Matcher: f.Matcher, By: ev.Actor,
			Reason: f.Reason, Start: f.Start, End: f.End}}
		if n, err := strconv.Atoi(strings.TrimPrefix(f.ID, "sil-")); err == nil && n > st.sil.next {
			st.sil.next = n
		}
	case EvSilenceExpired:
		delete(st.sil.people, f.ID)
	}
	st.alertsChanged = true
}

// clockNow is the room's clock, for what depends on the time alone.
func (st *state) clockNow() time.Time {
	if st.opts.Clock == nil {
		return time.Now()
	}
	return st.opts.Clock.Now()
}

// active is every silence in force at now: people's, then the windows,
// each with its present start and end.
func (st *state) activeSilences(now time.Time) []*silence {
	var out []*silence
	for _, s := range st.sil.people {
		if !now.Before(s.view.Start) && now.Before(s.view.End) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b *silence) int { return strings.Compare(a.view.ID, b.view.ID) })
	for i, s := range st.sil.maint {
		if start, end, ok := st.sil.cfg[i].Window(now); ok && !now.Before(start) {
			c := *s
			c.view.Start, c.view.End = start, end
			out = append(out, &c)
		}
	}
	return out
}

// silencedBy is the silence that keeps a from being routed now, or nil.
// Of several, the one that lasts longest, so "left" never understates.
func (st *state) silencedBy(a *Alert) *SilenceView {
	return st.silenceOf(a, st.activeSilences(st.clockNow()))
}

func (st *state) silenceOf(a *Alert, active []*silence) *SilenceView {
	var best *SilenceView
	l := st.alertLabels(a)
	for _, s := range active {
		if s.m.Matches(l, a.ID) && (best == nil || s.view.End.After(best.End)) {
			v := s.view
			best = &v
		}
	}
	return best
}

// markSilenced fills each alert's Silence for a snapshot.
func (st *state) markSilenced(alerts []Alert, now time.Time) {
	active := st.activeSilences(now)
	for i := range alerts {
		alerts[i].Silence = st.silenceOf(&alerts[i], active)
	}
}

// silenceViews are the silences in force and each window's next
// occurrence, soonest ending first.
func (st *state) silenceViews(now time.Time) []SilenceView {
	var out []SilenceView
	for _, s := range st.sil.people {
		out = append(out, s.view)
	}
	for i, s := range st.sil.maint {
		if start, end, ok := st.sil.cfg[i].Window(now); ok {
			v := s.view
			v.Start, v.End = start, end
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b SilenceView) int {
		if c := a.End.Compare(b.End); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// expireSilences ends people's silences whose time is up, journaled as
// ended by themselves (the leader's to record).
func (st *state) expireSilences(now time.Time) {
	var ids []string
	for id, s := range st.sil.people {
		if !now.Before(s.view.End) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		s := st.sil.people[id]
		st.record(Event{At: now, Kind: EvSilenceExpired, Subject: id, Level: "info",
			Text: fmt.Sprintf("silence %s (%s) by %s ended: its time was up at %s", id, s.view.Matcher, s.view.By,
				s.view.End.Format("15:04:05")),
			Fields: SilenceFacts{ID: id, Matcher: s.view.Matcher, Start: s.view.Start, End: s.view.End}.Fields()})
	}
}

// noticeSilences re-marks the alerts when a silence starts or ends with
// time alone (a window opening or closing, a silence running out).
func (st *state) noticeSilences(now time.Time) {
	var shown []string
	for _, s := range st.activeSilences(now) {
		shown = append(shown, s.view.ID+"@"+s.view.End.String())
	}
	if len(shown) > 0 { // a level label may match differently at another level
		shown = append(shown, "level "+strconv.Itoa(st.incidentLevel()))
	}
	if sig := strings.Join(shown, " "); sig != st.sil.shown {
		st.sil.shown = sig
		st.alertsChanged, st.dirty = true, true
	}
}

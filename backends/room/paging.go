package room

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify"
)

// paging is the routing engine's state: one group per alerting.routes
// entry. What it decides from is rebuilt by replay (alert events, the
// alert posts it queued, escalations), so a restart never pages twice.
type paging struct {
	groups    []*pageGroup
	critSince map[string]time.Time // alert id → when it last turned critical
	gone      []goneAlert          // recently cleared, for "resolved since the last message"
	sent      map[string]string    // post key + "\x00" + channel → post id
	out       []*postState         // queued here, handed to the outbox once journaled
	dirty     bool
	checked   time.Time
	started   bool // evaluated once since the room opened
}

// pageGroup is one route's alerts. An episode runs from the first message
// after the group filled to the message that says it all resolved.
type pageGroup struct {
	route     config.Route
	dedup     string // the dedup key's stem, fixed per site and route
	episode   int
	msg       int  // messages of this episode so far
	open      bool // a firing message went out and no resolve yet
	since     time.Time
	lastFlush time.Time
	lastHash  string
	ackHash   string
	sent      map[string]notify.AlertLine // listed as firing in the last message
	escalated map[string]bool             // escalate receivers paged this episode
}

type goneAlert struct {
	line   notify.AlertLine
	labels config.AlertLabels
	at     time.Time
}

func newPaging(cfg *config.Config) paging {
	pg := paging{critSince: map[string]time.Time{}, sent: map[string]string{}, dirty: true}
	for _, r := range cfg.Alerting.Routes {
		sum := sha256.Sum256([]byte(cfg.Site + "/" + r.Name))
		pg.groups = append(pg.groups, &pageGroup{route: r, dedup: hex.EncodeToString(sum[:8]),
			sent: map[string]notify.AlertLine{}, escalated: map[string]bool{}})
	}
	return pg
}

func (pg *paging) group(route string) *pageGroup {
	for _, g := range pg.groups {
		if g.route.Name == route {
			return g
		}
	}
	return nil
}

// dedupKey is what a pager files this episode's incident under.
func (g *pageGroup) dedupKey(episode int) string { return fmt.Sprintf("%s-%d", g.dedup, episode) }

// applyPaging keeps the engine's state with the journal; it runs before
// the event's own effect (a cleared alert is still there to remember).
func (st *state) applyPaging(ev Event) {
	pg := &st.page
	switch ev.Kind {
	case EvAlertRaised:
		id := ev.AlertFacts().Alert
		a, ok := st.alerts[id]
		wasCrit := ok && a.Severity == Critical
		if Severity(ev.Level) != Critical {
			delete(pg.critSince, id)
		} else if !wasCrit {
			pg.critSince[id] = ev.At // a new critical raise: it may escalate again
			if ok {
				a.EscalatedTo, a.EscalatedAt = nil, time.Time{}
			}
		}
	case EvAlertCleared:
		id := ev.AlertFacts().Alert
		if a, ok := st.alerts[id]; ok && st.silencedBy(a) == nil {
			pg.gone = append(pg.gone, goneAlert{line: alertLine(a), labels: st.alertLabels(a), at: ev.At})
		}
		delete(pg.critSince, id)
	case EvAlertEscalated:
		f := ev.EscalationFacts()
		if a, ok := st.alerts[f.Alert]; ok {
			a.EscalatedTo, a.EscalatedAt = f.Receivers, ev.At
			st.alertsChanged = true
		}
		if g := pg.group(f.Route); g != nil {
			for _, r := range f.Receivers {
				g.escalated[r] = true
			}
		}
	case EvPostQueued:
		if f := ev.PostFacts(); f.Page.Route != "" {
			st.applyPagePost(ev, f)
		}
		return
	case EvAlertAcked, EvSilenceAdded, EvSilenceExpired, EvIncidentDeclared, EvIncidentLevel, EvIncidentStatus,
		EvDrillStarted, EvDrillEnded:
	default:
		return
	}
	pg.dirty = true
}

// applyPagePost moves a route group on by one of its queued posts.
func (st *state) applyPagePost(ev Event, f PostFacts) {
	pg, p := &st.page, f.Page
	pg.sent[f.Key+"\x00"+f.Channel] = f.ID
	g := pg.group(p.Route)
	if g == nil {
		return // the route left the config
	}
	if p.Episode != g.episode {
		g.episode, g.msg, g.ackHash = p.Episode, 0, ""
		clear(g.escalated)
	}
	g.msg = max(g.msg, p.Msg)
	switch p.Status {
	case notify.AlertFiring:
		g.open, g.lastFlush, g.lastHash = true, ev.At, p.Hash
		clear(g.sent)
		for _, id := range p.Alerts {
			if a, ok := st.alerts[id]; ok {
				g.sent[id] = alertLine(a)
			}
		}
	case notify.AlertAcknowledged:
		g.ackHash = p.Hash
	case notify.AlertResolved:
		g.open, g.lastFlush, g.lastHash, g.ackHash, g.since = false, ev.At, "", "", time.Time{}
		clear(g.sent)
	}
	if p.Status == notify.AlertFiring || p.Status == notify.AlertEscalated {
		for _, id := range p.Alerts {
			if a, ok := st.alerts[id]; ok && !slices.Contains(a.Paged, f.Channel) {
				a.Paged = append(slices.Clip(a.Paged), f.Channel) // snapshots share the old array
				st.alertsChanged = true
			}
		}
	}
}

func alertLine(a *Alert) notify.AlertLine {
	return notify.AlertLine{ID: a.ID, Severity: string(a.Severity), Subject: a.Subject, Text: a.Text,
		Since: a.Raised, AckedBy: a.AckedBy}
}

// stateHash names a group's firing set (ids and severities; acks apart).
func stateHash(as []*Alert) string {
	h := sha256.New()
	for _, a := range as {
		fmt.Fprintf(h, "%s\x00%s\n", a.ID, a.Severity)
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}

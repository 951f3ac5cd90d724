package room

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify"
)

// groupMsg is one message a route group owes its receivers.
type groupMsg struct {
	status   string // notify.AlertFiring | AlertResolved | AlertAcknowledged | AlertEscalated
	firing   []*Alert
	resolved []notify.AlertLine
	hash     string
	repeat   bool
	episode  int // 0: the group's present one
}

// pageTo is one receiver of a message and what its pager is told.
type pageTo struct {
	channel config.Channel
	action  string // the pager action
	dedup   string
	keyPart string
}

// sendGroup queues m to each of the group's receivers that takes it:
// firing to all; resolved to chat and email when the route says so and to
// pagers always; acknowledged to pagers only. Pagers paged by an
// escalation get its acknowledge and resolve under the escalation's key.
func (st *state) sendGroup(g *pageGroup, m groupMsg, now time.Time) {
	ep := m.episode
	if ep == 0 {
		ep = g.episode
	}
	var to []pageTo
	add := func(names []string, action, dedup, keyPart string, pagersOnly bool) {
		for _, name := range st.pageReceivers(names) {
			ch, ok := st.channelConfig(name)
			if ok && (ch.Kind == config.ChannelPager || !pagersOnly) {
				to = append(to, pageTo{channel: ch, action: action, dedup: dedup, keyPart: keyPart})
			}
		}
	}
	r := g.route
	esc := make([]string, 0, len(g.escalated))
	for name := range g.escalated {
		esc = append(esc, name)
	}
	slices.Sort(esc)
	switch m.status {
	case notify.AlertFiring:
		add(r.Receivers, notify.PageTrigger, g.dedupKey(ep), "trigger", false)
		for i := range to {
			if m.repeat {
				to[i].keyPart = "repeat"
			}
		}
	case notify.AlertResolved:
		add(r.Receivers, notify.PageResolve, g.dedupKey(ep), "resolve", !r.Resolved)
		add(esc, notify.PageResolve, g.dedupKey(ep)+"-esc", "resolve-esc", true)
	case notify.AlertAcknowledged:
		add(r.Receivers, notify.PageAcknowledge, g.dedupKey(ep), "acknowledge", true)
		add(esc, notify.PageAcknowledge, g.dedupKey(ep)+"-esc", "acknowledge-esc", true)
	}
	msg := g.msg + 1
	if ep != g.episode {
		msg = 1
	}
	for _, t := range to {
		key := fmt.Sprintf("page/%s/%d/%d/%s/%s", r.Name, ep, msg, t.keyPart, m.hash)
		st.queuePage(t, key, m, PageFacts{Route: r.Name, Episode: ep, Msg: msg, Hash: m.hash, Repeat: m.repeat}, now)
	}
}

// escalateAlert records that a went unacknowledged past ack_within and
// queues it to the route's escalate receivers.
func (st *state) escalateAlert(g *pageGroup, a *Alert, since, now time.Time) {
	names := st.pageReceivers(g.route.Escalate)
	if len(names) == 0 {
		return
	}
	waited := strings.TrimSuffix(now.Sub(since).Truncate(time.Second).String(), "0s")
	st.record(Event{At: now, Kind: EvAlertEscalated, Subject: a.Subject, Level: string(Critical),
		Text:   fmt.Sprintf("unacked %s — escalated to %s: %s", waited, strings.Join(names, ", "), a.Text),
		Fields: EscalationFacts{Alert: a.ID, Route: g.route.Name, Receivers: names}.Fields()})
	m := groupMsg{status: notify.AlertEscalated, firing: []*Alert{a}, hash: stateHash([]*Alert{a})}
	for _, name := range names {
		ch, ok := st.channelConfig(name)
		if !ok {
			continue
		}
		key := fmt.Sprintf("page/%s/%d/escalate/%s@%d", g.route.Name, g.episode, a.ID, since.Unix())
		st.queuePage(pageTo{channel: ch, action: notify.PageTrigger, dedup: g.dedupKey(g.episode) + "-esc"}, key, m,
			PageFacts{Route: g.route.Name, Episode: g.episode, Msg: g.msg, Hash: m.hash}, now)
	}
}

// queuePage records one alert post unless the receiver already has it
// (same key, not failed): replay, a second node or a repeated decision
// never sends the same page twice.
func (st *state) queuePage(t pageTo, key string, m groupMsg, f PageFacts, now time.Time) {
	name := t.channel.Name
	if id, ok := st.page.sent[key+"\x00"+name]; ok {
		if p := st.postByID[id]; p != nil && p.view.State != PostFailed {
			return
		}
	}
	msg := st.alertMessage(f.Route, m, now)
	title, text, err := notify.RenderAlert(t.channel.Lang, st.cfg.Notify.Templates, msg)
	if err != nil {
		title = fmt.Sprintf("[%s] %s: %s", strings.ToUpper(m.status), st.cfg.Site, f.Route)
		text = "The alert template failed: " + err.Error()
	}
	f.Action, f.DedupKey, f.Status = t.action, t.dedup, m.status
	f.Severity = worstSeverity(msg)
	for _, a := range m.firing {
		f.Alerts = append(f.Alerts, a.ID)
	}
	for _, l := range m.resolved {
		f.Resolved = append(f.Resolved, l.ID)
	}
	st.nextPost++
	id := fmt.Sprintf("post-%d", st.nextPost)
	st.record(Event{At: now, Kind: EvPostQueued, Subject: name, Actor: "alerting", Level: "info",
		Text: fmt.Sprintf("route %s queued %q to %s (%s)", f.Route, title, name, id),
		Fields: PostFacts{ID: id, Channel: name, Kind: t.channel.Kind, Template: "alert", Phase: m.status,
			Title: title, Text: text, Key: key, Drill: st.drillRunning(), Page: f}.Fields()})
	if p := st.postByID[id]; p != nil {
		st.page.out = append(st.page.out, p)
	}
}

func (st *state) alertMessage(route string, m groupMsg, now time.Time) notify.AlertMessage {
	msg := notify.AlertMessage{Site: st.cfg.Site, Route: route, Status: m.status, Repeat: m.repeat,
		Resolved: m.resolved, At: now}
	if o := st.inc.open; o != nil {
		msg.Incident = fmt.Sprintf("%s P%d", o.view.ID, o.view.Level)
	}
	for _, a := range m.firing {
		msg.Firing = append(msg.Firing, alertLine(a))
		if !a.Acked {
			msg.Unacked = max(msg.Unacked, now.Sub(a.Raised).Truncate(time.Second))
		}
	}
	return msg
}

func worstSeverity(m notify.AlertMessage) string {
	worst := "info"
	for _, l := range append(slices.Clip(m.Firing), m.Resolved...) {
		switch {
		case l.Severity == string(Critical):
			return string(Critical)
		case l.Severity == string(Warning):
			worst = string(Warning)
		}
	}
	return worst
}

// pageReceivers is names as a drill allows: during a drill only drill
// channels, and if the route names none, every drill channel; none at all
// when no channel is for drills (a drill never pages real people).
func (st *state) pageReceivers(names []string) []string {
	if !st.drillRunning() {
		return names
	}
	var drills, chosen []string
	for _, c := range st.cfg.Notify.Channels {
		if c.Drill {
			drills = append(drills, c.Name)
			if slices.Contains(names, c.Name) {
				chosen = append(chosen, c.Name)
			}
		}
	}
	if len(chosen) == 0 {
		return drills
	}
	return chosen
}

func (st *state) channelConfig(name string) (config.Channel, bool) {
	for _, c := range st.cfg.Notify.Channels {
		if c.Name == name {
			return c, true
		}
	}
	return config.Channel{}, false
}

// notifyPage is a page post's pager side, rebuilt from its facts so a post
// sent again after a restart says the same.
func (st *state) notifyPage(f PageFacts) *notify.Page {
	p := &notify.Page{Action: f.Action, DedupKey: f.DedupKey, Severity: f.Severity, Source: st.cfg.Site, Group: f.Route,
		Details: map[string]string{"status": f.Status, "firing": strings.Join(f.Alerts, ", ")}}
	if len(f.Resolved) > 0 {
		p.Details["resolved"] = strings.Join(f.Resolved, ", ")
	}
	kinds, subjects := map[string]bool{}, map[string]bool{}
	for _, id := range f.Alerts {
		kind, subject, _ := strings.Cut(id, "/")
		kinds[kind], subjects[subject] = true, true
	}
	for k := range kinds {
		if len(kinds) == 1 {
			p.Class = k
		}
	}
	for s := range subjects {
		if len(subjects) == 1 {
			p.Component = s
		}
	}
	return p
}

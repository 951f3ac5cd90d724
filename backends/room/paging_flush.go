package room

import (
	"sort"
	"time"

	"warroom/backends/notify"
)

// pageEvery is how often the engine looks again with nothing new: its
// timers (group_wait, intervals, ack_within) count in seconds.
const pageEvery = time.Second

// runPaging decides, on the room goroutine, which alert messages are due
// and records them; Room.commit hands them to the outbox once journaled.
// Only the leader with quorum and an outbox pages.
func (st *state) runPaging(now time.Time) {
	pg := &st.page
	if len(pg.groups) == 0 || st.opts.Outbox == nil || !st.replayed || st.resume != nil || st.refusal() != nil {
		return
	}
	if !pg.dirty && now.Sub(pg.checked) < pageEvery {
		return
	}
	pg.dirty, pg.checked = false, now
	members := st.routeAlerts()
	for i, g := range pg.groups {
		st.flushGroup(g, members[i], now)
	}
	st.escalate(members, now)
	st.pruneGone(now)
	pg.started = true
}

// routeAlerts lists each route's alerts: raised, not silenced, by id. The
// first route that matches takes an alert unless it says continue.
func (st *state) routeAlerts() [][]*Alert {
	ids := make([]string, 0, len(st.alerts))
	for id := range st.alerts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([][]*Alert, len(st.page.groups))
	for _, id := range ids {
		a := st.alerts[id]
		if st.silencedBy(a) != nil {
			continue
		}
		l := st.alertLabels(a)
		for i, g := range st.page.groups {
			if g.route.Match.Matches(l) {
				out[i] = append(out[i], a)
				if !g.route.Continue {
					break
				}
			}
		}
	}
	return out
}

// flushGroup sends what a group owes at now: the first message group_wait
// after it filled, changes at most once per group_interval, a repeat every
// repeat_interval while unacknowledged, an acknowledge to pagers once all
// is acknowledged, and the resolution at the next flush after it emptied.
func (st *state) flushGroup(g *pageGroup, in []*Alert, now time.Time) {
	r := g.route
	if len(in) == 0 {
		switch {
		case !g.open:
			g.since = time.Time{}
		case !now.Before(g.lastFlush.Add(r.GroupInterval)):
			st.sendGroup(g, groupMsg{status: notify.AlertResolved, resolved: st.newlyResolved(g, in, g.lastFlush)}, now)
			g.open = false // also when nothing was sent (resolved: false, no pager)
		}
		return
	}
	hash := stateHash(in)
	if !g.open {
		if g.since.IsZero() {
			g.since = now
			if !st.page.started { // after a restart: when they were raised
				for _, a := range in {
					g.since = minTime(g.since, a.Raised)
				}
			}
		}
		if now.Before(g.since.Add(r.GroupWait)) {
			return
		}
		st.sendGroup(g, groupMsg{status: notify.AlertFiring, firing: in, hash: hash, episode: g.episode + 1,
			resolved: st.newlyResolved(g, in, g.since)}, now)
	} else {
		news := st.newlyResolved(g, in, g.lastFlush)
		due := !now.Before(g.lastFlush.Add(r.GroupInterval))
		switch {
		case due && (hash != g.lastHash || len(news) > 0):
			st.sendGroup(g, groupMsg{status: notify.AlertFiring, firing: in, hash: hash, resolved: news}, now)
		case anyUnacked(in) && !now.Before(g.lastFlush.Add(r.RepeatInterval)):
			st.sendGroup(g, groupMsg{status: notify.AlertFiring, firing: in, hash: hash, repeat: true}, now)
		}
	}
	if g.open && !anyUnacked(in) && g.ackHash != hash {
		st.sendGroup(g, groupMsg{status: notify.AlertAcknowledged, firing: in, hash: hash}, now)
	}
}

// newlyResolved is what the group's last message listed and is gone now,
// plus alerts of its route that came and went since from.
func (st *state) newlyResolved(g *pageGroup, in []*Alert, from time.Time) []notify.AlertLine {
	now := map[string]bool{}
	for _, a := range in {
		now[a.ID] = true
	}
	var out []notify.AlertLine
	seen := map[string]bool{}
	for id, l := range g.sent {
		if !now[id] {
			out, seen[id] = append(out, l), true
		}
	}
	for _, x := range st.page.gone {
		if !x.at.Before(from) && !now[x.line.ID] && !seen[x.line.ID] && g.route.Match.Matches(x.labels) {
			out, seen[x.line.ID] = append(out, x.line), true
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// escalate sends each critical alert unacknowledged for ack_within since
// it turned critical to its route's escalate receivers, once per raise.
func (st *state) escalate(members [][]*Alert, now time.Time) {
	wait := st.cfg.Thresholds.AckWithin
	done := map[string]bool{}
	for i, g := range st.page.groups {
		if len(g.route.Escalate) == 0 || !g.open { // escalations follow the group's first page
			continue
		}
		for _, a := range members[i] {
			since, crit := st.page.critSince[a.ID]
			if !crit || a.Acked || a.EscalatedTo != nil || done[a.ID] || now.Before(since.Add(wait)) {
				continue
			}
			done[a.ID] = true
			st.escalateAlert(g, a, since, now)
		}
	}
}

func (st *state) pruneGone(now time.Time) {
	var keep time.Duration
	for _, g := range st.page.groups {
		keep = max(keep, g.route.GroupInterval+g.route.GroupWait)
	}
	gone := st.page.gone
	i := 0
	for i < len(gone) && now.Sub(gone[i].at) > keep {
		i++
	}
	st.page.gone = gone[i:]
}

func anyUnacked(as []*Alert) bool {
	for _, a := range as {
		if !a.Acked {
			return true
		}
	}
	return false
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// handPages gives the alert posts just journaled to the outbox; posts the
// journal refused are not sent (a restart decides again from the journal).
func (r *Room) handPages(flushErr error) {
	out := r.st.page.out
	r.st.page.out = nil
	if flushErr == nil {
		r.enqueue(out)
	}
}

package tui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"
)

// rect is a pane's place on screen, border included. A zero rect is a
// pane not shown in this layout.
type rect struct{ x, y, w, h int }

// Minimum terminal size for the full room; below it the app says so
// instead of drawing something broken.
const (
	minWidth  = 60
	minHeight = 16
)

// Pane positions in the model's pane list (and pane keys 1–9).
const (
	paneMirrors = iota
	paneLag
	paneHosts
	paneAlerts
	paneTimeline
	paneActions
	panePosts
	paneIncident
	panePresence
	paneCount
)

// postsOwnHeight is the height of the right column below the hosts from
// which a wide screen gives the Announcements pane a place of its own;
// below it, it shares the timeline's place.
const postsOwnHeight = 34

// wideLayout is the width from which the room gets two columns.
const wideLayout = 120

// incidentOwnHeight is the body height from which a wide screen gives the
// Incident pane a place of its own at the top of the right column while
// an incident is open, proposed or drilled; below it, on narrow screens
// and in quiet times, it shares the hosts' place.
const incidentOwnHeight = 36

// places says which pane shows in each place that panes share: shared
// (paneAlerts or paneActions), log (paneTimeline or panePosts) and ctx
// (paneHosts, paneIncident or panePresence); incident is set while an
// incident is open, proposed or drilled; alerts is the number of open
// alerts (the Alerts pane grows to show them); banner is set while a
// banner line sits under the header.
type places struct {
	shared, log, ctx int
	incident         bool
	alerts           int
	banner           bool
}

// places is where this session's panes go now.
func (m *Model) places() places {
	pl := places{shared: m.shared, log: m.log, ctx: m.ir.ctx, incident: m.ir.on}
	if m.snap != nil {
		pl.alerts = len(m.snap.Alerts)
	}
	pl.banner = m.width > 0 && m.banner(m.width) != ""
	return pl
}

// paneRects is each pane's place in the frame View draws next (none while
// help covers the body or the window is too small).
func (m *Model) paneRects() []rect {
	w, h := m.width, m.height
	if w < minWidth || h < minHeight || openOf[*helpOverlay](&m.modals) != nil {
		return nil
	}
	pl := m.places()
	bodyH := h - 2
	if pl.banner {
		bodyH--
	}
	if m.zoomed {
		rs := make([]rect, paneCount)
		rs[m.focus] = rect{0, 0, w, bodyH}
		return rs
	}
	return layout(w, bodyH, pl)
}

// syncPanes gives every pane on screen the snapshot and its body size, so
// cursors and windows move here, in Update, and the panes' View only
// draws. Panes off screen keep their state until they show again.
func (m *Model) syncPanes() {
	for i, r := range m.paneRects() {
		if r.w > 0 {
			m.panes[i].Sync(m.snap, max(r.w-2, 0), max(r.h-2, 0))
		}
	}
}

// alertsNeed is the height the Alerts pane needs to show n alerts: its
// frame, status line, header and a row each.
func alertsNeed(n int) int { return n + 4 }

// layout places the panes (in pane order) in a body of w×h cells. Wide
// screens get two columns: the fleet, the actions and the lag on the
// left; the incident, the hosts, the alerts, the announcements and the
// timeline on the right. Narrow ones stack the fleet on top of two rows
// of pairs. Panes that do not fit share a place, one showing at a time
// (see places): alerts with actions, the timeline with the
// announcements, and the hosts with the incident and the people present.
//
// Panes keep their places when a banner comes or goes: the body is laid
// out as if the banner's line were there, and the panes at the top give
// it up, so every pane below them stays where it was.
func layout(w, h int, pl places) []rect {
	if pl.log != panePosts {
		pl.log = paneTimeline
	}
	if pl.shared != paneActions {
		pl.shared = paneAlerts
	}
	if pl.ctx != paneIncident && pl.ctx != panePresence {
		pl.ctx = paneHosts
	}
	full := h
	if pl.banner {
		full++
	}
	var rs []rect
	if w >= wideLayout {
		rs = wide(w, full, pl)
	} else {
		rs = narrow(w, full, pl)
	}
	if pl.banner {
		for i := range rs {
			switch {
			case rs[i].w == 0:
			case rs[i].y == 0:
				rs[i].h--
			default:
				rs[i].y--
			}
		}
	}
	return rs
}

// wide is the two-column layout of a body of h lines.
func wide(w, h int, pl places) []rect {
	rs := make([]rect, paneCount)
	left := w * 3 / 5
	right := w - left
	mirrorsH := h * 2 / 5
	actionsH := h * 7 / 20
	lagH := h - mirrorsH - actionsH
	rs[paneMirrors] = rect{0, 0, left, mirrorsH}
	rs[paneActions] = rect{0, mirrorsH, left, actionsH}
	rs[paneLag] = rect{0, mirrorsH + actionsH, left, lagH}
	top, rh := 0, h
	if pl.incident && h >= incidentOwnHeight {
		incH := min(max(h/3, 12), 17)
		rs[paneIncident] = rect{left, 0, right, incH}
		top, rh = incH, h-incH
		if pl.ctx == paneIncident {
			pl.ctx = paneHosts
		}
	}
	hostsH := 10
	if rh < 40 {
		hostsH = 8
	}
	rs[pl.ctx] = rect{left, top, right, hostsH}
	rest := rh - hostsH
	y := top + hostsH
	if rest < postsOwnHeight {
		alertsH := alertsHeight(rest*2/5, rest/2, pl.alerts)
		rs[paneAlerts] = rect{left, y, right, alertsH}
		rs[pl.log] = rect{left, y + alertsH, right, rest - alertsH}
		return rs
	}
	alertsH := alertsHeight(rest/4, rest/2, pl.alerts)
	postsH := (rest - alertsH) / 2
	rs[paneAlerts] = rect{left, y, right, alertsH}
	rs[panePosts] = rect{left, y + alertsH, right, postsH}
	rs[paneTimeline] = rect{left, y + alertsH + postsH, right, rest - alertsH - postsH}
	return rs
}

// narrow is the stacked layout of a body of h lines: the fleet on top,
// the lag and the hosts, then the alerts and the timeline. The alerts'
// row grows into the middle one while that keeps minMid lines (enough
// for the lag's pinned mirrors).
func narrow(w, h int, pl places) []rect {
	const minMid = 7
	rs := make([]rect, paneCount)
	top := h * 2 / 5
	mid := (h - top) / 2
	bottom := h - top - mid
	if grow := alertsHeight(bottom, bottom+mid-minMid, pl.alerts) - bottom; grow > 0 {
		bottom += grow
		mid -= grow
	}
	half := w / 2
	rs[paneMirrors] = rect{0, 0, w, top}
	rs[paneLag] = rect{0, top, half, mid}
	rs[pl.ctx] = rect{half, top, w - half, mid}
	rs[pl.shared] = rect{0, top + mid, half, bottom}
	rs[pl.log] = rect{half, top + mid, w - half, bottom}
	return rs
}

// alertsHeight is the Alerts pane's height: base, or what n alerts need,
// up to most. It grows with the alerts (not with what shows in its
// place), so switching to the Actions pane moves nothing.
func alertsHeight(base, most, n int) int {
	return max(base, min(alertsNeed(n), most))
}

// placeMates are the panes that share a place with pane i, in key order.
func placeMates(i int) []int {
	for _, group := range [][]int{{paneAlerts, paneActions}, {paneTimeline, panePosts}, {paneHosts, paneIncident, panePresence}} {
		for _, p := range group {
			if p == i {
				var out []int
				for _, q := range group {
					if q != i {
						out = append(out, q)
					}
				}
				return out
			}
		}
	}
	return nil
}

// sharedHint is the title suffix of a pane in a shared place, naming the
// keys of the panes it hides ("shows" is dropped, then the names, when
// the title is long).
func (m *Model) sharedHint(i int, rects []rect) string {
	var hidden []int
	for _, o := range placeMates(i) {
		if rects[o].w == 0 {
			hidden = append(hidden, o)
		} else if i == paneIncident {
			return "" // shown beside its mates: a place of its own
		}
	}
	if len(hidden) == 0 {
		return ""
	}
	hint := func(shows, names bool) string {
		s := ""
		for _, o := range hidden {
			k := m.paneKey(o).Help().Key
			switch {
			case shows:
				s += fmt.Sprintf(" · %s shows %s", k, m.panes[o].Title())
			case names:
				s += fmt.Sprintf(" · %s %s", k, m.panes[o].Title())
			default:
				s += " · " + k
			}
		}
		return s
	}
	// The frame's title room: the width less the corners, a rule and the focus brackets.
	fits := func(h string) bool {
		return lipgloss.Width(fmt.Sprintf("%d %s%s", i+1, m.panes[i].Title(), h)) <= rects[i].w-7
	}
	if h := hint(true, true); fits(h) {
		return h
	}
	if h := hint(false, true); fits(h) || len(hidden) == 1 {
		return h
	}
	return hint(false, false)
}

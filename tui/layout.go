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
// Incident pane a place of its own at the top of the right column, in
// quiet times too; below it, it shares the hosts' place.
const incidentOwnHeight = 36

// chromeLines are the lines around the body: the header, the review line
// (what waits, or that nothing does) and the footer.
const chromeLines = 3

// places says which pane shows in each place that panes share: shared
// (paneAlerts or paneActions), log (paneTimeline or panePosts) and ctx
// (paneHosts, paneIncident or panePresence). Only the person's pane keys
// change them: nothing the room does moves a pane (see layout).
type places struct {
	shared, log, ctx int
}

// places is where this session's panes go now.
func (m *Model) places() places {
	return places{shared: m.shared, log: m.log, ctx: m.ir.ctx}
}

// paneRects is each pane's place in the frame View draws next (none while
// help covers the body or the window is too small).
func (m *Model) paneRects() []rect {
	w, h := m.width, m.height
	if w < minWidth || h < minHeight || openOf[*helpOverlay](&m.modals) != nil {
		return nil
	}
	bodyH := h - chromeLines
	if m.zoomed {
		rs := make([]rect, paneCount)
		rs[m.focus] = rect{0, 0, w, bodyH}
		return rs
	}
	return layout(w, bodyH, m.places())
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

// layout places the panes (in pane order) in a body of w×h cells. Wide
// screens get two columns: the fleet, the actions and the lag on the
// left; the incident, the hosts, the alerts, the announcements and the
// timeline on the right. Narrow ones stack the fleet on top of two rows
// of pairs. Panes that do not fit share a place, one showing at a time
// (see places): alerts with actions, the timeline with the
// announcements, and the hosts with the incident and the people present.
//
// The places are a function of the size and the person's pane keys
// alone: at 3 a.m. a pane never moves because of what the room did (a
// proposal, a post, an incident, more alerts). What changed in a hidden
// pane shows as a mark in its slot's title (marks.go).
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
	if w >= wideLayout {
		return wide(w, h, pl)
	}
	return narrow(w, h, pl)
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
	if h >= incidentOwnHeight {
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
		alertsH := rest / 2
		rs[paneAlerts] = rect{left, y, right, alertsH}
		rs[pl.log] = rect{left, y + alertsH, right, rest - alertsH}
		return rs
	}
	alertsH := rest / 3
	postsH := (rest - alertsH) / 2
	rs[paneAlerts] = rect{left, y, right, alertsH}
	rs[panePosts] = rect{left, y + alertsH, right, postsH}
	rs[paneTimeline] = rect{left, y + alertsH + postsH, right, rest - alertsH - postsH}
	return rs
}

// narrow is the stacked layout of a body of h lines: the fleet on top,
// the lag and the hosts, then the alerts and the timeline. The middle row
// keeps minMid lines (enough for the lag's pinned mirrors), taken from
// the fleet, which pins its own.
func narrow(w, h int, pl places) []rect {
	const minMid = 7
	rs := make([]rect, paneCount)
	top := h * 2 / 5
	mid := (h - top) / 2
	bottom := h - top - mid
	if take := min(minMid-mid, top-minMid); take > 0 {
		top -= take
		mid += take
	}
	half := w / 2
	rs[paneMirrors] = rect{0, 0, w, top}
	rs[paneLag] = rect{0, top, half, mid}
	rs[pl.ctx] = rect{half, top, w - half, mid}
	rs[pl.shared] = rect{0, top + mid, half, bottom}
	rs[pl.log] = rect{half, top + mid, w - half, bottom}
	return rs
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
// keys of the panes it hides, each with its mark (marks.go). When the
// title is long, "shows" is dropped, then the names; a mark is kept.
func (m *Model) sharedHint(i int, rects []rect) string {
	var hidden []int
	marked := false
	for _, o := range placeMates(i) {
		if rects[o].w == 0 {
			hidden = append(hidden, o)
			marked = marked || m.mark(o) != ""
		} else if i == paneIncident {
			return "" // shown beside its mates: a place of its own
		}
	}
	if len(hidden) == 0 {
		return ""
	}
	// hint names each hidden pane by its key, then "shows" and its title
	// (words 2), its title (1) or nothing more (0), then its mark.
	hint := func(words int) string {
		s := ""
		for _, o := range hidden {
			s += " · " + m.paneKey(o).Help().Key
			switch words {
			case 2:
				s += " shows " + m.panes[o].Title()
			case 1:
				s += " " + m.panes[o].Title()
			}
			if mk := m.mark(o); mk != "" {
				s += " " + mk
			}
		}
		return s
	}
	// The frame's title room: the width less the corners, a rule and the focus brackets.
	fits := func(h string) bool {
		return lipgloss.Width(fmt.Sprintf("%d %s%s", i+1, m.panes[i].Title(), h)) <= rects[i].w-7
	}
	for _, words := range []int{2, 1} {
		if h := hint(words); fits(h) {
			return h
		}
	}
	if len(hidden) == 1 && !marked {
		return hint(1) // a name cut short says more than a key alone
	}
	return hint(0)
}

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
// incident is open, proposed or drilled.
type places struct {
	shared, log, ctx int
	incident         bool
}

// layout places the panes (in pane order) in a body of w×h cells. Wide
// screens get two columns: the fleet, the actions and the lag on the
// left; the incident, the hosts, the alerts, the announcements and the
// timeline on the right. Narrow ones stack the fleet on top of two rows
// of pairs. Panes that do not fit share a place, one showing at a time
// (see places): alerts with actions, the timeline with the
// announcements, and the hosts with the incident and the people present.
func layout(w, h int, pl places) []rect {
	rs := make([]rect, paneCount)
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
			alertsH := rest * 2 / 5
			rs[paneAlerts] = rect{left, y, right, alertsH}
			rs[pl.log] = rect{left, y + alertsH, right, rest - alertsH}
			return rs
		}
		alertsH := rest / 4
		postsH := rest * 3 / 8
		rs[paneAlerts] = rect{left, y, right, alertsH}
		rs[panePosts] = rect{left, y + alertsH, right, postsH}
		rs[paneTimeline] = rect{left, y + alertsH + postsH, right, rest - alertsH - postsH}
		return rs
	}
	top := h * 2 / 5
	mid := (h - top) / 2
	bottom := h - top - mid
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

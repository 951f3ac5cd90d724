package tui

// rect is a pane's place on screen, border included. A zero rect is a
// pane not shown in this layout.
type rect struct{ x, y, w, h int }

// Minimum terminal size for the full room; below it the app says so
// instead of drawing something broken.
const (
	minWidth  = 60
	minHeight = 16
)

// Pane positions in the model's pane list (and pane keys 1–7).
const (
	paneMirrors = iota
	paneLag
	paneHosts
	paneAlerts
	paneTimeline
	paneActions
	panePosts
	paneCount
)

// postsOwnHeight is the body height from which a wide screen gives the
// Announcements pane a place of its own; below it, it shares the
// timeline's place.
const postsOwnHeight = 34

// wideLayout is the width from which every pane gets its own place.
const wideLayout = 120

// layout places the panes (in pane order: mirrors, lag, hosts, alerts,
// timeline, actions, posts) in a body of w×h cells. Wide screens get two
// columns: the fleet, the actions and the lag on the left; host, alerts,
// announcements and timeline on the right. Narrow ones stack the fleet on
// top of two rows of pairs, where alerts and actions share the bottom-left
// place (shared says which: paneAlerts or paneActions) and the timeline
// and the announcements the bottom-right one (log: paneTimeline or
// panePosts), as they also do on a wide but short screen.
func layout(w, h, shared, log int) []rect {
	rs := make([]rect, paneCount)
	if log != panePosts {
		log = paneTimeline
	}
	if w >= wideLayout {
		left := w * 3 / 5
		right := w - left
		mirrorsH := h * 2 / 5
		actionsH := h * 7 / 20
		lagH := h - mirrorsH - actionsH
		hostsH := 10
		if h < 30 {
			hostsH = 8
		}
		rs[paneMirrors] = rect{0, 0, left, mirrorsH}
		rs[paneActions] = rect{0, mirrorsH, left, actionsH}
		rs[paneLag] = rect{0, mirrorsH + actionsH, left, lagH}
		rs[paneHosts] = rect{left, 0, right, hostsH}
		if h < postsOwnHeight {
			alertsH := (h - hostsH) * 2 / 5
			rs[paneAlerts] = rect{left, hostsH, right, alertsH}
			rs[log] = rect{left, hostsH + alertsH, right, h - hostsH - alertsH}
			return rs
		}
		alertsH := (h - hostsH) / 4
		postsH := (h - hostsH) * 3 / 8
		rs[paneAlerts] = rect{left, hostsH, right, alertsH}
		rs[panePosts] = rect{left, hostsH + alertsH, right, postsH}
		rs[paneTimeline] = rect{left, hostsH + alertsH + postsH, right, h - hostsH - alertsH - postsH}
		return rs
	}
	top := h * 2 / 5
	mid := (h - top) / 2
	bottom := h - top - mid
	half := w / 2
	rs[paneMirrors] = rect{0, 0, w, top}
	rs[paneLag] = rect{0, top, half, mid}
	rs[paneHosts] = rect{half, top, w - half, mid}
	if shared != paneActions {
		shared = paneAlerts
	}
	rs[shared] = rect{0, top + mid, half, bottom}
	rs[log] = rect{half, top + mid, w - half, bottom}
	return rs
}

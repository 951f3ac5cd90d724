package tui

// rect is a pane's place on screen, border included.
type rect struct{ x, y, w, h int }

// Minimum terminal size for the full room; below it the app says so
// instead of drawing something broken.
const (
	minWidth  = 60
	minHeight = 16
)

// layout places the panes (in pane order: mirrors, lag, hosts, alerts,
// timeline) in a body of w×h cells. Wide screens get two columns: the
// fleet on the left, host, alerts and timeline on the right. Narrow ones
// stack the fleet on top of two rows of pairs.
func layout(w, h int) []rect {
	if w >= 120 {
		left := w * 3 / 5
		right := w - left
		mirrorsH := h * 11 / 20
		lagH := h - mirrorsH
		hostsH := 10
		if h < 30 {
			hostsH = 8
		}
		alertsH := (h - hostsH) * 2 / 5
		timelineH := h - hostsH - alertsH
		return []rect{
			{0, 0, left, mirrorsH},
			{0, mirrorsH, left, lagH},
			{left, 0, right, hostsH},
			{left, hostsH, right, alertsH},
			{left, hostsH + alertsH, right, timelineH},
		}
	}
	top := h * 2 / 5
	mid := (h - top) / 2
	bottom := h - top - mid
	half := w / 2
	return []rect{
		{0, 0, w, top},
		{0, top, half, mid},
		{half, top, w - half, mid},
		{0, top + mid, half, bottom},
		{half, top + mid, w - half, bottom},
	}
}

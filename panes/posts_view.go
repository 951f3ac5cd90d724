package panes

import (
	"fmt"
	"time"

	"warroom/backends/room"
	"warroom/themes"
)

func postColumns() []column {
	return []column{
		{title: "STATE", min: 1, want: 17, prio: 1, required: true},
		{title: "CHANNEL", min: 6, want: 14, max: 20, prio: 2, required: true},
		{title: "DETAIL", min: 8, want: 30, prio: 3, flex: true},
	}
}

// PostStateText is a post's state as the pane words it, with the time
// left before a retry: "sent", "retrying in 12s", "failed".
func PostStateText(pv *room.PostView, now time.Time) string {
	switch pv.State {
	case room.PostRetrying:
		if pv.RetryAt.IsZero() {
			return "retrying"
		}
		left := pv.RetryAt.Sub(now)
		if left <= 0 {
			return "retrying now"
		}
		secs := (left + time.Second - 1) / time.Second // never "in 0s" while waiting
		return "retrying in " + HumanDuration(secs*time.Second)
	case room.PostUnknown:
		return "unknown"
	}
	return string(pv.State)
}

// postDetail is the rest of a post's line: when it was sent, or why not.
func postDetail(pv *room.PostView) string {
	switch pv.State {
	case room.PostQueued:
		return "waiting to be sent"
	case room.PostSending:
		return fmt.Sprintf("attempt %d", max(pv.Attempt, 1))
	case room.PostSent:
		d := "at " + pv.SentAt.Format("15:04:05")
		if pv.Attempt > 1 {
			d += fmt.Sprintf(" · attempt %d", pv.Attempt)
		}
		return d
	case room.PostRetrying:
		return fmt.Sprintf("attempt %d: %s", pv.Attempt, pv.Err)
	case room.PostFailed:
		if pv.Attempt > 1 {
			return fmt.Sprintf("after %d attempts: %s", pv.Attempt, pv.Err)
		}
		return pv.Err
	case room.PostUnknown:
		return "check the channel: it may have arrived"
	}
	return ""
}

// View draws the announcements, then the selected post in full below a rule.
func (p *Posts) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	gs := postGroups(s)
	rows := postList(gs)
	if body, done := preamble(ik, s, func(*room.Snapshot) int { return len(rows) }, p.none(s), w, h); done {
		return body
	}
	cur := p.at(len(rows), func(i int) string { return rows[i].ID })
	var detail []string
	if h >= 12 {
		detail = postDetailLines(ik, s, rows[cur], w, 4)
	}
	lines, curLine := postLines(gs, cur)
	listH := postListH(h, len(detail))
	start := lineWindow(len(lines), curLine, listH, p.offset)
	cols := postColumns()
	chW := 0
	for _, pv := range rows {
		chW = max(chW, cells(clean(pv.Channel)))
	}
	fit(cols, "CHANNEL", chW)
	layout(cols, w-4)
	out := make([]string, 0, h)
	var rb rowBuilder
	for i := start; i < len(lines) && len(out) < listH; i++ {
		l := lines[i]
		if l.row < 0 {
			out = append(out, groupHeader(ik, s, l.g, w))
			continue
		}
		out = append(out, postRow(&rb, ik, cols, s, rows[l.row], focused && l.row == cur, w))
	}
	if len(detail) > 0 {
		for len(out) < listH {
			out = append(out, "")
		}
		out = append(out, ik.muted.paint(cell(repeatRule(w), w)))
		out = append(out, detail...)
	}
	return block(out, w, h)
}

// none is what the pane says with no announcements, and how to make one
// to those who may.
func (p *Posts) none(s *room.Snapshot) string {
	text := "no announcements yet"
	if p.AnnounceKey != "" && s != nil && !s.ReadOnly {
		text += " · " + p.AnnounceKey + " composes one"
	}
	return text
}

// postLine is a display line: an announcement's header (row -1) or a post.
type postLine struct {
	g   *postGroup
	row int // index in the post list, -1 for a header
}

// postLines are the display lines, and the line of post cur.
func postLines(gs []postGroup, cur int) ([]postLine, int) {
	var lines []postLine
	at, row := 0, 0
	for gi := range gs {
		lines = append(lines, postLine{g: &gs[gi], row: -1})
		for range gs[gi].posts {
			if row == cur {
				at = len(lines)
			}
			lines = append(lines, postLine{g: &gs[gi], row: row})
			row++
		}
	}
	return lines, at
}

// postListH is the lines for the list in a body of h lines whose detail
// takes detail lines below a rule.
func postListH(h, detail int) int {
	if detail > 0 {
		return h - 1 - detail
	}
	return h
}

// lineWindow is the first display line to draw in h lines so that line
// cur shows, with the line above it (its announcement's title) when it
// can, moved as little as possible from offset. Pure.
func lineWindow(n, cur, h, offset int) int {
	if h <= 0 {
		return 0
	}
	if cur-1 < offset {
		offset = max(cur-1, 0)
	}
	if cur >= offset+h {
		offset = cur - h + 1
	}
	return max(0, min(offset, n-h))
}

// groupHeader is an announcement's title, who queued it and when.
func groupHeader(ik *inks, s *room.Snapshot, g *postGroup, w int) string {
	title := clean(g.title)
	if g.drill {
		title = "[DRILL] " + title
	}
	if title == "" {
		title = "(no title)"
	}
	meta := fmt.Sprintf(" · %s · %s (%s ago)", clean(g.by), g.at.Format("15:04:05"), age(s.At, g.at))
	tw := min(cells(title), max(w-cells(meta), min(w, 16)))
	return ik.bold.paint(cell(title, tw)) + ik.muted.paint(cell(meta, w-tw))
}

func postRow(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, pv *room.PostView, sel bool, w int) string {
	rb.reset(cols, sel)
	st := PostStateText(pv, s.At)
	k := postInk(ik, pv.State)
	if ok, cw := rb.shown(); ok && cw >= 6 {
		rb.add(PostSymbol(pv.State)+" "+st, k)
	} else {
		rb.add(PostSymbol(pv.State), k)
	}
	rb.add(clean(pv.Channel), ik.text)
	dk := ik.muted
	if pv.State == room.PostFailed {
		dk = ik.crit
	}
	rb.add(clean(postDetail(pv)), dk)
	line := "  " + marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

// postDetailLines is the selected post in full, at most n lines: where it
// went, its whole error, and what a person can do.
func postDetailLines(ik *inks, s *room.Snapshot, pv *room.PostView, w, n int) []string {
	k := postInk(ik, pv.State)
	type styled struct {
		text string
		k    ink
	}
	ls := []styled{{fmt.Sprintf("%s → %s (%s) · %s %s", pv.ID, pv.Channel, pv.Kind, PostSymbol(pv.State), PostStateText(pv, s.At)), ik.bold}}
	switch pv.State {
	case room.PostFailed:
		ls = append(ls, styled{"the platform said: " + pv.Err, k}, styled{"final: the platform refused it, or every retry failed", ik.muted})
	case room.PostRetrying:
		ls = append(ls, styled{fmt.Sprintf("attempt %d failed: %s", pv.Attempt, pv.Err), k})
	case room.PostUnknown:
		ls = append(ls, styled{"warroom stopped while sending it: look in the channel, and send it again only if it is missing", k})
	}
	who := fmt.Sprintf("queued by %s at %s", pv.QueuedBy, pv.QueuedAt.Format("15:04:05"))
	if pv.State == room.PostSent {
		who += fmt.Sprintf(" · sent at %s (%s later)", pv.SentAt.Format("15:04:05"), HumanDuration(pv.SentAt.Sub(pv.QueuedAt)))
	}
	ls = append(ls, styled{who, ik.muted})
	var out []string
	for _, l := range ls {
		for _, part := range Wrap(l.text, w) {
			if len(out) < n {
				out = append(out, l.k.paint(cell(part, w)))
			}
		}
	}
	return out
}

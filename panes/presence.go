package panes

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// Presence is the Presence pane: who is in the room, in order of arrival,
// with their role, how long they have been here, which pane they look at
// and how they came in. This session's own row is marked, and so is the
// holder of the pen when the room has one.
type Presence struct {
	list
	inks inkCache
	memo *presenceMemo // a cache, shared by copies: not view state
	// Self is this session's presence id, to mark its row; the app sets it.
	Self string
}

// presenceMemo is the last frame and what it was drawn from. The pane is
// drawn per session (its own row is marked), for every snapshot; but the
// room hands over the same Presence slice until someone joins, leaves,
// looks elsewhere or takes the pen, and the HERE column changes only at
// whole seconds or minutes, so most snapshots need no new frame.
type presenceMemo struct {
	ps             []room.PresenceView
	pen            string
	penRequired    bool
	th             *themes.Theme
	w, h           int
	focused        bool
	cursor, offset int
	until          time.Time // when a HERE figure next changes
	out            string
}

// fresh reports whether the memo still shows s as the pane would draw it.
func (m *presenceMemo) fresh(s *room.Snapshot, th *themes.Theme, w, h int, focused bool, cursor, offset int) bool {
	ps := s.Presence
	return m.out != "" && len(ps) == len(m.ps) && &ps[0] == &m.ps[0] && s.Pen == m.pen && s.PenRequired == m.penRequired &&
		th == m.th && w == m.w && h == m.h && focused == m.focused && cursor == m.cursor && offset == m.offset &&
		s.At.Before(m.until)
}

// nextHere is when the HERE figure of someone here since since changes
// after at: at the next whole second for the first minute, then minutes.
func nextHere(since, at time.Time) time.Time {
	unit := time.Second
	age := at.Sub(since)
	if age >= time.Minute {
		unit = time.Minute
	}
	return since.Add((max(age, 0)/unit + 1) * unit)
}

// NewPresence returns the Presence pane.
func NewPresence() *Presence { return &Presence{memo: &presenceMemo{}} }

func (p *Presence) ID() string      { return "presence" }
func (p *Presence) Title() string   { return "People" }
func (p *Presence) Capturing() bool { return false }
func (p *Presence) Version() uint64 { return p.version }

func (p *Presence) Keys(km *keymaps.Keymap) []key.Binding {
	return []key.Binding{moveKeys(km)}
}

// Update moves the cursor over the people.
func (p *Presence) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	var ps []room.PresenceView
	if s != nil {
		ps = s.Presence
	}
	keyAt := func(i int) string { return ps[i].ID }
	p.follow(len(ps), keyAt)
	p.navigate(msg, km, len(ps))
	p.remember(len(ps), keyAt)
	p.offset, _ = span(len(ps), p.rows, p.cursor, p.offset)
	return Intent{}
}

// Sync keeps the cursor on its person in a new snapshot and the window
// around it in a body of h lines.
func (p *Presence) Sync(s *room.Snapshot, w, h int) {
	var ps []room.PresenceView
	if s != nil {
		ps = s.Presence
	}
	p.follow(len(ps), func(i int) string { return ps[i].ID })
	p.rows = presenceRows(h)
	p.offset, _ = span(len(ps), p.rows, p.cursor, p.offset)
}

// presenceRows is the lines for people in a body of h lines: below the
// summary, and the header from 4 lines.
func presenceRows(h int) int {
	if h >= 4 {
		return h - 2
	}
	return max(h-1, 0)
}

// Selected is the person under the cursor, or nil.
func (p *Presence) Selected(s *room.Snapshot) *room.PresenceView {
	if s == nil || len(s.Presence) == 0 {
		return nil
	}
	return &s.Presence[p.at(len(s.Presence), func(i int) string { return s.Presence[i].ID })]
}

// presenceColumns are the pane's columns; NODE (which node hosts the
// session) only in a cluster.
func presenceColumns(nodes bool) []column {
	cols := []column{
		{title: "NAME", min: 6, want: 14, prio: 1, required: true},
		{title: "ROLE", min: 4, want: 9, prio: 1, required: true},
		{title: "HERE", min: 4, want: 5, prio: 3, right: true},
		{title: "LOOKING AT", short: "PANE", min: 6, want: 11, max: 13, prio: 2},
	}
	if nodes {
		cols = append(cols, column{title: "NODE", min: 4, want: 8, max: 12, prio: 3})
	}
	return append(cols, column{title: "VIA", min: 5, want: 24, max: 28, prio: 4, flex: true})
}

// anyNode reports whether any session is hosted by a cluster's node.
func anyNode(ps []room.PresenceView) bool {
	for _, p := range ps {
		if p.Node != "" {
			return true
		}
	}
	return false
}

// View draws a summary line, a header and a row per person.
func (p *Presence) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if body, done := preamble(ik, s, func(s *room.Snapshot) int { return len(s.Presence) }, "nobody has joined the room", w, h); done {
		return body
	}
	ps := s.Presence
	cur := p.at(len(ps), func(i int) string { return ps[i].ID })
	start, end := span(len(ps), presenceRows(h), cur, p.offset)
	if p.memo.fresh(s, th, w, h, focused, cur, start) {
		return p.memo.out
	}
	counts := map[room.Role]int{}
	for _, pv := range ps {
		counts[pv.Role]++
	}
	summary := plural(len(ps), "person", "people") + " here"
	for _, r := range room.Roles() {
		if n := counts[r]; n > 0 {
			summary += fmt.Sprintf("  %d %s", n, r)
		}
	}
	if s.PenRequired {
		pen := s.Pen
		if pen == "" {
			pen = "nobody"
		}
		summary += "  ✎ pen: " + clean(pen)
	}
	out := []string{ik.muted.paint(cell(summary, w))}
	nodes := anyNode(ps)
	cols := presenceColumns(nodes)
	layout(cols, w-2)
	if h >= 4 {
		out = append(out, ik.header.paint(cell("  "+header(cols), w)))
	}
	var rb rowBuilder
	until := s.At.Add(time.Hour)
	for i := start; i < end; i++ {
		out = append(out, p.row(&rb, ik, cols, s, &ps[i], nodes, focused && i == cur, w))
		if next := nextHere(ps[i].Since, s.At); next.Before(until) {
			until = next
		}
	}
	*p.memo = presenceMemo{ps: ps, pen: s.Pen, penRequired: s.PenRequired, th: th, w: w, h: h, focused: focused,
		cursor: cur, offset: start, until: until, out: block(out, w, h)}
	return p.memo.out
}

func (p *Presence) row(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, pv *room.PresenceView, nodes, sel bool, w int) string {
	rb.reset(cols, sel)
	name := clean(pv.Name)
	if s.PenRequired && pv.Name == s.Pen {
		name = "✎ " + name
	}
	you := p.Self != "" && pv.ID == p.Self
	if you {
		name += " (you)"
	}
	nk := ik.text
	if you {
		nk = ik.bold
	}
	rb.add(name, nk)
	rb.add(string(pv.Role), roleInk(ik, pv.Role))
	rb.add(coarse(s.At.Sub(pv.Since)), ik.muted)
	look := paneTitle(pv.Pane)
	rb.add(look, ik.text)
	if nodes {
		rb.add(clean(pv.Node), ik.muted)
	}
	via := clean(pv.Via)
	if pv.Remote != "" {
		via += " from " + clean(pv.Remote)
	}
	rb.add(via, ik.muted)
	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

// roleInk colours the roles that may change things.
func roleInk(ik *inks, r room.Role) ink {
	switch r {
	case room.RoleCommander:
		return ik.accent
	case room.RoleOperator:
		return ik.info
	case room.RoleComms:
		return ik.text
	}
	return ik.muted
}

// plural is "1 person" or "3 people".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Personal marks the pane as drawn for one session (its own row is
// marked), so the app never shares its render with other sessions.
func (p *Presence) Personal() { p.version++ }

// paneTitle names a pane id as its title shows it ("posts" →
// "Announcements"); an unknown id shows as it is, none as "—".
func paneTitle(id string) string {
	titles := map[string]string{
		"mirrors": "Mirrors", "lag": "Sync lag", "hosts": "Hosts", "alerts": "Alerts", "timeline": "Timeline",
		"actions": "Actions", "posts": "Announcements", "incident": "Incident", "presence": "People",
	}
	switch t, ok := titles[id]; {
	case ok:
		return t
	case id == "":
		return "—"
	}
	return clean(id)
}

package panes

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// Timeline lists the room's events newest first. Scrolled back, it stays on
// the same events while new ones arrive; at the top it follows the newest.
// Only the visible window is built.
type Timeline struct {
	offset  int    // rows scrolled back from the newest
	anchor  uint64 // seq of the top row while scrolled back; 0 follows the newest
	rows    int    // event rows shown last time, for paging
	topKey  string // the top key's name, for the "newer" hint
	version uint64
	inks    inkCache
}

// NewTimeline returns the timeline following the newest event.
func NewTimeline() *Timeline { return &Timeline{} }

func (p *Timeline) ID() string      { return "timeline" }
func (p *Timeline) Title() string   { return "Timeline" }
func (p *Timeline) Capturing() bool { return false }
func (p *Timeline) Version() uint64 { return p.version }

func (p *Timeline) Keys(km *keymaps.Keymap) []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys(append(append([]string{}, km.Up.Keys()...), km.Down.Keys()...)...),
			key.WithHelp(firstKey(km.Up)+"/"+firstKey(km.Down), "scroll")),
		km.PageUp, km.PageDown,
		key.NewBinding(key.WithKeys(km.Top.Keys()...), key.WithHelp(km.Top.Help().Key, "newest")),
	}
}

// at is the window in s: the number of events and the rows back from the
// newest that the top row shows, the anchor turned back into an offset
// (events may have arrived since) and clamped for a window of rows lines.
// It changes nothing, so View may call it.
func (p *Timeline) at(s *room.Snapshot, rows int) (n, offset int) {
	if s == nil {
		return 0, 0
	}
	n, offset = len(s.Timeline), p.offset
	if p.anchor != 0 {
		ev := s.Timeline
		i := sort.Search(len(ev), func(i int) bool { return ev[i].Seq >= p.anchor })
		if i < len(ev) {
			offset = n - 1 - i
		}
	}
	return n, max(0, min(offset, n-max(1, rows)))
}

// eventRows is the lines for events in a body of h lines at offset: one
// goes to the "newer" hint while scrolled back.
func eventRows(h, offset int) int {
	if offset > 0 && h >= 2 {
		return h - 1
	}
	return h
}

// Sync keeps a scrolled-back window on its events in a new snapshot and
// in a body of h lines.
func (p *Timeline) Sync(s *room.Snapshot, w, h int) {
	_, o := p.at(s, h)
	p.rows = eventRows(h, o)
	_, p.offset = p.at(s, p.rows)
}

// Update scrolls; the top key returns to following the newest event.
func (p *Timeline) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	p.topKey = firstKey(km.Top)
	rows := p.rows
	if rows <= 0 {
		rows = 10
	}
	n, cur := p.at(s, rows)
	p.offset = cur
	o, ok := Step(msg, km, p.offset, max(1, rows-1), n-rows)
	if !ok {
		return Intent{}
	}
	o = max(0, min(o, n-rows))
	if o != p.offset {
		p.offset = o
		p.version++
	}
	p.anchor = 0
	if p.offset > 0 {
		p.anchor = s.Timeline[n-1-p.offset].Seq
	}
	return Intent{}
}

func timelineColumns() []column {
	return []column{
		{title: "TIME", min: 8, want: 8, prio: 1, required: true},
		{title: "", min: 1, want: 1, prio: 1, required: true},
		// The subject stays at every width: the text is cut first.
		{title: "SUBJECT", min: 5, want: 12, max: 16, prio: 2, required: true},
		{title: "EVENT", min: 6, want: 24, prio: 2, required: true, flex: true},
	}
}

// View draws the visible events, newest first, with a line saying how
// many newer events are above when scrolled back.
func (p *Timeline) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if body, done := preamble(ik, s, func(s *room.Snapshot) int { return len(s.Timeline) }, "no events yet", w, h); done {
		return body
	}
	_, off := p.at(s, h)
	rows := eventRows(h, off)
	n, off := p.at(s, rows)
	lines := make([]string, 0, min(h, n+1))
	if rows < h {
		hint := p.topKey
		if hint == "" {
			hint = "home"
		}
		lines = append(lines, ik.accent.paint(cell(fmt.Sprintf("↑ %d newer — %s for the newest", off, hint), w)))
	}
	cols := timelineColumns()
	subW := 0
	for r := 0; r < rows && off+r < n; r++ {
		subW = max(subW, cells(clean(s.Timeline[n-1-off-r].Subject)))
	}
	fit(cols, "SUBJECT", subW)
	layout(cols, w)
	var rb rowBuilder
	for r := 0; r < rows && off+r < n; r++ {
		e := s.Timeline[n-1-off-r]
		lines = append(lines, eventRow(&rb, ik, cols, e))
	}
	return block(lines, w, h)
}

func eventRow(rb *rowBuilder, ik *inks, cols []column, e room.Event) string {
	rb.reset(cols, false)
	sym, lvl := eventSymbol(e)
	rb.add(e.At.Format("15:04:05"), ik.muted)
	rb.add(sym, ik.level(lvl))
	rb.add(clean(e.Subject), ik.text)
	// Texts usually open with their subject ("tokyo down: …"): say it once.
	text := strings.TrimPrefix(clean(e.Text), clean(e.Subject)+" ")
	if e.Actor != "" && !strings.Contains(text, e.Actor) {
		text += " — " + clean(e.Actor) // who did it, unless the text says
	}
	rb.add(text, ik.text)
	return rb.String()
}

// eventSymbol derives the row's symbol and level from the event's Level
// (up, degraded, down, warning, critical, ok, info) and, for kinds whose
// meaning the level doesn't carry, from the kind.
func eventSymbol(e room.Event) (string, string) {
	switch {
	case e.Kind == room.EvAlertAcked:
		return themes.Symbol("acked"), "ok"
	case strings.HasSuffix(e.Kind, ".drift") && e.Level != "ok":
		return themes.Symbol("drift"), "critical"
	case e.Kind == room.EvAlertCleared:
		return themes.Symbol("ok"), "ok"
	}
	switch e.Level {
	case "up", "degraded", "down", "unknown", "warning", "critical", "ok":
		return themes.Symbol(e.Level), e.Level
	}
	return "·", ""
}

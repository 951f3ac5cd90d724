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

// resolve turns the anchor back into an offset in s (events may have
// arrived since) and clamps it for a window of rows lines.
func (p *Timeline) resolve(s *room.Snapshot, rows int) int {
	n := 0
	if s != nil {
		n = len(s.Timeline)
	}
	if p.anchor != 0 && s != nil {
		ev := s.Timeline
		i := sort.Search(len(ev), func(i int) bool { return ev[i].Seq >= p.anchor })
		if i < len(ev) {
			p.offset = n - 1 - i
		}
	}
	p.offset = max(0, min(p.offset, n-max(1, rows)))
	return n
}

// Update scrolls; the top key returns to following the newest event.
func (p *Timeline) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	p.topKey = firstKey(km.Top)
	rows := p.rows
	if rows <= 0 {
		rows = 10
	}
	n := p.resolve(s, rows)
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
		{title: "SUBJECT", min: 8, want: 12, max: 16, prio: 3},
		{title: "EVENT", min: 10, want: 24, prio: 2, required: true, flex: true},
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
	if s == nil {
		return message(ik, waiting, w, h)
	}
	if len(s.Timeline) == 0 {
		return message(ik, "no events yet", w, h)
	}
	rows := h
	n := p.resolve(s, rows)
	lines := make([]string, 0, min(h, n+1))
	if p.offset > 0 && h >= 2 {
		rows = h - 1
		n = p.resolve(s, rows)
		hint := p.topKey
		if hint == "" {
			hint = "home"
		}
		lines = append(lines, ik.accent.paint(cell(fmt.Sprintf("↑ %d newer — %s for the newest", p.offset, hint), w)))
	}
	p.rows = rows
	cols := timelineColumns()
	layout(cols, w)
	var rb rowBuilder
	for r := 0; r < rows && p.offset+r < n; r++ {
		e := s.Timeline[n-1-p.offset-r]
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

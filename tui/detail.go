package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// mirrorDetail shows everything about one mirror over the room, drawn
// from each new snapshot, until back closes it; it scrolls when taller
// than the screen. It changes nothing, so every role may open it.
type mirrorDetail struct {
	modalID
	name   string
	offset int // first line shown
}

// openDetail opens the detail of mirror name.
func (m *Model) openDetail(name string) tea.Cmd {
	if m.mirrorNamed(name) == nil {
		return nil
	}
	m.modals.push(&mirrorDetail{modalID: m.modals.newID(), name: name})
	return nil
}

// mirrorNamed is the mirror called name in the snapshot, or nil.
func (m *Model) mirrorNamed(name string) *room.MirrorView {
	if m.snap == nil {
		return nil
	}
	for _, mv := range m.snap.Mirrors {
		if mv.Name == name {
			return mv
		}
	}
	return nil
}

// detailBox is the box's width and the lines of text it can show in a
// screen of w×h: the rest are its borders and its footer.
func detailBox(w, h int) (bw, rows int) {
	return min(w-2, 120), h - 3
}

func (d *mirrorDetail) lines(m *Model, w int) []string {
	bw, _ := detailBox(w, 0)
	lag := m.panes[paneLag].(*panes.Lag).LagThresholds
	return m.mirrors.Detail(m.th, m.snap, m.mirrorNamed(d.name), lag, bw-4)
}

// window is the offset kept within the lines, for a screen of w×h.
func (d *mirrorDetail) window(m *Model, w, h int) (lines []string, off, rows int) {
	lines = d.lines(m, w)
	_, rows = detailBox(w, h)
	rows = max(rows, 1)
	return lines, min(max(d.offset, 0), max(len(lines)-rows, 0)), rows
}

func (d *mirrorDetail) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return d, nil
	}
	km := m.km
	lines, off, rows := d.window(m, m.width, m.height)
	last := max(len(lines)-rows, 0)
	switch {
	case key.Matches(k, km.Back, km.Detail):
		return nil, nil
	case key.Matches(k, km.Quit):
		return d, m.quit()
	case key.Matches(k, km.Down):
		off++
	case key.Matches(k, km.Up):
		off--
	case key.Matches(k, km.PageDown):
		off += rows
	case key.Matches(k, km.PageUp):
		off -= rows
	case key.Matches(k, km.Top):
		off = 0
	case key.Matches(k, km.Bottom):
		off = last
	}
	d.offset = min(max(off, 0), last)
	return d, nil
}

func (d *mirrorDetail) view(m *Model, under string, w, h int) string {
	bw, _ := detailBox(w, h)
	lines, off, rows := d.window(m, w, h)
	if bw-4 < 20 || rows < 3 || len(lines) == 0 {
		return under
	}
	shown := lines[off:min(off+rows-1, len(lines))]
	foot := firstHelpKey(m.km.Back) + " returns"
	if len(lines) > rows-1 {
		foot += fmt.Sprintf(" · %s/%s scroll (%d–%d of %d)", firstHelpKey(m.km.Up), firstHelpKey(m.km.Down),
			off+1, off+len(shown), len(lines))
	}
	box := append(append([]string(nil), shown...), m.th.Muted.Render(fit(foot, bw-4)))
	title := "Mirror " + d.name
	if mv := m.mirrorNamed(d.name); mv != nil && mv.Role == "active" {
		title += " (active)"
	}
	return overlay(under, drawBox(m.th, title, box, bw), w, h)
}

func (d *mirrorDetail) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Back, "return"), relabel(chooseKey(m.km), "scroll")}
}

// onSnapshot follows the room: the view draws the new snapshot's mirror;
// a mirror no longer configured (a reload) closes it, saying so.
func (d *mirrorDetail) onSnapshot(m *Model, s *room.Snapshot) modal {
	for _, mv := range s.Mirrors {
		if mv.Name == d.name {
			return d
		}
	}
	m.say(fmt.Sprintf("%s is no longer configured: its detail closed", cleanText(d.name)), false)
	return nil
}

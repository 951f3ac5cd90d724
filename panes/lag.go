package panes

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// LagThresholds colour sync lag: at or above Warn is a warning, at or above
// Crit is critical.
type LagThresholds struct{ Warn, Crit time.Duration }

// Lag is the sync table: per mirror its lag behind the origin, serials
// behind, trend, drift and syncing flags, and the lag source's error.
type Lag struct {
	list
	// LagThresholds default to 10m and 1h; the app sets them from config.
	LagThresholds LagThresholds

	inks inkCache
}

// NewLag returns the sync lag pane with default thresholds.
func NewLag() *Lag {
	return &Lag{LagThresholds: LagThresholds{Warn: 10 * time.Minute, Crit: time.Hour}}
}

func (p *Lag) ID() string      { return "lag" }
func (p *Lag) Title() string   { return "Sync lag" }
func (p *Lag) Capturing() bool { return false }
func (p *Lag) Version() uint64 { return p.version }

func (p *Lag) Keys(km *keymaps.Keymap) []key.Binding {
	return []key.Binding{moveKeys(km), km.Top, km.Bottom}
}

// Update moves the cursor.
func (p *Lag) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	n, keyAt := lagRows(s)
	p.follow(n, keyAt)
	p.navigate(msg, km, n)
	p.remember(n, keyAt)
	p.scroll(n, lagPins(s))
	return Intent{}
}

// Sync keeps the cursor on its mirror in a new snapshot and the window
// around it in a body of h lines.
func (p *Lag) Sync(s *room.Snapshot, w, h int) {
	n, keyAt := lagRows(s)
	p.follow(n, keyAt)
	p.rows = tableRows(h)
	p.scroll(n, lagPins(s))
}

func lagRows(s *room.Snapshot) (int, func(int) string) {
	if s == nil {
		return 0, nil
	}
	return len(s.Mirrors), func(i int) string { return s.Mirrors[i].Name }
}

// lagPins keeps the active mirror and the down ones in view, as the
// Mirrors pane does.
func lagPins(s *room.Snapshot) []int {
	if s == nil {
		return nil
	}
	return measureFleet(s).pins
}

// level is a mirror's sync level: drift is critical whatever the lag.
func (p *Lag) level(m *room.MirrorView) string {
	switch {
	case m.Drift:
		return "critical"
	case !m.LagKnown:
		return "unknown"
	case m.Lag >= p.LagThresholds.Crit:
		return "critical"
	case m.Lag >= p.LagThresholds.Warn:
		return "warning"
	}
	return "ok"
}

func lagColumns() []column {
	return []column{
		{title: "SYNC", short: "S", min: 1, want: 10, prio: 1, required: true},
		{title: "MIRROR", min: 6, want: 16, max: 24, prio: 2, required: true},
		{title: "LAG", min: 6, want: 7, prio: 3, required: true, right: true},
		{title: "BEHIND", short: "+N", min: 4, want: 6, prio: 4, right: true},
		{title: "ETA", min: 3, want: 6, prio: 4},
		{title: "FLAGS", short: "F", min: 3, want: 3, max: 14, prio: 3},
		{title: "TREND", min: 8, want: 10, max: 30, prio: 6},
		{title: "ERROR", min: 10, want: 24, prio: 5, flex: true},
	}
}

// View draws a status line, the header and the visible rows.
func (p *Lag) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if body, done := preamble(ik, s, mirrorCount, "no mirrors configured", w, h); done {
		return body
	}
	n, keyAt := lagRows(s)
	cur := p.at(n, keyAt)
	lines := make([]string, 0, min(h, n+2))
	if h >= 3 {
		lines = append(lines, p.statusLine(ik, s, w))
	}
	cols := lagColumns()
	f := measureFleet(s)
	var nameW, errW, etaW int32
	for i, c := range f.each {
		nameW, errW = max(nameW, c.name), max(errW, c.syncErr)
		if c.trending { // only a shrinking lag has an ETA
			etaW = max(etaW, int32(cells(etaCell(s.Mirrors[i].CatchUp, s.At))))
		}
	}
	fit(cols, "MIRROR", int(nameW))
	fit(cols, "ETA", int(etaW))
	fit(cols, "ERROR", int(errW))
	layout(cols, w-2)
	if h >= 2 {
		lines = append(lines, "  "+ik.header.paint(header(cols)))
	}
	sh := plan(n, h-len(lines), viewCursor(focused, cur), p.offset, f.pins)
	var rb rowBuilder
	for _, i := range sh.rows {
		lines = append(lines, p.row(&rb, ik, cols, s.Mirrors[i], s.At, focused && i == cur, w))
	}
	if more := moreLine(ik, sh.hidden, w); more != "" {
		lines = append(lines, more)
	}
	return block(lines, w, h)
}

func (p *Lag) statusLine(ik *inks, s *room.Snapshot, w int) string {
	var b strings.Builder
	if o := s.Origin; o != nil {
		name := "origin"
		if o.Name != "" && o.Name != "origin" {
			name += " " + clean(o.Name)
		}
		b.WriteString(ik.text.paint(name))
		switch {
		case o.Version != "":
			b.WriteString(ik.muted.paint(" version " + clean(o.Version)))
		case o.Serial != 0:
			b.WriteString(ik.muted.paint(fmt.Sprintf(" serial %d", o.Serial)))
		}
		if o.SyncErr != "" {
			b.WriteString(ik.crit.paint("  " + themes.Symbol("critical") + " origin: " + clean(o.SyncErr)))
		}
	} else {
		b.WriteString(ik.muted.paint("no origin configured"))
	}
	b.WriteString(ik.muted.paint(fmt.Sprintf("  warn ≥ %s  crit ≥ %s", coarse(p.LagThresholds.Warn), coarse(p.LagThresholds.Crit))))
	if measureFleet(s).trending {
		b.WriteString(ik.muted.paint(fmt.Sprintf("  %s shrinking  %s growing", themes.Symbol("shrinking"), themes.Symbol("growing"))))
	}
	return fitLine(b.String(), w)
}

func (p *Lag) row(rb *rowBuilder, ik *inks, cols []column, m *room.MirrorView, now time.Time, sel bool, w int) string {
	rb.reset(cols, sel)
	lvl := p.level(m)
	lk := ik.level(lvl)
	if ok, cw := rb.shown(); ok {
		rb.add(stateCell(lvl, cw), lk)
	} else {
		rb.add("", ik.text)
	}
	rb.add(clean(m.Name), ik.text)
	lag, lagInk := "—", ik.muted
	if m.LagKnown {
		lag, lagInk = HumanDuration(m.Lag), ik.level(p.levelOfLag(m.Lag))
	}
	if _, cw := rb.shown(); cw >= 7 {
		lag += trendMark(m.CatchUp.Trend) // a cell of its own, so lags stay aligned
	}
	rb.add(lag, lagInk)
	behind, behindInk := "—", ik.muted
	if m.SerialKnown {
		behind, behindInk = fmt.Sprint(m.SerialsBehind), ik.text
		if m.SerialsBehind > 0 {
			behind = "+" + behind
			behindInk = ik.warn
		}
	}
	rb.add(behind, behindInk)
	if ok, _ := rb.shown(); ok {
		rb.add(etaCell(m.CatchUp, now), ik.info)
	} else {
		rb.add("", ik.text)
	}
	if ok, cw := rb.shown(); ok {
		flags, fi := flagsCell(m, cw, ik)
		rb.add(flags, fi)
	} else {
		rb.add("", ik.text)
	}
	if ok, cw := rb.shown(); ok {
		rb.add(Sparkline(m.LagHistory, cw), ik.info)
	} else {
		rb.add("", ik.text)
	}
	errText := ""
	if m.SyncErr != "" {
		errText = clean(m.SyncErr)
	}
	rb.add(errText, ik.warn)
	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

func (p *Lag) levelOfLag(d time.Duration) string {
	switch {
	case d >= p.LagThresholds.Crit:
		return "critical"
	case d >= p.LagThresholds.Warn:
		return "warning"
	}
	return "ok"
}

// flagsCell is "≠ drift ⟳ sync" when there is room, else the symbols.
func flagsCell(m *room.MirrorView, w int, ik *inks) (string, ink) {
	var parts []string
	long := w >= 14
	k := ik.info
	if m.Drift {
		parts = append(parts, themes.Symbol("drift")+word(long, " drift"))
		k = ik.crit
	}
	if m.Syncing {
		parts = append(parts, themes.Symbol("syncing")+word(long, " sync"))
	}
	return strings.Join(parts, " "), k
}

func word(long bool, w string) string {
	if long {
		return w
	}
	return ""
}

// trendMark is ↘ for a lag shrinking, ↗ growing, else a blank.
func trendMark(t room.Trend) string {
	switch t {
	case room.TrendShrinking:
		return themes.Symbol("shrinking")
	case room.TrendGrowing:
		return themes.Symbol("growing")
	}
	return " "
}

// etaCell is when a shrinking lag is caught up ("~12m"); the ETA column
// says the rest, and the lag's ↗ says it grows.
func etaCell(c room.CatchUp, now time.Time) string {
	if c.Trend != room.TrendShrinking {
		return ""
	}
	return "~" + coarse(c.Remaining(now))
}

package panes

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// Mirrors is the fleet table: one row per mirror with state, role, HTTP
// status, latency and its trend, error rate, TLS expiry and the reason for
// a bad state. It filters (name, region, state) and cycles sort orders.
type Mirrors struct {
	list
	// TLSWarn and TLSCrit colour certificates expiring sooner than this.
	TLSWarn, TLSCrit time.Duration

	filter  string // what input holds, matched against the rows
	editing bool
	input   Input
	backKey string // the clear key's name, for the "no match" hint
	sortBy  int
	ord     *mirrorOrder // a cache, shared by copies: not view state
	inks    inkCache
}

// Sort orders, cycled by the sort key.
const (
	sortConfig = iota
	sortState
	sortLatency
	sortName
	sortRegion
	sortCount
)

// sortLabel names a sort order for the status line.
func sortLabel(i int) string {
	switch i {
	case sortState:
		return "state"
	case sortLatency:
		return "latency"
	case sortName:
		return "name"
	case sortRegion:
		return "region"
	}
	return "config"
}

// mirrorOrder is the filtered, sorted row order, cached per snapshot.
type mirrorOrder struct {
	snap   *room.Snapshot
	filter string
	sortBy int
	idx    []int
	pins   []int              // positions in idx kept in view, most important first
	counts map[room.State]int // shared with other panes: read only
	// widest name, region and reason, so the columns fit their texts
	nameW, regionW, reasonW int
	traffic                 bool // some mirror's users' traffic is counted
}

// NewMirrors returns the mirrors pane in config order, unfiltered.
func NewMirrors() *Mirrors {
	return &Mirrors{TLSWarn: 14 * 24 * time.Hour, TLSCrit: 3 * 24 * time.Hour, ord: &mirrorOrder{}}
}

// Sync keeps the cursor on its mirror in a new snapshot and the window
// around it in a body of h lines.
func (p *Mirrors) Sync(s *room.Snapshot, w, h int) {
	o := p.order(s)
	p.follow(len(o.idx), p.keyAt(s, o))
	p.rows = tableRows(h)
	p.scroll(len(o.idx), o.pins)
}

// pinMirror says which mirrors stay in view at any size (see plan): the
// active one first, then every down one.
func pinMirror(m *room.MirrorView) int {
	switch {
	case m.Role == "active":
		return 1
	case m.State == room.StateDown:
		return 2
	}
	return 0
}

func (p *Mirrors) ID() string       { return "mirrors" }
func (p *Mirrors) Title() string    { return "Mirrors" }
func (p *Mirrors) Capturing() bool  { return p.editing }
func (p *Mirrors) Version() uint64  { return p.version }
func (p *Mirrors) Filter() string   { return p.filter }
func (p *Mirrors) SortName() string { return sortLabel(p.sortBy) }

// Keys lists what works now: while typing a filter, only keep and clear.
func (p *Mirrors) Keys(km *keymaps.Keymap) []key.Binding {
	if p.editing {
		return []key.Binding{
			relabel(km.Confirm, "keep filter"),
			key.NewBinding(key.WithKeys(km.Back.Keys()...), key.WithHelp(km.Back.Help().Key, "clear filter")),
		}
	}
	keys := []key.Binding{moveKeys(km), relabel(km.Detail, "detail"), km.Filter, km.Sort}
	if p.filter != "" {
		keys = append(keys, key.NewBinding(key.WithKeys(km.Back.Keys()...), key.WithHelp(km.Back.Help().Key, "clear filter")))
	}
	return keys
}

// Update moves the cursor, edits the filter and cycles the sort.
func (p *Mirrors) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	p.backKey = firstKey(km.Back)
	o := p.order(s)
	p.follow(len(o.idx), p.keyAt(s, o))
	filter, sortBy := p.filter, p.sortBy
	if p.editing {
		p.edit(msg, km)
	} else {
		switch {
		case key.Matches(msg, km.Filter):
			p.editing = true
			p.version++
		case key.Matches(msg, km.Detail):
			if m := p.Selected(s); m != nil {
				return Intent{Kind: IntentDetail, Mirror: m.Name}
			}
		case key.Matches(msg, km.Sort):
			p.sortBy = (p.sortBy + 1) % sortCount
			p.version++
		case key.Matches(msg, km.Back):
			if p.filter != "" {
				p.input.Set("")
				p.filter = ""
				p.version++
			}
		default:
			p.navigate(msg, km, len(o.idx))
		}
	}
	if p.filter != filter || p.sortBy != sortBy {
		// The rows changed under the cursor: keep it on its mirror.
		o = p.order(s)
		p.follow(len(o.idx), p.keyAt(s, o))
	}
	p.remember(len(o.idx), p.keyAt(s, o))
	p.scroll(len(o.idx), o.pins)
	return Intent{}
}

// maxFilter bounds the filter's length, in characters.
const maxFilter = 64

// edit handles a key while the filter is being typed: the field takes
// what types or edits, confirm keeps the filter, back clears it.
func (p *Mirrors) edit(msg tea.KeyMsg, km *keymaps.Keymap) {
	switch {
	case key.Matches(msg, km.Confirm):
		p.editing = false
		p.version++
		return
	case key.Matches(msg, km.Back):
		p.input.Set("")
		p.filter, p.editing = "", false
		p.version++
		return
	}
	p.input.Limit = maxFilter
	if p.input.Key(msg) {
		p.filter = p.input.String()
		p.version++ // the cursor may have moved
		return
	}
	// Navigation keys that aren't characters still move while typing.
	p.navigate(msg, km, len(p.ord.idx))
}

func (p *Mirrors) keyAt(s *room.Snapshot, o *mirrorOrder) func(int) string {
	return func(i int) string { return s.Mirrors[o.idx[i]].Name }
}

// order returns the filtered, sorted rows for s, computing them only when
// the snapshot, the filter or the sort changed.
func (p *Mirrors) order(s *room.Snapshot) *mirrorOrder {
	o := p.ord
	if o.snap == s && o.filter == p.filter && o.sortBy == p.sortBy && (s != nil || o.idx != nil) {
		return o
	}
	o.snap, o.filter, o.sortBy = s, p.filter, p.sortBy
	o.idx, o.pins, o.counts = o.idx[:0], nil, nil
	if s == nil {
		return o
	}
	fc := measureFleet(s)
	o.counts, o.traffic = fc.counts, fc.traffic
	f := strings.ToLower(strings.TrimSpace(p.filter))
	var nameW, regionW, reasonW int32
	for i, m := range s.Mirrors {
		if f == "" || matches(m, f) {
			o.idx = append(o.idx, i)
			c := &fc.each[i]
			nameW, regionW, reasonW = max(nameW, c.name), max(regionW, c.region), max(reasonW, c.reason)
		}
	}
	o.nameW, o.regionW, o.reasonW = int(nameW), int(regionW), int(reasonW)
	ms := s.Mirrors
	idx := o.idx
	switch p.sortBy {
	case sortState:
		slices.SortStableFunc(idx, func(a, b int) int { return stateRank(fc.each[a].state) - stateRank(fc.each[b].state) })
	case sortLatency:
		sort.SliceStable(idx, func(a, b int) bool { return latencyKey(ms[idx[a]]) > latencyKey(ms[idx[b]]) })
	case sortName:
		sort.SliceStable(idx, func(a, b int) bool { return ms[idx[a]].Name < ms[idx[b]].Name })
	case sortRegion:
		sort.SliceStable(idx, func(a, b int) bool {
			x, y := ms[idx[a]], ms[idx[b]]
			if x.Region != y.Region {
				return x.Region < y.Region
			}
			return x.Name < y.Name
		})
	}
	o.pins = fc.pins // rows are the config order
	if f != "" || p.sortBy != sortConfig {
		o.pins = nil
		for pos, i := range idx {
			if fc.each[i].pin > 0 {
				o.pins = append(o.pins, pos)
			}
		}
		slices.SortStableFunc(o.pins, func(a, b int) int { return int(fc.each[idx[a]].pin) - int(fc.each[idx[b]].pin) })
	}
	return o
}

func mirrorCount(s *room.Snapshot) int { return len(s.Mirrors) }

func matches(m *room.MirrorView, f string) bool {
	return strings.Contains(strings.ToLower(m.Name), f) ||
		strings.Contains(strings.ToLower(m.Region), f) ||
		strings.Contains(string(m.State), f)
}

// stateRank orders states worst first.
func stateRank(s room.State) int {
	switch s {
	case room.StateDown:
		return 0
	case room.StateDegraded, room.StatePartial:
		return 1
	case room.StateUnknown:
		return 2
	case room.StateUp:
		return 3
	}
	return 2
}

// latencyKey sorts slowest first; mirrors without a reply sort last.
func latencyKey(m *room.MirrorView) time.Duration {
	if m.Status == 0 {
		return -1
	}
	return m.Latency
}

// mirrorColumns is the table in display order.
func mirrorColumns() []column {
	return []column{
		{title: "STATE", short: "S", min: 1, want: 10, prio: 1, required: true},
		{title: "MIRROR", min: 6, want: 16, max: 24, prio: 2, required: true},
		{title: "REGION", min: 6, want: 10, max: 24, prio: 8},
		{title: "ROLE", short: "★", min: 1, want: 1, max: 8, prio: 5},
		{title: "HTTP", min: 4, want: 4, prio: 4, required: true},
		{title: "LATENCY", short: "LAT", min: 6, want: 7, prio: 3, required: true, right: true},
		{title: "TREND", min: 8, want: 12, max: 24, prio: 7},
		{title: "ERR", min: 6, want: 6, prio: 9, right: true},
		{title: "TLS", min: 7, want: 7, prio: 10, right: true},
		{title: "REASON", min: 10, want: 40, prio: 6, flex: true},
	}
}

// View draws the status line, the header and the visible rows only.
func (p *Mirrors) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if body, done := preamble(ik, s, mirrorCount, "no mirrors configured", w, h); done {
		return body
	}
	o := p.order(s)
	n := len(o.idx)
	cur := p.at(n, p.keyAt(s, o))

	lines := make([]string, 0, min(h, n+2))
	if h >= 3 {
		lines = append(lines, p.statusLine(ik, th, s, o, n, w))
	}
	cols := mirrorColumns()
	if clustered(s) {
		cols = append(cols[:1], append([]column{vantageColumn(len(s.Vantages))}, cols[1:]...)...)
	}
	if o.traffic {
		i := slices.IndexFunc(cols, func(c column) bool { return c.title == "ERR" })
		cols = slices.Insert(cols, i+1, trafficColumn())
	}
	fit(cols, "MIRROR", o.nameW)
	fit(cols, "REGION", o.regionW)
	fit(cols, "REASON", o.reasonW)
	layout(cols, w-2)
	if h >= 2 {
		lines = append(lines, "  "+ik.header.paint(header(cols)))
	}
	if n == 0 {
		lines = append(lines, ik.muted.paint(cell(fmt.Sprintf("  no mirror matches %q — %s clears the filter", p.filter, p.backHint()), w)))
		return block(lines, w, h)
	}
	sh := plan(n, h-len(lines), viewCursor(focused, cur), p.offset, o.pins)
	var rb rowBuilder
	for _, i := range sh.rows {
		lines = append(lines, p.row(&rb, ik, cols, s, s.Mirrors[o.idx[i]], focused && i == cur, w))
	}
	if more := moreLine(ik, sh.hidden, w); more != "" {
		lines = append(lines, more)
	}
	return block(lines, w, h)
}

func (p *Mirrors) backHint() string {
	if p.backKey == "" {
		return "esc"
	}
	return p.backKey
}

func (p *Mirrors) statusLine(ik *inks, th *themes.Theme, s *room.Snapshot, o *mirrorOrder, shown, w int) string {
	total := len(s.Mirrors)
	var b strings.Builder
	switch {
	case p.editing:
		b.WriteString(ik.accent.paint("/") + p.input.View(th, min(cells(p.filter)+1, max(w/2, 1))))
		b.WriteString(ik.muted.paint(fmt.Sprintf("  %d of %d", shown, total)))
	case p.filter != "":
		b.WriteString(ik.accent.paint(fmt.Sprintf("filter %q", clean(p.filter))))
		b.WriteString(ik.muted.paint(fmt.Sprintf(" %d of %d", shown, total)))
	default:
		b.WriteString(ik.text.paint(fmt.Sprintf("%d mirrors", total)))
	}
	for _, st := range []room.State{room.StateUp, room.StateDegraded, room.StatePartial, room.StateDown, room.StateUnknown} {
		if c := o.counts[st]; c > 0 {
			b.WriteString("  ")
			b.WriteString(ik.level(string(st)).paint(fmt.Sprintf("%s %d %s", themes.Symbol(string(st)), c, st)))
		}
	}
	b.WriteString(ik.muted.paint("  sort: " + sortLabel(p.sortBy)))
	if clustered(s) {
		b.WriteString(ik.muted.paint("  " + vantagesNote(s)))
	}
	return fitLine(b.String(), w)
}

func (p *Mirrors) row(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, m *room.MirrorView, sel bool, w int) string {
	rb.reset(cols, sel)
	lvl := string(m.State)
	if lvl == "" {
		lvl = "unknown"
	}
	lk := ik.level(lvl)

	if ok, cw := rb.shown(); ok {
		rb.add(stateCell(lvl, cw), lk)
	} else {
		rb.add("", ik.text)
	}
	if clustered(s) {
		rb.add(marksCell(m), lk)
	}
	nameInk := ik.text
	if m.Role == "active" {
		nameInk = ik.bold
	}
	rb.add(clean(m.Name), nameInk)
	rb.add(clean(m.Region), ik.muted)
	if ok, cw := rb.shown(); ok {
		rb.add(roleCell(m.Role, cw), ik.accent)
	} else {
		rb.add("", ik.text)
	}
	probed := !m.LastProbe.IsZero() || m.Status != 0
	status, statusInk := "—", ik.muted
	if m.Status != 0 {
		status, statusInk = fmt.Sprint(m.Status), ik.text
		if m.Status >= 400 {
			statusInk = ik.crit
		}
	}
	rb.add(status, statusInk)
	lat, latInk := "—", ik.muted
	if m.Status != 0 {
		lat, latInk = latency(m.Latency), ik.text
		if m.Baseline > 0 && m.Latency > 2*m.Baseline {
			latInk = ik.warn
		}
	}
	rb.add(lat, latInk)
	if ok, cw := rb.shown(); ok {
		rb.add(Sparkline(m.LatencyHistory, cw), ik.info)
	} else {
		rb.add("", ik.text)
	}
	errText, errInk := "—", ik.muted
	if probed {
		errText, errInk = percent(m.ErrorRate*100), ik.muted
		switch {
		case m.ErrorRate >= 0.25:
			errInk = ik.crit
		case m.ErrorRate >= 0.01:
			errInk = ik.warn
		}
	}
	rb.add(errText, errInk)
	if p.ord.traffic {
		_, cw := rb.shown()
		rb.add(trafficCell(m, ik, cw))
	}
	tls, tlsInk := p.tlsCell(m, s.At, ik)
	rb.add(tls, tlsInk)
	rb.add(reasonCell(m, ik, lk))

	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

// reasonCell says why a mirror is not simply up, and what is under way:
// "failing 2/3" while an up mirror's failures are being counted (so "● up …
// 503" is not a contradiction), "recovering 1/2" while a down one answers
// again, and drift first of all.
func reasonCell(m *room.MirrorView, ik *inks, lk ink) (string, ink) {
	var parts []string
	if m.Drift {
		parts = append(parts, "content differs from origin")
	}
	if m.StreakN > 0 {
		verb := "recovering"
		if m.StreakFailing {
			verb = "failing"
		}
		parts = append(parts, fmt.Sprintf("%s %d/%d", verb, m.StreakN, m.StreakOf))
	}
	switch m.State {
	case room.StateDegraded, room.StateDown, room.StatePartial:
		if m.Reason != "" {
			parts = append(parts, clean(m.Reason))
		}
	case room.StateUnknown, "":
		if len(parts) == 0 {
			return "not probed yet", ik.muted
		}
	}
	switch {
	case m.Drift:
		lk = ik.crit
	case m.StreakN > 0 && m.StreakFailing && m.State != room.StateDown:
		lk = ik.warn
	case m.StreakN > 0:
		lk = ik.info
	}
	return strings.Join(parts, " · "), lk
}

// stateCell is "● up" when there is room, else the symbol alone.
func stateCell(lvl string, w int) string {
	if w >= 10 {
		return themes.Symbol(lvl) + " " + lvl
	}
	return themes.Symbol(lvl)
}

// roleCell is "★ active" / "backup" / "origin", or ★ alone when narrow.
func roleCell(role string, w int) string {
	if w >= 8 {
		if role == "active" {
			return themes.Symbol("active") + " active"
		}
		return role
	}
	if role == "active" {
		return themes.Symbol("active")
	}
	return ""
}

// tlsCell shows days to certificate expiry, "—" for plain HTTP.
func (p *Mirrors) tlsCell(m *room.MirrorView, now time.Time, ik *inks) (string, ink) {
	if m.TLSExpiry.IsZero() {
		return "—", ik.muted
	}
	left := m.TLSExpiry.Sub(now)
	if left <= 0 {
		return themes.Symbol("critical") + " exp", ik.crit
	}
	days := fmt.Sprintf("%dd", int(left/(24*time.Hour)))
	switch {
	case left < p.TLSCrit:
		return themes.Symbol("critical") + " " + days, ik.crit
	case left < p.TLSWarn:
		return themes.Symbol("warning") + " " + days, ik.warn
	}
	return days, ik.text
}

package panes

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// Alerts lists the open alerts, worst first, with severity, age,
// subject, text, who acknowledged them and what paging did with them,
// then the silences with their countdowns. The ack key asks the app to
// acknowledge the alert under the cursor; the silence key to silence it,
// or, on a silence, to end that.
type Alerts struct {
	list
	inks inkCache
}

// NewAlerts returns the alerts pane.
func NewAlerts() *Alerts { return &Alerts{} }

func (p *Alerts) ID() string      { return "alerts" }
func (p *Alerts) Title() string   { return "Alerts" }
func (p *Alerts) Capturing() bool { return false }
func (p *Alerts) Version() uint64 { return p.version }

// Keys lists moving, acknowledging and silencing; the app switches those
// off in km for roles that may not use them, and HelpBar leaves them out.
func (p *Alerts) Keys(km *keymaps.Keymap) []key.Binding {
	return []key.Binding{moveKeys(km), km.Ack, km.Silence}
}

// alertOrder is the display order: critical first, then the alerts that
// still need a person (neither acknowledged nor silenced) before the
// others, then oldest first (the first alert of an outage is usually its
// cause, and a new alert joins the end of its group instead of pushing
// the others down).
func alertOrder(s *room.Snapshot) []int {
	if s == nil {
		return nil
	}
	idx := make([]int, len(s.Alerts))
	for i := range idx {
		idx[i] = i
	}
	as := s.Alerts
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := as[idx[x]], as[idx[y]]
		if ra, rb := severityRank(a.Severity), severityRank(b.Severity); ra != rb {
			return ra < rb
		}
		if ha, hb := handled(a), handled(b); ha != hb {
			return !ha
		}
		return a.Raised.Before(b.Raised)
	})
	return idx
}

// severityRank orders severities worst first.
func severityRank(s room.Severity) int {
	if s == room.Critical {
		return 0
	}
	return 1
}

// alertRows are the pane's rows: the alerts in display order, then the
// silences. Each row is keyed by its alert id or "silence:" and its id,
// so the cursor stays on its row.
type alertRows struct {
	s   *room.Snapshot
	idx []int
}

func rowsOf(s *room.Snapshot) alertRows { return alertRows{s: s, idx: alertOrder(s)} }

func (r alertRows) n() int {
	if r.s == nil {
		return 0
	}
	return len(r.idx) + len(r.s.Silences)
}

// alert is row i's alert, or nil for a silence row.
func (r alertRows) alert(i int) *room.Alert {
	if i < len(r.idx) {
		return &r.s.Alerts[r.idx[i]]
	}
	return nil
}

// silence is row i's silence, or nil for an alert row.
func (r alertRows) silence(i int) *room.SilenceView {
	if j := i - len(r.idx); j >= 0 && j < len(r.s.Silences) {
		return &r.s.Silences[j]
	}
	return nil
}

func (r alertRows) key(i int) string {
	if a := r.alert(i); a != nil {
		return a.ID
	}
	return "silence:" + r.silence(i).ID
}

// Update moves the cursor; the ack key on an unacknowledged alert returns
// an ack intent for it (on an acknowledged one, nothing); the silence key
// a silence intent for the alert, or an expire intent for a silence row.
func (p *Alerts) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	rows := rowsOf(s)
	n := rows.n()
	p.follow(n, rows.key)
	var in Intent
	switch {
	case key.Matches(msg, km.Ack):
		if n > 0 {
			if a := rows.alert(p.cursor); a != nil && !a.Acked {
				in = Intent{Kind: IntentAck, AlertID: a.ID}
			}
		}
	case key.Matches(msg, km.Silence):
		in = Intent{Kind: IntentSilence}
		if n > 0 {
			if a := rows.alert(p.cursor); a != nil {
				in.AlertID = a.ID
			} else {
				in = Intent{Kind: IntentExpire, SilenceID: rows.silence(p.cursor).ID}
			}
		}
	default:
		p.navigate(msg, km, n)
	}
	p.remember(n, rows.key)
	p.scroll(n, nil)
	return in
}

// Sync keeps the cursor on its row in a new snapshot and the window
// around it in a body of h lines.
func (p *Alerts) Sync(s *room.Snapshot, w, h int) {
	rows := rowsOf(s)
	p.follow(rows.n(), rows.key)
	p.rows = tableRows(h)
	p.scroll(rows.n(), nil)
}

func alertColumns() []column {
	return []column{
		{title: "SEVERITY", short: "S", min: 1, want: 10, prio: 1, required: true},
		{title: "AGE", min: 5, want: 6, prio: 2, required: true, right: true},
		{title: "SUBJECT", min: 8, want: 12, max: 24, prio: 5},
		{title: "ACK", short: "✓", min: 1, want: 11, max: 16, prio: 4, required: true}, // "⇑ escalated"
		{title: "ALERT", min: 10, want: 24, prio: 3, required: true, flex: true},
	}
}

// View draws a status line, the header, the visible alerts and silences,
// and what did not fit.
func (p *Alerts) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	rows := rowsOf(s)
	if body, done := preamble(ik, s, func(*room.Snapshot) int { return rows.n() }, themes.Symbol("ok")+" no open alerts", w, h); done {
		return body
	}
	cur := p.at(rows.n(), rows.key)
	lines := make([]string, 0, h)
	if h >= 3 {
		lines = append(lines, statusAlerts(ik, s, w))
	}
	cols := alertColumns()
	subW, textW := 0, 0
	for _, a := range s.Alerts {
		subW, textW = max(subW, cells(clean(a.Subject))), max(textW, cells(alertText(s, a)))
	}
	for i := range s.Silences {
		subW, textW = max(subW, cells(clean(s.Silences[i].By))), max(textW, cells(silenceText(s, &s.Silences[i])))
	}
	fit(cols, "SUBJECT", subW)
	fit(cols, "ALERT", textW)
	layout(cols, w-2)
	if h >= 2 {
		lines = append(lines, "  "+ik.header.paint(header(cols)))
	}
	sh := plan(rows.n(), h-len(lines), cur, p.offset, nil)
	var rb rowBuilder
	for _, i := range sh.rows {
		sel := focused && i == cur
		if a := rows.alert(i); a != nil {
			lines = append(lines, alertRow(&rb, ik, cols, s, *a, sel, w))
		} else {
			lines = append(lines, silenceRow(&rb, ik, cols, s, rows.silence(i), sel, w))
		}
	}
	if more := hiddenLine(ik, rows, sh, w); more != "" {
		lines = append(lines, more)
	}
	return block(lines, w, h)
}

// statusAlerts counts the alerts by what they need: in words when they
// fit, else in short words, else symbols and figures alone, so the
// escalated and silenced counts stay on a narrow pane.
func statusAlerts(ik *inks, s *room.Snapshot, w int) string {
	var crit, warn, acked, esc, silenced int
	for _, a := range s.Alerts {
		switch {
		case a.Acked:
			acked++
		case a.Severity == room.Critical:
			crit++
		default:
			warn++
		}
		if escalated(a) {
			esc++
		}
		if a.Silence != nil {
			silenced++
		}
	}
	counts := []struct {
		n     int
		sym   string
		words [3]string // long, short, none
		k     ink
	}{
		{crit, "critical", [3]string{" critical", " crit"}, ik.crit},
		{esc, "escalated", [3]string{" escalated", " esc"}, ik.crit},
		{warn, "warning", [3]string{" warning", " warn"}, ik.warn},
		{silenced, "silenced", [3]string{" silenced", " silenced"}, ik.muted},
		{acked, "acked", [3]string{" acknowledged", " acked"}, ik.muted},
	}
	var line string
	for form := range 3 {
		var b strings.Builder
		b.WriteString(ik.text.paint(fmt.Sprintf("%d open", len(s.Alerts))))
		for _, c := range counts {
			if c.n > 0 {
				b.WriteString(c.k.paint(fmt.Sprintf("  %s %d%s", themes.Symbol(c.sym), c.n, c.words[form])))
			}
		}
		if line = b.String(); ansi.StringWidth(line) <= w {
			break
		}
	}
	return fitLine(line, w)
}

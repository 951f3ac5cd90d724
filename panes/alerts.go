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

// Alerts lists the open alerts, worst first, with severity, age,
// subject, text and who acknowledged them. The ack key asks the app to
// acknowledge the alert under the cursor.
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

// Keys lists moving and acknowledging; the app switches the ack key off
// in km for roles that may not acknowledge, and HelpBar leaves it out.
func (p *Alerts) Keys(km *keymaps.Keymap) []key.Binding {
	return []key.Binding{moveKeys(km), km.Ack}
}

// alertOrder is the display order: critical first, then unacknowledged
// before acknowledged, then oldest first (the first alert of an outage is
// usually its cause, and a new alert joins the end of its group instead
// of pushing the others down).
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
		if a.Acked != b.Acked {
			return !a.Acked
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

// Update moves the cursor; the ack key on an unacknowledged alert returns
// an ack intent for it (on an acknowledged one, nothing).
func (p *Alerts) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	idx := alertOrder(s)
	keyAt := func(i int) string { return s.Alerts[idx[i]].ID }
	p.follow(len(idx), keyAt)
	var in Intent
	if key.Matches(msg, km.Ack) {
		if len(idx) > 0 {
			if a := s.Alerts[idx[p.cursor]]; !a.Acked {
				in = Intent{Kind: IntentAck, AlertID: a.ID}
			}
		}
	} else {
		p.navigate(msg, km, len(idx))
	}
	p.remember(len(idx), keyAt)
	p.scroll(len(idx), nil)
	return in
}

// Sync keeps the cursor on its alert in a new snapshot and the window
// around it in a body of h lines.
func (p *Alerts) Sync(s *room.Snapshot, w, h int) {
	idx := alertOrder(s)
	p.follow(len(idx), func(i int) string { return s.Alerts[idx[i]].ID })
	p.rows = tableRows(h)
	p.scroll(len(idx), nil)
}

func alertColumns() []column {
	return []column{
		{title: "SEVERITY", short: "S", min: 1, want: 10, prio: 1, required: true},
		{title: "AGE", min: 5, want: 6, prio: 2, required: true, right: true},
		{title: "SUBJECT", min: 8, want: 12, max: 24, prio: 5},
		{title: "ACK", short: "✓", min: 1, want: 10, max: 16, prio: 4, required: true},
		{title: "ALERT", min: 10, want: 24, prio: 3, required: true, flex: true},
	}
}

// View draws a status line, the header and the visible alerts.
func (p *Alerts) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if body, done := preamble(ik, s, func(s *room.Snapshot) int { return len(s.Alerts) }, themes.Symbol("ok")+" no open alerts", w, h); done {
		return body
	}
	idx := alertOrder(s)
	cur := p.at(len(idx), func(i int) string { return s.Alerts[idx[i]].ID })
	lines := make([]string, 0, h)
	if h >= 3 {
		lines = append(lines, statusAlerts(ik, s, w))
	}
	cols := alertColumns()
	subW, textW := 0, 0
	for _, a := range s.Alerts {
		subW, textW = max(subW, cells(clean(a.Subject))), max(textW, cells(clean(a.Text)))
	}
	fit(cols, "SUBJECT", subW)
	fit(cols, "ALERT", textW)
	layout(cols, w-2)
	if h >= 2 {
		lines = append(lines, "  "+ik.header.paint(header(cols)))
	}
	sh := plan(len(idx), h-len(lines), cur, p.offset, nil)
	var rb rowBuilder
	for _, i := range sh.rows {
		lines = append(lines, alertRow(&rb, ik, cols, s, s.Alerts[idx[i]], focused && i == cur, w))
	}
	if more := moreLine(ik, sh.hidden, w); more != "" {
		lines = append(lines, more)
	}
	return block(lines, w, h)
}

func statusAlerts(ik *inks, s *room.Snapshot, w int) string {
	var crit, warn, acked int
	for _, a := range s.Alerts {
		switch {
		case a.Acked:
			acked++
		case a.Severity == room.Critical:
			crit++
		default:
			warn++
		}
	}
	var b strings.Builder
	b.WriteString(ik.text.paint(fmt.Sprintf("%d open", len(s.Alerts))))
	if crit > 0 {
		b.WriteString(ik.crit.paint(fmt.Sprintf("  %s %d critical", themes.Symbol("critical"), crit)))
	}
	if warn > 0 {
		b.WriteString(ik.warn.paint(fmt.Sprintf("  %s %d warning", themes.Symbol("warning"), warn)))
	}
	if acked > 0 {
		b.WriteString(ik.muted.paint(fmt.Sprintf("  %s %d acknowledged", themes.Symbol("acked"), acked)))
	}
	return fitLine(b.String(), w)
}

func alertRow(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, a room.Alert, sel bool, w int) string {
	rb.reset(cols, sel)
	sev := string(a.Severity)
	if sev != "critical" {
		sev = "warning"
	}
	sk, tk := ik.level(sev), ik.text
	if a.Acked {
		sk, tk = ik.muted, ik.muted
	}
	if ok, cw := rb.shown(); ok {
		rb.add(stateCell(sev, cw), sk)
	} else {
		rb.add("", sk)
	}
	rb.add(age(s.At, a.Raised), tk)
	rb.add(clean(a.Subject), tk)
	ack := ""
	if a.Acked {
		if ok, cw := rb.shown(); ok && cw > 1 {
			who := clean(a.AckedBy)
			if who == "" {
				who = "acked"
			}
			ack = themes.Symbol("acked") + " " + who
			if !a.AckedAt.IsZero() {
				ack += " " + age(s.At, a.AckedAt)
			}
		} else {
			ack = themes.Symbol("acked")
		}
	}
	rb.add(ack, ik.ok)
	rb.add(clean(a.Text), tk)
	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

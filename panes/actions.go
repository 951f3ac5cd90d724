package panes

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

var _ Pane = (*Actions)(nil)

// What a key on the Actions pane asks for (ActionIntent.Kind).
const (
	IntentReview  = "review"  // open the confirmation of a proposal (Rule) or the failback offer
	IntentDismiss = "dismiss" // set a rule's proposal aside
	IntentDecide  = "decide"  // tell a paused action how to go on
)

// ActionIntent is what a key on the Actions pane asks the app to do; the
// zero value asks nothing. It carries more than Intent, so the app asks
// the pane for it with Key instead of Update.
type ActionIntent struct {
	Kind     string
	Rule     string // IntentReview, IntentDismiss: the proposal's rule ("" with Failback)
	Failback bool   // IntentReview: the failback offer
	ID       string // IntentDecide: the paused action
	Decision string // IntentDecide: "retry", "continue" or "abort"
}

// Actions lists open proposals and the failback offer (highlighted, at the
// top), then the room's recent actions, newest first. Below the list it
// shows the selected row in full: plan, output, read-back or error, batch
// progress and the rollback watch.
type Actions struct {
	list
	inks     inkCache
	readOnly bool   // the last snapshot's, so Keys hides what is refused
	selKind  string // kind of the row under the cursor, for Keys
	w, h     int    // the body's size, from Sync
}

// NewActions returns the actions pane.
func NewActions() *Actions { return &Actions{} }

func (p *Actions) ID() string      { return "actions" }
func (p *Actions) Title() string   { return "Actions" }
func (p *Actions) Capturing() bool { return false }
func (p *Actions) Version() uint64 { return p.version }

// Row kinds.
const (
	rowProposal = "proposal"
	rowFailback = "failback"
	rowAction   = "action"
	rowPaused   = "paused"
	rowSoak     = "soak" // a rollback soaking between batches, or paused after: continue or abort
)

// actionRow is one line of the list.
type actionRow struct {
	kind  string
	prop  *room.Proposal
	offer *room.FailbackOffer
	act   *room.ActionView
}

func (r actionRow) key() string {
	switch r.kind {
	case rowProposal:
		return "p:" + r.prop.Rule
	case rowFailback:
		return "failback"
	}
	return "a:" + r.act.ID
}

// actionRows is the display order: proposals, the failback offer, then
// actions newest first.
func actionRows(s *room.Snapshot) []actionRow {
	if s == nil {
		return nil
	}
	rows := make([]actionRow, 0, len(s.Proposals)+1+len(s.Actions))
	for i := range s.Proposals {
		rows = append(rows, actionRow{kind: rowProposal, prop: &s.Proposals[i]})
	}
	if s.Failback != nil {
		rows = append(rows, actionRow{kind: rowFailback, offer: s.Failback})
	}
	for i := len(s.Actions) - 1; i >= 0; i-- {
		k := rowAction
		switch a := &s.Actions[i]; {
		case a.Soaked || a.State == room.ActionRunning && !a.SoakUntil.IsZero():
			k = rowSoak
		case a.State == room.ActionPaused:
			k = rowPaused
		}
		rows = append(rows, actionRow{kind: k, act: &s.Actions[i]})
	}
	return rows
}

// relabel is b with another description for the help bar, switched off
// where b is: a key the role may not use stays unoffered.
func relabel(b key.Binding, desc string) key.Binding {
	r := key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
	r.SetEnabled(b.Enabled())
	return r
}

// Keys lists what works on the selected row; in a read-only room, only moving.
func (p *Actions) Keys(km *keymaps.Keymap) []key.Binding {
	keys := []key.Binding{moveKeys(km)}
	if p.readOnly {
		return keys
	}
	switch p.selKind {
	case rowProposal:
		keys = append(keys, relabel(km.Confirm, "review & confirm"), relabel(km.Back, "dismiss"))
	case rowFailback:
		keys = append(keys, relabel(km.Confirm, "review failback"))
	case rowPaused:
		keys = append(keys, relabel(km.Retry, "retry batch"), relabel(km.Confirm, "continue"), km.Abort)
	case rowSoak:
		keys = append(keys, relabel(km.Confirm, "continue"), km.Abort)
	}
	return keys
}

// Update moves the cursor. The app calls Key instead, which also returns
// what the key asks for.
func (p *Actions) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	p.Key(msg, km, s)
	return Intent{}
}

// Key moves the cursor, or returns the request a key makes of the row
// under it: enter reviews a proposal or the failback offer, esc dismisses a
// proposal, and on a paused action retry, enter (continue) and x (abort)
// decide; a soaking rollback (or one paused after its soak) takes enter
// and x.
func (p *Actions) Key(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) ActionIntent {
	rows := actionRows(s)
	keyAt := func(i int) string { return rows[i].key() }
	p.follow(len(rows), keyAt)
	defer func() {
		p.remember(len(rows), keyAt)
		p.noteSelection(rows, s)
		p.offset, _ = span(len(rows), p.listH(s, rows, p.cursor), p.cursor, p.offset)
	}()
	if p.navigate(msg, km, len(rows)) || len(rows) == 0 {
		return ActionIntent{}
	}
	r := rows[p.cursor]
	switch r.kind {
	case rowProposal:
		switch {
		case key.Matches(msg, km.Confirm):
			return ActionIntent{Kind: IntentReview, Rule: r.prop.Rule}
		case key.Matches(msg, km.Back):
			return ActionIntent{Kind: IntentDismiss, Rule: r.prop.Rule}
		}
	case rowFailback:
		if key.Matches(msg, km.Confirm) {
			return ActionIntent{Kind: IntentReview, Failback: true}
		}
	case rowPaused:
		decide := func(d string) ActionIntent { return ActionIntent{Kind: IntentDecide, ID: r.act.ID, Decision: d} }
		switch {
		case key.Matches(msg, km.Retry):
			return decide("retry")
		case key.Matches(msg, km.Confirm):
			return decide("continue")
		case key.Matches(msg, km.Abort):
			return decide("abort")
		}
	case rowSoak:
		switch {
		case key.Matches(msg, km.Confirm):
			return ActionIntent{Kind: IntentDecide, ID: r.act.ID, Decision: "continue"}
		case key.Matches(msg, km.Abort):
			return ActionIntent{Kind: IntentDecide, ID: r.act.ID, Decision: "abort"}
		}
	}
	return ActionIntent{}
}

// noteSelection remembers what Keys needs: the selected row's kind and
// whether the room refuses actions.
func (p *Actions) noteSelection(rows []actionRow, s *room.Snapshot) {
	kind := ""
	if p.cursor < len(rows) {
		kind = rows[p.cursor].kind
	}
	ro := s != nil && s.ReadOnly
	if kind != p.selKind || ro != p.readOnly {
		p.selKind, p.readOnly = kind, ro
	}
}

// Sync keeps the cursor on its row in a new snapshot, the window around
// it in a body of w×h cells, and what Keys needs.
func (p *Actions) Sync(s *room.Snapshot, w, h int) {
	rows := actionRows(s)
	p.follow(len(rows), func(i int) string { return rows[i].key() })
	p.noteSelection(rows, s)
	p.w, p.h = w, h
	p.rows = max(1, p.listH(s, rows, p.cursor))
	p.offset, _ = span(len(rows), p.listH(s, rows, p.cursor), p.cursor, p.offset)
}

// listH is the lines for the list in the body last synced: the selected
// row's detail gets the lines it needs below a rule, as long as the list
// keeps three rows (or all it has).
func (p *Actions) listH(s *room.Snapshot, rows []actionRow, cur int) int {
	return actionListH(s, rows, cur, p.w, p.h)
}

func actionListH(s *room.Snapshot, rows []actionRow, cur, w, h int) int {
	if len(rows) == 0 {
		return 0
	}
	avail := h
	if h >= 6 {
		avail-- // the header
	}
	if avail < 8 {
		return avail
	}
	need := len(actionDetail(&inks{}, s, rows[cur], w, avail))
	return min(len(rows), max(min(3, len(rows)), avail-1-need))
}

// Selected is the row under the cursor as the app needs it: the proposal's
// rule, the failback offer, or the action id (one of them set).
func (p *Actions) Selected(s *room.Snapshot) (rule string, failback bool, id string) {
	rows := actionRows(s)
	if len(rows) == 0 {
		return "", false, ""
	}
	switch r := rows[p.at(len(rows), func(i int) string { return rows[i].key() })]; r.kind {
	case rowProposal:
		return r.prop.Rule, false, ""
	case rowFailback:
		return "", true, ""
	default:
		return "", false, r.act.ID
	}
}

func actionColumns() []column {
	return []column{
		{title: "STATE", short: "S", min: 1, want: 11, max: 12, prio: 1, required: true},
		{title: "ID", min: 5, want: 6, prio: 4},
		{title: "WHAT", min: 12, want: 26, max: 40, prio: 2, required: true, flex: true},
		{title: "BY", min: 6, want: 10, max: 18, prio: 5},
		{title: "AGE", min: 4, want: 5, prio: 3, right: true, required: true},
		{title: "TOOK", min: 5, want: 6, prio: 6, right: true},
	}
}

// View draws the list, then the selected row in full below a rule.
func (p *Actions) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	rows := actionRows(s)
	if body, done := preamble(ik, s, func(*room.Snapshot) int { return len(rows) }, noActions(s), w, h); done {
		return body
	}
	cur := p.at(len(rows), func(i int) string { return rows[i].key() })
	lines := make([]string, 0, h)
	cols := actionColumns()
	layout(cols, w-2)
	if h >= 6 {
		lines = append(lines, "  "+ik.header.paint(header(cols)))
	}
	start, end := span(len(rows), actionListH(s, rows, cur, w, h), cur, p.offset)
	var rb rowBuilder
	for i := start; i < end; i++ {
		lines = append(lines, actionListRow(&rb, ik, cols, s, rows[i], focused && i == cur, w))
	}
	if left := h - len(lines) - 1; left >= 3 {
		lines = append(lines, ik.muted.paint(cell(repeatRule(w), w)))
		lines = append(lines, actionDetail(ik, s, rows[cur], w, left)...)
	}
	return block(lines, w, h)
}

// noActions is what the pane says with no actions to list.
func noActions(s *room.Snapshot) string {
	if s != nil && s.ReadOnly {
		return "read-only room: actions are disabled"
	}
	return "no actions yet · failover, failback and rollback show here"
}

func repeatRule(w int) string {
	b := make([]rune, w)
	for i := range b {
		b[i] = '─'
	}
	return string(b)
}

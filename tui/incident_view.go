package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"warroom/backends/drill"
	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// incidentBox draws the open incident dialog for a body of w×h.
func (m *Model) incidentBox(w, h int) []string {
	d, th := m.ir.dlg, m.th
	bw := min(w-2, 84)
	bh := h
	if h > 14 {
		bh = h - 2
	}
	iw, ih := bw-4, bh-2
	if iw < 10 || ih < 3 {
		return nil
	}
	var c []string
	text := func(s string) { c = append(c, wrapped(th.Text, s, iw)...) }
	muted := func(s string) { c = append(c, wrapped(th.Muted, s, iw)...) }
	warn := func(s string) { c = append(c, wrapped(th.Warn, themes.Symbol("warning")+" "+s, iw)...) }
	list := func(rows []string, cursor int) {
		top := max(0, min(cursor-(ih-len(c)-3)/2, len(rows)-(ih-len(c)-2)))
		for i := max(top, 0); i < len(rows) && len(c) < ih-2; i++ {
			if i == cursor {
				c = append(c, th.Selected.Render(fit("> "+cleanText(rows[i]), iw)))
			} else {
				c = append(c, th.Text.Render(fit("  "+cleanText(rows[i]), iw)))
			}
		}
	}
	// The incident's own fields are read only while it is the one the
	// dialog opened on: refresh closes the dialog when it is gone.
	s := m.snap
	inc := s.Incident
	if inc != nil && inc.ID != d.inc {
		inc = nil
	}
	title := ""
	switch d.kind {
	case incDeclareLevel:
		title = "Declare an incident"
		if p := s.IncidentProposal; p != nil {
			text(fmt.Sprintf("The room proposes level %d: %s", p.Level, p.Reason))
		}
		muted("Choose the level:")
		list(levelRows(0), d.cursor)
	case incDeclareTitle:
		title = "Declare an incident at " + panes.LevelName(d.level)
		muted("Title (one line: what is broken, for whom):")
		c = append(c, d.input.view(th, iw))
		muted(fmt.Sprintf("%s declares · you become the commander · the RTO clock starts", m.km.Confirm.Help().Key))
	case incLevel:
		title = "Change the level of " + d.inc
		list(levelRows(d.level), d.cursor)
	case incHandOver:
		title = "Hand over command of " + d.inc
		if inc != nil {
			text("Commander now: " + inc.Commander)
		}
		if len(d.names) > 0 {
			muted("Hand over to someone present (↑/↓):")
			list(d.names, d.cursor)
		} else {
			muted("Nobody else who may command is present.")
		}
		muted("…or type a name:")
		c = append(c, d.input.view(th, iw))
		if to := d.handOverTo(); to != "" {
			text(fmt.Sprintf("%s hands command to %s", m.km.Confirm.Help().Key, to))
		}
	case incAdvance:
		title = "Advance " + d.inc
		text(fmt.Sprintf("%s is %s. Move it to %s?", d.inc, d.from, d.to))
		var order []string
		for _, st := range room.Statuses() {
			switch st {
			case d.from:
				st = "[" + st + "]"
			case d.to:
				st = "→ " + strings.ToUpper(st)
			}
			order = append(order, st)
		}
		muted(strings.Join(order, " · "))
		muted("Statuses only move forward: this cannot be undone.")
	case incTick:
		name := room.StepNames()[d.step-1]
		title = fmt.Sprintf("Tick step %d: %s", d.step, name)
		if inc != nil && inc.Steps[d.step-1].Done {
			st := inc.Steps[d.step-1]
			warn(fmt.Sprintf("already ticked by %s at %s: the room will refuse", st.By, st.At.Format("15:04")))
		}
		muted("Note (optional: what was done, what was found):")
		c = append(c, d.input.view(th, iw))
	case incNote:
		title = "Add a note to the timeline"
		c = append(c, d.input.view(th, iw))
		box := "[ ]"
		if d.pin {
			box = "[x]"
		}
		text(box + " pin it as a key moment of the incident (tab toggles)")
		if d.pin && s.Incident == nil {
			warn("no incident is open: a note can only be pinned to an open incident")
		}
	case incPin:
		title = "Pin a note to " + d.inc
		rows := make([]string, len(d.notes))
		for i, e := range d.notes {
			rows[i] = fmt.Sprintf("%s %-10s %s", e.At.Format("15:04"), e.Actor, e.Text)
		}
		list(rows, d.cursor)
	case incDrillPick:
		title = "Start a drill"
		muted("Choose a scenario (its goals and faults show next):")
		list(d.drills, d.cursor)
	case incDrillConfirm:
		title = "Start drill " + d.drill
		switch {
		case d.loading:
			muted("loading " + d.drill + "…")
		case d.loadErr != "":
			c = append(c, wrapped(th.Crit, d.loadErr, iw)...)
		default:
			c = append(c, scenarioLines(m, d.sc, iw)...)
		}
	case incDrillStop:
		title = "Stop drill " + d.drill
		text(fmt.Sprintf("Stop drill %s now? Its faults are removed and the scorecard is shown.", d.drill))
	}
	if perm := d.perm(); !m.can(perm) {
		warn((&room.ForbiddenError{Actor: m.opts.Actor, Perm: perm}).Error() + ": the room will refuse")
	}
	if d.gone != "" {
		c = append(c, wrapped(th.Crit, themes.Symbol("critical")+" "+d.gone, iw)...)
	}
	if len(c) > ih {
		c = c[:ih]
	}
	return drawBox(th, title, c, bw)
}

// levelRows are the three levels, the current one marked.
func levelRows(current int) []string {
	rows := make([]string, 3)
	for i := range rows {
		rows[i] = fmt.Sprintf("%d  %s", i+1, panes.LevelName(i+1))
		if i+1 == current {
			rows[i] += " · now"
		}
	}
	return rows
}

// handOverTo is who the hand-over would go to now.
func (d *incidentDialog) handOverTo() string {
	if to := strings.TrimSpace(d.input.String()); to != "" {
		return to
	}
	if len(d.names) > 0 {
		return d.names[d.cursor]
	}
	return ""
}

// perm is what the dialog's command needs of the role.
func (d *incidentDialog) perm() room.Perm {
	switch d.kind {
	case incLevel, incHandOver:
		return room.PermCommand
	case incAdvance:
		if d.to == room.StatusClosed {
			return room.PermCommand
		}
	case incNote, incPin:
		return room.PermNote
	case incDrillPick, incDrillConfirm, incDrillStop:
		return room.PermDrill
	}
	return room.PermIncident
}

// scenarioLines describe a loaded scenario before it starts.
func scenarioLines(m *Model, sc *drill.Scenario, w int) []string {
	th := m.th
	var out []string
	head := sc.Name
	if sc.Description != "" {
		head += ": " + sc.Description
	}
	out = append(out, wrapped(th.Bold, head, w)...)
	mode := "actions run dry (nothing real is switched)"
	if sc.Live {
		mode = "LIVE: failover and rollback run for real"
	}
	out = append(out, wrapped(th.Text, fmt.Sprintf("lasts at most %s · %s · announcements go to drill channels or carry [DRILL]", drill.Short(sc.Duration), mode), w)...)
	if sc.Live {
		out = append(out, wrapped(th.Crit, themes.Symbol("critical")+" live drill: the actions you confirm change the real fleet", w)...)
	}
	out = append(out, th.Header.Render(fit("GOALS", w)))
	for _, g := range sc.Goals {
		out = append(out, th.Text.Render(fit(fmt.Sprintf("  %s within %s", g.Name, drill.Short(g.Within)), w)))
	}
	out = append(out, th.Header.Render(fit("FAULTS", w)))
	for _, f := range sc.Faults {
		out = append(out, th.Text.Render(fit("  "+faultText(f), w)))
	}
	return out
}

// faultText is one fault: when, what, on what, for how long.
func faultText(f drill.Fault) string {
	on := f.Mirror
	switch {
	case f.Region != "":
		on = "region " + f.Region
	case f.Channel != "":
		on = "channel " + f.Channel
	case on == "" && strings.HasPrefix(f.Kind, "webhook"):
		on = "every channel"
	}
	s := fmt.Sprintf("at %s: %s", drill.Short(f.At), f.Kind)
	if on != "" {
		s += " " + on
	}
	if f.For > 0 {
		s += " for " + drill.Short(f.For)
	} else {
		s += " until the end"
	}
	return s
}

// incidentDialogKeys are the help bar's keys for the open incident dialog.
func (m *Model) incidentDialogKeys() []key.Binding {
	d, km := m.ir.dlg, m.km
	cancel := relabel(km.Back, "cancel")
	choose := chooseKey(km)
	if d.gone != "" || d.sending {
		return []key.Binding{relabel(km.Back, "close")}
	}
	switch d.kind {
	case incDeclareLevel:
		return []key.Binding{choose, relabel(km.Confirm, "next"), cancel}
	case incDeclareTitle:
		return []key.Binding{relabel(km.Confirm, "declare"), cancel}
	case incLevel:
		return []key.Binding{choose, relabel(km.Confirm, "set level"), cancel}
	case incHandOver:
		return []key.Binding{key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")), relabel(km.Confirm, "hand over"), cancel}
	case incAdvance:
		return []key.Binding{relabel(km.Confirm, "move to "+d.to), cancel}
	case incTick:
		return []key.Binding{relabel(km.Confirm, "tick"), cancel}
	case incNote:
		return []key.Binding{relabel(km.Confirm, "add"), km.TogglePin, cancel}
	case incPin:
		return []key.Binding{choose, relabel(km.Confirm, "pin"), cancel}
	case incDrillPick:
		return []key.Binding{choose, relabel(km.Confirm, "show"), cancel}
	case incDrillConfirm:
		if d.sc == nil {
			return []key.Binding{cancel}
		}
		return []key.Binding{relabel(km.Confirm, "start the drill"), cancel}
	case incDrillStop:
		return []key.Binding{relabel(km.Confirm, "stop the drill"), cancel}
	}
	return []key.Binding{cancel}
}

// scorecardBox draws the ended drill's scorecard over the room.
func (m *Model) scorecardBox(w, h int) []string {
	d := m.ir.card
	bw := min(w-2, 84)
	iw := bw - 4
	if iw < 10 || h < 5 {
		return nil
	}
	c := panes.ScorecardLines(m.th, d.Scorecard, iw)
	foot := fmt.Sprintf("%s or %s closes", firstHelpKey(m.km.Confirm), firstHelpKey(m.km.Back))
	if m.opts.Report != nil && m.can(room.PermIncident) {
		foot += fmt.Sprintf(" · %s writes the drill report", m.km.Report.Help().Key)
	}
	c = append(c, "", m.th.Muted.Render(fit(foot, iw)))
	if len(c) > h-2 {
		c = c[:h-2]
	}
	return drawBox(m.th, "Drill scorecard: "+d.Name, c, bw)
}

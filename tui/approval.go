package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// approval is the open answer to an operator's request that waits for a
// commander: its preview, then approve, or reject with a reason.
type approval struct {
	modalID
	action    string // the request's id
	rejecting bool
	reason    panes.Input
}

// awaitingFor is the oldest request this session's person may approve (not
// their own), or nil.
func (m *Model) awaitingFor() *room.ActionView {
	if m.snap == nil {
		return nil
	}
	for i := range m.snap.Actions {
		a := &m.snap.Actions[i]
		if a.State == room.ActionAwaiting && a.RequestedBy != m.opts.Actor.Name {
			return a
		}
	}
	return nil
}

func (m *Model) awaitingByID(id string) *room.ActionView {
	for i := range m.snap.Actions {
		if a := &m.snap.Actions[i]; a.ID == id && a.State == room.ActionAwaiting {
			return a
		}
	}
	return nil
}

// openApproval opens the oldest waiting request (the approve key).
func (m *Model) openApproval() tea.Cmd {
	if ok, why := m.may(room.PermApprove); !ok {
		m.say(why, true)
		return nil
	}
	a := m.awaitingFor()
	if a == nil {
		m.say("no request is waiting for your approval", false)
		return nil
	}
	m.modals.push(&approval{modalID: m.modals.newID(), action: a.ID, reason: panes.Input{Limit: 200}})
	return nil
}

// update handles a key while the approval is open. Esc leaves the
// request waiting; nothing is sent without the approve or reject key.
func (ap *approval) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return ap, nil
	}
	km := m.km
	if m.awaitingByID(ap.action) == nil {
		m.say(ap.action+" is no longer waiting for approval", false)
		return nil, nil
	}
	if ap.rejecting {
		switch {
		case key.Matches(k, km.Back):
			ap.rejecting = false
		case key.Matches(k, km.Confirm):
			return nil, ap.answer(m, "rejected", strings.TrimSpace(ap.reason.String()))
		default:
			ap.reason.Key(k)
		}
		return ap, nil
	}
	switch {
	case key.Matches(k, km.Back):
		m.say(fmt.Sprintf("%s still waits; %s opens it again", ap.action, km.Approve.Help().Key), false)
		return nil, nil
	case key.Matches(k, km.Approve):
		return nil, ap.answer(m, "approved", "")
	case key.Matches(k, km.Reject):
		ap.rejecting = true
	}
	return ap, nil
}

// answer sends the commander's decision to the room; the approval has
// closed by then, and the outcome shows in the footer.
func (ap *approval) answer(m *Model, verb, reason string) tea.Cmd {
	id := ap.action
	m.say(fmt.Sprintf("%s: sending %s…", id, strings.TrimSuffix(verb, "d")), false)
	return m.call(0, callErr(func(ctx context.Context, r Room, a room.Actor) error {
		if verb == "approved" {
			return r.Approve(ctx, id, a)
		}
		return r.Reject(ctx, id, reason, a)
	}), func(m *Model, _ any, err error) {
		if err != nil {
			m.say(fmt.Sprintf("%s %s: %v", themes.Symbol("critical"), id, err), true)
		} else {
			m.say(fmt.Sprintf("%s %s", verb, id), false)
		}
	})
}

// view draws the request with its preview over a body of w×h.
func (ap *approval) view(m *Model, under string, w, h int) string {
	a := m.awaitingByID(ap.action)
	bw := min(w-2, dialogMaxWidth)
	iw := bw - 4
	if a == nil || iw < 10 || h < 6 {
		return under
	}
	th, km := m.th, m.km
	lines := []string{
		th.Warn.Render(fmt.Sprintf("%s asks to run %s", a.RequestedBy, a.Request.String())),
		th.Muted.Render(fmt.Sprintf("%s via %s · asked %s · expires in %s", a.ID, a.Executor,
			a.RequestedAt.Format("15:04:05"), panes.HumanDuration(a.ApprovalDue.Sub(m.snap.At)))),
		"",
	}
	if a.RPOKnown {
		lines = append(lines, fmt.Sprintf("RPO: %s of content may be lost", panes.HumanDuration(a.RPO)), "")
	}
	lines = append(lines, th.Title.Render("Plan"))
	for _, l := range a.Plan {
		lines = append(lines, "  "+cleanText(l))
	}
	lines = append(lines, "")
	if ap.rejecting {
		lines = append(lines, "Reason (optional): "+ap.reason.View(th, iw-19),
			th.Muted.Render("enter reject · esc back"))
	} else {
		lines = append(lines, th.Muted.Render(fmt.Sprintf("%s approve · %s reject · %s later",
			km.Approve.Help().Key, km.Reject.Help().Key, km.Back.Help().Key)))
	}
	if max := h - 4; len(lines) > max && max > 3 {
		lines = append(lines[:max-1], lines[len(lines)-1])
	}
	return overlay(under, drawBox(th, "Approval requested", lines, bw), w, h)
}

func (ap *approval) keys(m *Model) []key.Binding {
	if ap.rejecting {
		return []key.Binding{relabel(m.km.Confirm, "reject"), relabel(m.km.Back, "back")}
	}
	return []key.Binding{m.km.Approve, m.km.Reject, relabel(m.km.Back, "later")}
}

// onSnapshot closes the approval once its request no longer waits,
// saying how it ended.
func (ap *approval) onSnapshot(m *Model, s *room.Snapshot) modal {
	if m.awaitingByID(ap.action) != nil {
		return ap
	}
	m.say(fmt.Sprintf("%s no longer waits for approval: %s", ap.action, answeredHow(s, ap.action)), false)
	return nil
}

// asked is this session's last request, followed until it is clear
// whether it waits for a commander and, if it did, how that ended.
type asked struct {
	id    string
	waits bool
}

// followAsked tells the requester how their request fares. Act returns
// before the room publishes the request, so the snapshots say whether it
// waits for a commander and then whether it was approved, rejected or let
// expire: the requester's own outcome, not a notice among others.
func (m *Model) followAsked(s *room.Snapshot) {
	if m.asked.id == "" {
		return
	}
	for _, a := range s.Actions {
		if a.ID != m.asked.id {
			continue
		}
		what := fmt.Sprintf("%s %s", a.Request.Kind, a.ID)
		switch {
		case a.State == room.ActionAwaiting:
			if !m.asked.waits {
				m.asked.waits = true
				m.say(fmt.Sprintf("%s waits for a commander's approval until %s", what, a.ApprovalDue.Format("15:04:05")), false)
			}
			return
		case !m.asked.waits:
		case a.ApprovedBy != "":
			m.say(fmt.Sprintf("%s approved by %s: it runs now", what, a.ApprovedBy), false)
		case a.State == room.ActionRejected && a.Err != "":
			m.say(fmt.Sprintf("%s %s rejected by %s: %s", themes.Symbol("critical"), what, a.RejectedBy, a.Err), true)
		case a.State == room.ActionRejected:
			m.say(fmt.Sprintf("%s %s rejected by %s", themes.Symbol("critical"), what, a.RejectedBy), true)
		case a.State == room.ActionExpired:
			m.say(fmt.Sprintf("%s %s expired: %s", themes.Symbol("critical"), what, a.Err), true)
		}
		m.asked = asked{}
	}
}

// answeredHow says how a request that waited for approval ended.
func answeredHow(s *room.Snapshot, id string) string {
	for _, a := range s.Actions {
		if a.ID != id {
			continue
		}
		switch {
		case a.ApprovedBy != "":
			return "approved by " + a.ApprovedBy
		case a.State == room.ActionRejected:
			return "rejected by " + or(a.RejectedBy, "someone")
		case a.State == room.ActionExpired:
			return "it expired"
		}
		return "it is " + string(a.State)
	}
	return "it is no longer in the room"
}

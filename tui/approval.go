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
	id        string
	rejecting bool
	reason    lineInput
	sending   bool
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
	m.apv = &approval{id: a.ID, reason: lineInput{limit: 200}}
	return nil
}

// approvalKey handles a key while the approval is open. Esc leaves the
// request waiting; nothing is sent without the approve or reject key.
func (m *Model) approvalKey(msg tea.KeyMsg) tea.Cmd {
	ap, km := m.apv, m.km
	a := m.awaitingByID(ap.id)
	if a == nil {
		m.apv = nil
		m.say(ap.id+" is no longer waiting for approval", false)
		return nil
	}
	if ap.rejecting {
		switch msg.Type {
		case tea.KeyEsc:
			ap.rejecting = false
		case tea.KeyEnter:
			return m.answer(ap, "rejected", strings.TrimSpace(ap.reason.String()))
		default:
			ap.reason.key(msg)
		}
		return nil
	}
	switch {
	case key.Matches(msg, km.Back):
		m.apv = nil
		m.say(fmt.Sprintf("%s still waits; %s opens it again", ap.id, km.Approve.Help().Key), false)
	case ap.sending:
	case key.Matches(msg, km.Approve):
		return m.answer(ap, "approved", "")
	case key.Matches(msg, km.Reject):
		ap.rejecting = true
	}
	return nil
}

// answer sends the commander's decision to the room.
func (m *Model) answer(ap *approval, verb, reason string) tea.Cmd {
	ap.sending = true
	id := ap.id
	m.apv = nil
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

// approvalBox draws the request with its preview, for a body of w×h.
func (m *Model) approvalBox(w, h int) []string {
	a := m.awaitingByID(m.apv.id)
	bw := min(w-2, dialogMaxWidth)
	iw := bw - 4
	if a == nil || iw < 10 || h < 6 {
		return nil
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
	if m.apv.rejecting {
		lines = append(lines, "Reason (optional): "+m.apv.reason.view(th, iw-19),
			th.Muted.Render("enter reject · esc back"))
	} else {
		lines = append(lines, th.Muted.Render(fmt.Sprintf("%s approve · %s reject · %s later",
			km.Approve.Help().Key, km.Reject.Help().Key, km.Back.Help().Key)))
	}
	if max := h - 4; len(lines) > max && max > 3 {
		lines = append(lines[:max-1], lines[len(lines)-1])
	}
	return drawBox(th, "Approval requested", lines, bw)
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

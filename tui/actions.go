package tui

import (
	"context"

	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// The room the binary runs is a Room.
var _ Room = (*room.Room)(nil)

func (m *Model) say(text string, bad bool) { m.flash, m.flashBad = text, bad }

// setSnapshot takes a snapshot. It moves no pane (see layout): what
// waits shows in the banner, who acted in the footer, and what changed in
// a hidden pane as a mark in its slot's title.
func (m *Model) setSnapshot(s *room.Snapshot) {
	m.snap = s
	m.noteOthers(s)
}

// onSnapshot takes a new snapshot: the open modals see it. Nothing opens
// by itself: what waits for this person shows in the banner (banner.go).
func (m *Model) onSnapshot(s *room.Snapshot) tea.Cmd {
	m.setSnapshot(s)
	m.followAsked(s)
	m.modals.snapshot(m, s)
	return nil
}

// openFailover opens the failover dialog from the selected mirror (on the
// Mirrors pane) or from the one active mirror (elsewhere).
func (m *Model) openFailover() tea.Cmd {
	if ok, why := m.may(room.PermAct); !ok {
		m.say(why, true)
		return nil
	}
	s := m.snap
	if !s.CanFailover {
		m.say("failover is not configured: set actions.failover in the config", true)
		return nil
	}
	active := activeMirrors(s)
	var from *room.MirrorView
	if m.focus == paneMirrors {
		from = m.mirrors.Selected(s)
	} else if len(active) == 1 {
		from = active[0]
	}
	switch {
	case from == nil && len(active) == 0:
		m.say("no mirror is active: there is no traffic to move", true)
		return nil
	case from == nil:
		m.say(fmt.Sprintf("select the active mirror in pane %s (%s) and press %s", m.km.Pane[paneMirrors].Help().Key,
			names(active), m.km.Failover.Help().Key), true)
		return nil
	case from.Role != "active":
		m.say(fmt.Sprintf("%s does not serve traffic; the active mirror is %s: select it and press %s", from.Name,
			names(active), m.km.Failover.Help().Key), true)
		return nil
	}
	cands := room.Rank(s, from.Name)
	if len(cands) == 0 {
		m.say(fmt.Sprintf("no other mirror to move %s's traffic to", from.Name), true)
		return nil
	}
	m.modals.push(&dialog{modalID: m.modals.newID(), kind: room.Failover, from: from.Name, cands: cands, step: stepCandidates})
	return nil
}

func activeMirrors(s *room.Snapshot) []*room.MirrorView {
	var out []*room.MirrorView
	for _, mv := range s.Mirrors {
		if mv.Role == "active" {
			out = append(out, mv)
		}
	}
	return out
}

func names(ms []*room.MirrorView) string {
	n := make([]string, len(ms))
	for i, mv := range ms {
		n[i] = mv.Name
	}
	if len(n) == 0 {
		return "none"
	}
	return strings.Join(n, ", ")
}

// openFailback opens the confirmation of the room's failback offer, or
// says why there is none.
func (m *Model) openFailback() tea.Cmd {
	if ok, why := m.may(room.PermAct); !ok {
		m.say(why, true)
		return nil
	}
	if m.snap.Failback == nil {
		m.say(failbackWhyNot(m.snap, m.opts.LagWarn), false)
		return nil
	}
	fb := m.snap.Failback
	d := &dialog{modalID: m.modals.newID(), kind: room.Failback, reason: fb.Reason, failback: true}
	m.modals.push(d)
	return d.toConfirm(m, fb.Request)
}

// failbackWhyNot explains a missing failback offer from what the snapshot
// shows: the last switch, and the original primary's health and lag.
func failbackWhyNot(s *room.Snapshot, lagWarn time.Duration) string {
	if s.FailbackWait != "" {
		return s.FailbackWait // the room's own reason: health, lag, the settle period
	}
	var last *room.ActionView
	for i := len(s.Actions) - 1; i >= 0; i-- {
		a := &s.Actions[i]
		if a.Request.Kind == room.Rollback {
			continue
		}
		if !a.State.Ended() {
			return fmt.Sprintf("failback not offered: %s (%s) is still %s", a.Request.String(), a.ID, a.State)
		}
		if a.State == room.ActionSucceeded {
			last = a
			break
		}
	}
	if last == nil || last.Request.Kind == room.Failback {
		return "nothing to fail back: traffic has not been moved off its primary"
	}
	primary := last.Request.From
	var pm *room.MirrorView
	for _, mv := range s.Mirrors {
		if mv.Name == primary {
			pm = mv
		}
	}
	prefix := "failback to " + primary + " not offered yet: "
	switch {
	case pm == nil:
		return prefix + primary + " is no longer configured"
	case pm.State != room.StateUp:
		return prefix + fmt.Sprintf("%s is %s", primary, pm.State)
	case !pm.LagKnown:
		return prefix + fmt.Sprintf("%s's lag is unknown", primary)
	case lagWarn > 0 && pm.Lag >= lagWarn:
		return prefix + fmt.Sprintf("%s is %s behind the origin (needs under %s)", primary, pm.Lag.Round(time.Second), lagWarn)
	case pm.SerialKnown && pm.SerialsBehind != 0:
		return prefix + fmt.Sprintf("%s is %d serials behind the origin", primary, pm.SerialsBehind)
	}
	return prefix + "waiting for " + primary + " to be healthy and caught up"
}

// openRollback opens the rollback dialog: the target list, or straight to
// the versions of target (a proposal's, or the only one).
func (m *Model) openRollback(target, rule, reason string) tea.Cmd {
	if ok, why := m.may(room.PermAct); !ok {
		m.say(why, true)
		return nil
	}
	targets := m.snap.RollbackTargets
	if len(targets) == 0 && target == "" {
		m.say("no rollback targets: add them under actions.rollback in the config", true)
		return nil
	}
	d := &dialog{modalID: m.modals.newID(), kind: room.Rollback, targets: targets, rule: rule, reason: reason}
	m.modals.push(d)
	if target == "" && len(targets) == 1 {
		target = targets[0]
	}
	if target == "" {
		d.step = stepTargets
		return nil
	}
	return d.loadVersions(m, target)
}

// openProposal pops up a rule's proposal with its preview.
func (m *Model) openProposal(p room.Proposal) tea.Cmd {
	if p.Request.Kind == room.Rollback && p.Request.Version == "" {
		return m.openRollback(p.Request.Target, p.Rule, p.Reason)
	}
	d := &dialog{modalID: m.modals.newID(), kind: p.Request.Kind, rule: p.Rule, reason: p.Reason}
	m.modals.push(d)
	return d.toConfirm(m, p.Request)
}

// actionIntent carries out what a key on the Actions pane asked for.
func (m *Model) actionIntent(in panes.ActionIntent) tea.Cmd {
	if in.Kind == "" {
		return nil
	}
	if ok, why := m.may(room.PermAct); !ok {
		m.say(why, true)
		return nil
	}
	switch in.Kind {
	case panes.IntentReview:
		if in.Failback {
			return m.openFailback()
		}
		for _, p := range m.snap.Proposals {
			if p.Rule == in.Rule {
				return m.openProposal(p)
			}
		}
		m.say(fmt.Sprintf("rule %s's proposal is no longer open", in.Rule), true)
	case panes.IntentDismiss:
		for _, p := range m.snap.Proposals {
			if p.Rule == in.Rule {
				m.dismissed[p.Rule+"|"+p.Request.String()] = true
			}
		}
		rule := in.Rule
		return m.call(0, callErr(func(ctx context.Context, r Room, a room.Actor) error { return r.Dismiss(ctx, rule, a) }),
			func(m *Model, _ any, err error) {
				if err != nil {
					m.say(fmt.Sprintf("%s dismiss %s: %v", themes.Symbol("critical"), rule, err), true)
				} else {
					m.say(fmt.Sprintf("dismissed rule %s's proposal", rule), false)
				}
			})
	case panes.IntentDecide:
		id, decision := in.ID, in.Decision
		m.say(fmt.Sprintf("%s: sending %s…", id, decision), false)
		return m.call(0, callErr(func(ctx context.Context, r Room, a room.Actor) error { return r.Decide(ctx, id, decision, a) }),
			func(m *Model, _ any, err error) {
				if err != nil {
					m.say(fmt.Sprintf("%s %s: %v", themes.Symbol("critical"), id, err), true)
				} else {
					m.say(fmt.Sprintf("%s: %s sent", id, decision), false)
				}
			})
	}
	return nil
}

// act sends a confirmed request to the room.
func (m *Model) act(req room.Request) tea.Cmd {
	m.say(fmt.Sprintf("requesting %s…", req.String()), false)
	return m.call(0, func(ctx context.Context, r Room, a room.Actor) (any, error) { return r.Act(ctx, req, a) },
		func(m *Model, id any, err error) {
			if err != nil {
				m.say(themes.Symbol("critical")+" "+err.Error(), true)
				return
			}
			m.say(fmt.Sprintf("%s %s started · progress in pane %s Actions", req.Kind, id, m.km.Pane[paneActions].Help().Key), false)
			m.asked = asked{id: id.(string)}
		})
}

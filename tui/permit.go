package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
)

// What a session may do is read from one table, the keymap's: each action
// names the permission it needs and whether it changes the room. Help,
// the footer, the panes' key hints and key routing all ask allows; the
// room enforces the same permissions on every command.

// readOnlyText is what every refused action key says.
const readOnlyText = "read-only room: actions are disabled"

// roomPerm is the room's permission for one the keymap names (keymaps is
// a leaf and cannot name the room's).
func roomPerm(p keymaps.Perm) room.Perm {
	for _, pair := range []struct {
		k keymaps.Perm
		r room.Perm
	}{
		{keymaps.PermAck, room.PermAck}, {keymaps.PermAct, room.PermAct}, {keymaps.PermAnnounce, room.PermAnnounce},
		{keymaps.PermApprove, room.PermApprove}, {keymaps.PermIncident, room.PermIncident},
		{keymaps.PermCommand, room.PermCommand}, {keymaps.PermNote, room.PermNote},
		{keymaps.PermDrill, room.PermDrill}, {keymaps.PermPen, room.PermPen},
	} {
		if pair.k == p {
			return pair.r
		}
	}
	return ""
}

// canAct reports whether this session's room takes commands now.
func (m *Model) canAct() (bool, string) {
	if m.opts.Room == nil || m.snap == nil || m.snap.ReadOnly {
		return false, readOnlyText
	}
	return true, ""
}

// may reports whether this session may use p now (its role holds p in a
// room that takes commands), and says why not.
func (m *Model) may(p room.Perm) (bool, string) {
	if ok, why := m.canAct(); !ok {
		return false, why
	}
	if !m.role().Can(p) {
		return false, (&room.ForbiddenError{Actor: m.opts.Actor, Perm: p}).Error()
	}
	return true, ""
}

// can is may without the reason.
func (m *Model) can(p room.Perm) bool {
	ok, _ := m.may(p)
	return ok
}

// allows reports whether this session may use action a now, and says why
// not: a dangerous action needs the permission in a room that takes
// commands; a harmless one (acknowledging, the report) only the
// permission, as a read-only room still takes it.
func (m *Model) allows(a keymaps.Action) (bool, string) {
	p := roomPerm(a.Perm)
	switch {
	case a.Perm == keymaps.Anyone:
		return true, ""
	case a.Dangerous:
		ok, why := m.may(p)
		if !ok && a.Perm == keymaps.PermPen && m.snap != nil && m.snap.Pen == m.opts.Actor.Name {
			ok, why = m.canAct() // whoever holds the pen may pass it on
		}
		return ok, why
	case m.opts.Room == nil:
		return false, "this room is read-only"
	case !m.role().Can(p):
		return false, (&room.ForbiddenError{Actor: m.opts.Actor, Perm: p}).Error()
	}
	return true, ""
}

// sessionKeymap is the keymap as this session may use it now: every
// action its role may not use is switched off, and so are those with
// nothing to act on (no report writer, no drill to start or stop, nothing
// that could wait for review). Help, the footer and the panes' hints read
// it, so nothing offers a key that would be refused.
func (m *Model) sessionKeymap() *keymaps.Keymap {
	k := *m.km
	for _, a := range k.Actions() {
		if ok, _ := m.allows(a); !ok {
			a.Binding.SetEnabled(false)
		}
	}
	if !m.can(room.PermAct) && !m.can(room.PermApprove) && m.unseenScorecard() == nil {
		k.Review.SetEnabled(false) // only a drill's result can wait for this person
	}
	if m.opts.Report == nil {
		k.Report.SetEnabled(false)
	}
	if m.opts.KillLeader == nil {
		k.KillLeader.SetEnabled(false)
	}
	if (len(m.opts.Drills) == 0 || m.opts.LoadDrill == nil) && (m.snap == nil || m.snap.Drill == nil || m.snap.Drill.Ended) {
		k.Drill.SetEnabled(false)
	}
	return &k
}

// refused says why this session may not use the action msg presses, or
// "" when it may (or msg is no action's key). The Actions pane's own row
// keys are left to it: there retry and confirm decide a paused action,
// which needs act whatever the keymap says of retrying a post, and
// actionIntent checks that.
func (m *Model) refused(msg tea.KeyMsg) string {
	if m.focus == paneActions {
		for _, b := range m.panes[m.focus].Keys(m.km) {
			if key.Matches(msg, b) {
				return ""
			}
		}
	}
	for _, a := range m.km.Actions() {
		if a.Modal || !key.Matches(msg, *a.Binding) {
			continue
		}
		_, why := m.allows(a)
		return why
	}
	return ""
}

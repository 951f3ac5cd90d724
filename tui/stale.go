package tui

import (
	"fmt"

	"warroom/backends/room"
)

// A new snapshot may take away what an open modal is about: the request
// was answered by someone else, the people left. Such a modal closes or
// follows the change and says so; it never works on what is gone.

// refreshApproval closes the open approval once its request no longer
// waits, saying how it ended.
func (m *Model) refreshApproval(s *room.Snapshot) {
	ap := m.apv
	if ap == nil || m.awaitingByID(ap.id) != nil {
		return
	}
	m.apv = nil
	m.say(fmt.Sprintf("%s no longer waits for approval: %s", ap.id, answeredHow(s, ap.id)), false)
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

// refreshPen follows the people present in the pen picker, keeping the
// cursor on the chosen person, and closes it when the pen is off, nobody
// is left to take it, or this person may no longer pass it.
func (m *Model) refreshPen(s *room.Snapshot) {
	p := m.pen
	if p == nil {
		return
	}
	why := ""
	switch names := penNames(s); {
	case !s.PenRequired:
		why = "the pen was switched off meanwhile"
	case !m.mayPassPen(s):
		why = fmt.Sprintf("%s has the pen now: only they, or a commander, pass it", or(s.Pen, "nobody"))
	case len(names) == 0:
		why = "nobody else present may take the pen now"
	default:
		chosen := p.names[p.cursor]
		p.names, p.cursor = names, 0
		for i, n := range names {
			if n == chosen {
				p.cursor = i
			}
		}
		return
	}
	m.pen = nil
	m.say(why+": nothing was handed over", true)
}

package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// modal is what opens over the room: a dialog, the composer, the help.
// The stack below decides, once, who gets keys (the top), whose keys the
// footer names (the top's) and what is drawn (all, bottom first).
type modal interface {
	id() int
	// update takes a key (when on top) or the answer to a call it made,
	// and returns what stays open in its place: itself, its next step, or
	// nil to close.
	update(m *Model, msg tea.Msg) (modal, tea.Cmd)
	// view draws it over under, a body of w×h lines.
	view(m *Model, under string, w, h int) string
	// keys are the footer's keys while it is on top.
	keys(m *Model) []key.Binding
	// onSnapshot follows a new snapshot: a modal whose subject changed
	// refreshes itself, one whose subject is gone says so and returns nil.
	onSnapshot(m *Model, s *room.Snapshot) modal
}

// modalID gives a modal its id (embed it); answers to calls find their
// modal by it, so a late answer to a closed one is dropped.
type modalID int

func (i modalID) id() int { return int(i) }

// modals is the stack of open modals, the top last.
type modals struct {
	open []modal
	seq  int
}

// newID numbers a modal about to open.
func (s *modals) newID() modalID {
	s.seq++
	return modalID(s.seq)
}

// push opens mo on top.
func (s *modals) push(mo modal) {
	if mo != nil {
		s.open = append(s.open, mo)
	}
}

// top is the modal that takes keys, or nil.
func (s *modals) top() modal {
	if len(s.open) == 0 {
		return nil
	}
	return s.open[len(s.open)-1]
}

func (s *modals) index(id int) int {
	for i, mo := range s.open {
		if mo.id() == id {
			return i
		}
	}
	return -1
}

// replace puts next where modal id was (nil closes it). The modal may
// have opened another meanwhile, so it is found again by id.
func (s *modals) replace(id int, next modal) {
	i := s.index(id)
	switch {
	case i < 0:
	case next == nil:
		s.open = append(s.open[:i], s.open[i+1:]...)
	default:
		s.open[i] = next
	}
}

// deliver gives msg to the open modal id; nothing when it has closed.
func (s *modals) deliver(m *Model, id int, msg tea.Msg) tea.Cmd {
	i := s.index(id)
	if id == 0 || i < 0 {
		return nil
	}
	next, cmd := s.open[i].update(m, msg)
	s.replace(id, next)
	return cmd
}

// key gives a key to the top modal; false when none is open.
func (s *modals) key(m *Model, msg tea.KeyMsg) (tea.Cmd, bool) {
	top := s.top()
	if top == nil {
		return nil, false
	}
	return s.deliver(m, top.id(), msg), true
}

// snapshot lets every open modal follow a new snapshot.
func (s *modals) snapshot(m *Model, snap *room.Snapshot) {
	for _, mo := range append([]modal(nil), s.open...) {
		s.replace(mo.id(), mo.onSnapshot(m, snap))
	}
}

// view draws the open modals over body, bottom first.
func (s *modals) view(m *Model, body string, w, h int) string {
	for _, mo := range s.open {
		body = mo.view(m, body, w, h)
	}
	return body
}

// keys are the top modal's keys for the footer; nil when none is open.
func (s *modals) keys(m *Model) []key.Binding {
	if top := s.top(); top != nil {
		return top.keys(m)
	}
	return nil
}

// openOf is the topmost open modal of type T, or its zero value.
func openOf[T modal](s *modals) T {
	for i := len(s.open) - 1; i >= 0; i-- {
		if mo, ok := s.open[i].(T); ok {
			return mo
		}
	}
	var zero T
	return zero
}

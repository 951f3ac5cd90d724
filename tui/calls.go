package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// roomCallTimeout bounds every call the app makes to the room, the
// slowest being a rollback target's list step (an executor's own command).
const roomCallTimeout = 30 * time.Second

// callDone is the answer to one room call. It goes to the modal that made
// the call (owner) while that is still open; then, for every call, the
// model runs then, which says the outcome whoever asked.
type callDone struct {
	owner int // the asking modal's id; 0 for the model itself
	val   any
	err   error
	then  func(m *Model, val any, err error) // nil: the owner alone cares
}

// call runs f off the UI loop with the session's context, bounded by
// roomCallTimeout, and delivers its answer as a callDone. It is the one
// way the app calls the room: Update never waits on it.
func (m *Model) call(owner int, f func(ctx context.Context, r Room, a room.Actor) (any, error),
	then func(m *Model, val any, err error)) tea.Cmd {
	parent, r, actor := m.opts.Context, m.opts.Room, m.opts.Actor
	if parent == nil {
		parent = context.Background()
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, roomCallTimeout)
		defer cancel()
		val, err := f(ctx, r, actor)
		return callDone{owner: owner, val: val, err: err, then: then}
	}
}

// callErr adapts a call that returns only an error.
func callErr(f func(ctx context.Context, r Room, a room.Actor) error) func(context.Context, Room, room.Actor) (any, error) {
	return func(ctx context.Context, r Room, a room.Actor) (any, error) { return nil, f(ctx, r, a) }
}

// callDoneMsg delivers an answer: to its owner while it is open, then to
// the model's then.
func (m *Model) callDoneMsg(msg callDone) tea.Cmd {
	cmd := m.modals.deliver(m, msg.owner, msg)
	if msg.then != nil {
		msg.then(m, msg.val, msg.err)
	}
	return cmd
}

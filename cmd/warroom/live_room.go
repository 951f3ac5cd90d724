package main

import (
	"context"

	"warroom/backends/room"
	"warroom/tui"
)

// liveRoom is the room as sessions and commands use it. On one machine it
// is the room itself; on a cluster node it reads this node's room and sends
// commands to whichever node leads.
type liveRoom interface {
	tui.Room
	Join(ctx context.Context, actor room.Actor, p room.Presence) (string, error)
	Leave(id string)
	Subscribe() *room.Subscription
	Snapshot() *room.Snapshot
	// Silence and ExpireSilence serve `warroom silence` (also in tui.Room
	// for the room's own dialog).
	Silence(ctx context.Context, req room.SilenceRequest, actor room.Actor) (string, error)
	ExpireSilence(ctx context.Context, id string, actor room.Actor) error
}

var _ liveRoom = (*room.Room)(nil)

package room

// InboxQueued is how many inputs wait in the room's inbox right now: a
// room that keeps up reads near 0; one near its capacity (4,096) is behind
// and its snapshots, host samples included, are stale.
func (r *Room) InboxQueued() int { return len(r.inbox) }

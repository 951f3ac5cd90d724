package room

// EvRoomLeader: a node took the room over (Fields: node, term). Every
// later record up to the next one was written under that term.
const EvRoomLeader = "room.leader"

// LeaderFacts is the payload of room.leader.
type LeaderFacts struct {
	Node string // the node that leads from here on
	Term string // its fencing token, as the cluster gives it
}

func (l *LeaderFacts) slots() []slot {
	return []slot{text[string]{keyNode, &l.Node}, text[string]{keyTerm, &l.Term}}
}

// Fields is the payload as journaled.
func (l LeaderFacts) Fields() map[string]string { return encode(l.slots()) }

// LeaderFacts reads a room.leader event's payload.
func (e Event) LeaderFacts() LeaderFacts { return read[LeaderFacts](e) }

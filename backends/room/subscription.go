package room

import "sync"

// Subscription hands a view the newest snapshot. It holds one slot: a
// publish replaces a snapshot the view has not taken yet, so a slow or
// frozen view skips frames and never holds up the room or other views.
type Subscription struct {
	ch     chan *Snapshot
	cancel func()
	once   sync.Once
}

// C delivers snapshots, newest only. It is never closed; use Close to stop.
func (s *Subscription) C() <-chan *Snapshot { return s.ch }

// Close ends the subscription; the room forgets it. Safe to call twice.
func (s *Subscription) Close() { s.once.Do(s.cancel) }

// offer puts snap in the slot, replacing whatever waits there. Only the
// room's publisher calls it, so after the drain the send cannot block.
func (s *Subscription) offer(snap *Snapshot) {
	select {
	case s.ch <- snap:
		return
	default:
	}
	select {
	case <-s.ch:
	default:
	}
	select {
	case s.ch <- snap:
	default:
	}
}

// subscribers is the room's set of subscriptions, guarded because views
// come and go from their own goroutines.
type subscribers struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	latest *Snapshot // the last published, handed to new subscribers
}

// add subscribes; the new slot starts with the latest snapshot, taken under
// the same lock as publish so no publish can slip in between.
func (ss *subscribers) add() *Subscription {
	s := &Subscription{ch: make(chan *Snapshot, 1)}
	s.cancel = func() {
		ss.mu.Lock()
		delete(ss.subs, s)
		ss.mu.Unlock()
	}
	ss.mu.Lock()
	if ss.subs == nil {
		ss.subs = make(map[*Subscription]struct{})
	}
	ss.subs[s] = struct{}{}
	if ss.latest != nil {
		s.offer(ss.latest) // under the lock: publish is the only other producer
	}
	ss.mu.Unlock()
	return s
}

func (ss *subscribers) publish(snap *Snapshot) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.latest = snap
	for s := range ss.subs {
		s.offer(snap)
	}
}

func (ss *subscribers) count() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.subs)
}

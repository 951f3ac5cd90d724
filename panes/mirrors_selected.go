package panes

import "warroom/backends/room"

// Selected is the mirror under the cursor in s (nil when no row is shown),
// for app keys that act on it, such as failover.
func (p *Mirrors) Selected(s *room.Snapshot) *room.MirrorView {
	if s == nil {
		return nil
	}
	o := p.order(s)
	if len(o.idx) == 0 {
		return nil
	}
	return s.Mirrors[o.idx[p.at(len(o.idx), p.keyAt(s, o))]]
}

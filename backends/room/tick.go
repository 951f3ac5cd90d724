package room

import "time"

// tick runs once a second on the room goroutine for what expires with
// time alone, with no input to notice it.
func (st *state) tick(now time.Time) {
	st.tickNodeHosts(now) // shown on every node, whatever it leads
	st.markUrgent(now)    // a follower shows a stalled leader's action too
	st.noticeSilences(now)
	if st.refusal() != nil {
		return // expiries are the leader's to record
	}
	st.expireApprovals(now)
	st.settleHolds(now)
	st.expireSilences(now)
}

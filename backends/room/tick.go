package room

import "time"

// tick runs once a second on the room goroutine for what expires with
// time alone, with no input to notice it.
func (st *state) tick(now time.Time) {
	st.tickNodeHosts(now) // shown on every node, whatever it leads
	st.noticeSilences(now)
	if st.refusal() != nil {
		return // expiries are the leader's to record
	}
	st.expireApprovals(now)
	st.expireSilences(now)
}

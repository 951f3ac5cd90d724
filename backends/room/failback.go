package room

import (
	"fmt"
	"strings"
	"time"
)

// notReady says why a mirror could not take its traffic back now: unfit
// (see Unfit), not up, or not caught up with the origin. Empty when ready.
func (ms *mirrorState) notReady(lagWarn time.Duration) string {
	v := ms.view()
	if why := Unfit(v); len(why) > 0 {
		return strings.Join(why, "; ")
	}
	switch {
	case v.State != StateUp:
		return joinReason(fmt.Sprintf("%s is %s", v.Name, v.State), v.Reason)
	case !v.LagKnown:
		return v.Name + "'s lag is unknown"
	case v.Lag >= lagWarn:
		return fmt.Sprintf("%s is %s behind the origin (needs under %s)", v.Name, v.Lag.Round(time.Second), lagWarn)
	case v.SerialKnown && v.SerialsBehind != 0:
		return fmt.Sprintf("%s is %d serials behind the origin", v.Name, v.SerialsBehind)
	}
	return ""
}

// judgeReady keeps since when the mirror has been ready without a break;
// every probe of it, or of the origin, judges it again.
func (ms *mirrorState) judgeReady(now time.Time, lagWarn time.Duration) {
	if ms.notReady(lagWarn) != "" {
		ms.readySince = time.Time{}
		return
	}
	if ms.readySince.IsZero() {
		ms.readySince = now
	}
}

// failbackOffer is set once the original primary has been ready for the
// settle period (actions.failback_settle): a mirror that has just answered
// again often fails again. Otherwise wait says why there is no offer yet,
// while traffic is off its primary. The period is measured between the
// primary's own probes (their clock), so it ends at the first probe after it.
func (st *state) failbackOffer() (offer *FailbackOffer, wait string) {
	if st.primary == "" || st.standIn == "" {
		return nil, ""
	}
	prefix := "failback to " + st.primary + " not offered yet: "
	if id, busy := st.running[siteLock]; busy {
		return nil, prefix + "a switch is running (" + id + ")"
	}
	p := st.byName[st.primary]
	if p == nil {
		return nil, prefix + st.primary + " is no longer configured"
	}
	if why := p.notReady(st.cfg.Thresholds.LagWarning); why != "" {
		return nil, prefix + why
	}
	settle := st.cfg.Actions.FailbackSettle
	if held := p.last.Start.Sub(p.readySince); p.readySince.IsZero() || held < settle {
		return nil, prefix + fmt.Sprintf("%s healthy and caught up for %s of the %s settle period",
			st.primary, max(held, 0).Round(time.Second), settle)
	}
	reason := fmt.Sprintf("%s has been healthy and caught up for over %s, %s behind the origin", st.primary, settle,
		p.pos.Lag.Round(time.Second))
	if p.pos.SerialKnown {
		reason += fmt.Sprintf(", at the origin's serial %d", p.sync.Serial)
	}
	return &FailbackOffer{Request: Request{Kind: Failback, From: st.standIn, To: st.primary}, Reason: reason}, ""
}

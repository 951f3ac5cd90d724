package panes

import (
	"fmt"

	"warroom/backends/room"
)

// trafficColumn shows what users got, beside what the probes got; it is
// there only when an haproxy executor counts some mirror's traffic.
func trafficColumn() column {
	return column{title: "USERS", min: 4, want: 14, max: 17, prio: 6}
}

// trafficCell is "12/s 31% 2.1×": request rate, 5xx share and response
// time against its baseline (the time itself until a baseline is known);
// the share alone when narrow, as it is what alerts first.
func trafficCell(m *room.MirrorView, ik *inks, w int) (string, ink) {
	t := m.Traffic
	switch {
	case t == nil:
		return "—", ik.muted
	case t.Err != "":
		return "no stat", ik.muted
	}
	share := "—"
	if t.Share5xx >= 0 {
		share = fmt.Sprintf("%.0f%%", t.Share5xx*100)
	}
	k := ik.text
	switch {
	case t.Errors:
		k = ik.crit
	case t.Slow:
		k = ik.warn
	}
	if w < 12 {
		return share, k
	}
	rt := ""
	switch {
	case t.RespTime >= 0 && t.Baseline > 0:
		rt = fmt.Sprintf(" %.1f×", float64(t.RespTime)/float64(t.Baseline))
	case t.RespTime >= 0:
		rt = " " + latency(t.RespTime)
	}
	return reqRate(t.ReqRate) + " " + share + rt, k
}

// reqRate is 0.4/s, 12/s, 3.4k/s.
func reqRate(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.1f/s", v)
	case v < 1000:
		return fmt.Sprintf("%.0f/s", v)
	}
	return fmt.Sprintf("%.1fk/s", v/1000)
}

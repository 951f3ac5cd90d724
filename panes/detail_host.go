package panes

import "warroom/backends/room"

// host is the row of the machine the mirror runs on, when it names one.
func (d *detail) host(_ *room.Snapshot, _ *room.MirrorView) {
	d.line("Host", "no host configured (a mirror's host: names it)", d.ik.muted)
}

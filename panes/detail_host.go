package panes

import "warroom/backends/room"

// host is the fleet table's row of the machine the mirror runs on, under
// the table's header, when the mirror names one.
func (d *detail) host(s *room.Snapshot, m *room.MirrorView) {
	if m.Host == "" {
		d.line("Host", "no host configured (a mirror's host: names it)", d.ik.muted)
		return
	}
	var hv *room.HostView
	for _, h := range s.Fleet {
		if h.Name == m.Host || (m.Host == "local" && h.Local) {
			hv = h
		}
	}
	if hv == nil {
		d.line("Host", clean(m.Host)+": no reading yet", d.ik.muted)
		return
	}
	w := d.w - detailLabel
	g := newFleetGeom([]*room.HostView{hv}, w)
	d.out = append(d.out, d.ik.muted.paint(cell("Host", detailLabel))+d.ik.header.paint(cell(g.header(), w)),
		cell("", detailLabel)+g.row(d.ik, s, hv))
}

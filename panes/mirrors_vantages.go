package panes

import (
	"strings"

	"warroom/backends/room"
	"warroom/themes"
)

// Per-vantage marks: with several regions probing, each mirror row shows
// one glyph per region ("●✖●"), in the order the status line names them.

// clustered: more than one vantage reports, so the marks column shows.
func clustered(s *room.Snapshot) bool { return s != nil && len(s.Vantages) >= 2 }

// vantageColumn holds one mark per vantage; the title gives way first.
func vantageColumn(n int) column {
	return column{title: "SEEN", short: "", min: n, want: max(n, 4), prio: 3}
}

// marksCell is a glyph per vote; a vote that does not count (its vantage
// is isolated) is "·" whatever it says.
func marksCell(m *room.MirrorView) string {
	var b strings.Builder
	for _, v := range m.Votes {
		switch {
		case !v.Counted && v.State != room.StateUnknown:
			b.WriteString("·")
		default:
			b.WriteString(themes.Symbol(string(v.State)))
		}
	}
	return b.String()
}

// vantagesNote names the vantages in the marks' order, isolated ones so
// marked: "seen from ap-south eu-west(isolated) us-east".
func vantagesNote(s *room.Snapshot) string {
	names := make([]string, len(s.Vantages))
	for i, v := range s.Vantages {
		names[i] = clean(v.Region)
		if names[i] == "" {
			names[i] = clean(v.Node)
		}
		if v.Isolated {
			names[i] += "(isolated)"
		}
	}
	return "seen from " + strings.Join(names, " ")
}

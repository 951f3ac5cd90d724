package room

import (
	"strconv"
	"strings"

	"warroom/backends/config"
)

// alertLabels are the values routes and silences match an alert by: its
// severity, its kind (the id before "/"), its subject, the subject's
// region and the open incident's level ("P1"…, or "none").
func (st *state) alertLabels(a *Alert) config.AlertLabels {
	kind, _, _ := strings.Cut(a.ID, "/")
	l := config.AlertLabels{Severity: string(a.Severity), Kind: kind, Mirror: a.Subject, Level: "none"}
	if ms, ok := st.byName[a.Subject]; ok && !isHostAlert(a.ID) {
		l.Region = ms.cfg.Region
	}
	if n := st.incidentLevel(); n > 0 {
		l.Level = "P" + strconv.Itoa(n)
	}
	return l
}

package room

import (
	"time"

	"warroom/backends/actions"
)

// Version is one version a rollback target can go back to, as views list
// it: the room's own type, so views need not know the executors.
type Version struct {
	ID, Label string
	At        time.Time // zero if unknown
}

// versionsOf are an executor's versions as the room speaks them.
func versionsOf(vs []actions.Version) []Version {
	if vs == nil {
		return nil
	}
	out := make([]Version, len(vs))
	for i, v := range vs {
		out[i] = Version{ID: v.ID, Label: v.Label, At: v.At}
	}
	return out
}

package room

import "warroom/backends/drill"

// Scorecard is a drill's result as the snapshot carries it (DrillView). The
// drill package computes it; the UI names it through the room, which keeps
// panes free of backends other than the room.
type Scorecard = drill.Scorecard

// Package report writes the post-incident review from the room's journal:
// what happened and when, who did what, how long each step took, and
// whether the RTO and RPO held, as Markdown for people and JSON for scripts.
//
// It reads the same events the room replays (room.Event), never the live
// room, so a review can be written while the room runs, after it stopped, or
// from a copy of the journal. Drills produce the same review plus their
// scorecard.
package report

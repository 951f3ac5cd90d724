// Package panes renders the room's snapshots: each pane turns (snapshot, its
// own view state, theme, size) into a string and keys into intents. Panes do
// no I/O, start no goroutines and read no clock: "now" is the snapshot's At.
package panes

// Package panestest builds fixed room snapshots and key presses for pane
// and tui tests: the same screen every run, whatever the clock.
package panestest

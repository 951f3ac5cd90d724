// Package sshroom serves warroom over SSH: the roster (who may log in, with
// which role), and a wish server that runs one Bubble Tea program per session.
//
// It knows nothing of the room: the caller plugs a per-session model
// (Options.Program) and non-interactive commands (Options.Command).
package sshroom

package panes

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
)

// Incident is the Incident pane: the open incident's level, commander,
// status, age, RTO clock and RPO exposure, its six-step checklist and its
// pinned notes; with no incident open, the room's proposal to declare one,
// or how to declare one. The cursor moves over the checklist's steps; the
// app ticks the step under it.
type Incident struct {
	cursor  int // 0–5: the checklist step under the cursor
	version uint64
	inks    inkCache
	// DeclareKey is the key that declares an incident, named in the pane
	// when none is open; the app leaves it empty when the session's role
	// may not declare.
	DeclareKey string
}

// NewIncident returns the Incident pane.
func NewIncident() *Incident { return &Incident{} }

func (p *Incident) ID() string    { return "incident" }
func (p *Incident) Title() string { return "Incident" }

// Sync does nothing: the pane draws all it has from the snapshot.
func (p *Incident) Sync(*room.Snapshot, int, int) {}

func (p *Incident) Capturing() bool { return false }
func (p *Incident) Version() uint64 { return p.version }

// Keys lists moving over the checklist; the incident's own keys depend on
// the session's role, so the app adds them.
func (p *Incident) Keys(km *keymaps.Keymap) []key.Binding {
	return []key.Binding{relabel(moveKeys(km), "step")}
}

// Update moves the cursor over the checklist while an incident is open.
func (p *Incident) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	if s == nil || s.Incident == nil {
		return Intent{}
	}
	c, ok := Step(msg, km, p.cursor, 3, 5)
	if !ok {
		return Intent{}
	}
	c = max(0, min(5, c))
	if c != p.cursor {
		p.cursor = c
		p.version++
	}
	return Intent{}
}

// Step is the checklist step under the cursor, 1–6.
func (p *Incident) Step() int { return p.cursor + 1 }

// SetStep puts the cursor on step n (1–6), as after a tick by number.
func (p *Incident) SetStep(n int) {
	c := max(0, min(5, n-1))
	if c != p.cursor {
		p.cursor = c
		p.version++
	}
}

// LevelName is a level as people say it: "level 2 (major)".
func LevelName(level int) string {
	switch level {
	case 1:
		return "level 1 (minor)"
	case 2:
		return "level 2 (major)"
	case 3:
		return "level 3 (critical)"
	}
	return "level ?"
}

// levelInk is the colour of a level: 3 critical, 2 warning, 1 info.
func levelInk(ik *inks, level int) ink {
	switch {
	case level >= 3:
		return ik.crit
	case level == 2:
		return ik.warn
	}
	return ik.info
}

// NextStatus is the status an incident in status st moves to next, or ""
// when it is closed.
func NextStatus(st string) string {
	all := room.Statuses()
	for i, s := range all {
		if s == st && i+1 < len(all) {
			return all[i+1]
		}
	}
	return ""
}

// autoLabel says in words what ticked a step by itself.
func autoLabel(kind string) string {
	switch kind {
	case room.EvActionSucceeded:
		return "action confirmed"
	case room.EvPostSent:
		return "announcement sent"
	case room.EvPostQueued:
		return "announcement queued"
	case room.EvAlertAcked:
		return "alert acknowledged"
	case room.EvIncidentStatus:
		return "status changed"
	}
	return kind
}

var (
	_ Pane = (*Incident)(nil)
	_ Pane = (*Presence)(nil)
)

// Personal marks the pane as drawn for one session (its DeclareKey depends
// on the role), so the app never shares its render with other sessions.
func (p *Incident) Personal() { p.version++ }

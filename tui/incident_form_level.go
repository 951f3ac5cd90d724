package tui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// levelForm chooses a level: the first step of declaring an incident, or
// changing the open one's.
type levelForm struct {
	declaring bool
	level     int    // the level now, or the proposal's when declaring
	reason    string // the room's proposal, when declaring
	cursor    int
}

func (f *levelForm) title(d *incidentDialog) string {
	if f.declaring {
		return "Declare an incident"
	}
	return "Change the level of " + d.inc
}

func (f *levelForm) draw(m *Model, d *incidentDialog, c *canvas) {
	if !f.declaring {
		c.list(levelRows(f.level), f.cursor)
		return
	}
	if p := m.snap.IncidentProposal; p != nil {
		c.text(fmt.Sprintf("The room proposes level %d: %s", p.Level, p.Reason))
	}
	c.muted("Choose the level:")
	c.list(levelRows(0), f.cursor)
}

func (f *levelForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || moveCursor(k, m, &f.cursor, 3) {
		return f, nil
	}
	if r := runeKey(k); r >= '1' && r <= '3' {
		f.cursor = int(r - '1')
		return f, nil
	}
	if !key.Matches(k, m.km.Confirm) {
		return f, nil
	}
	level := f.cursor + 1
	if f.declaring {
		t := &declareForm{level: level, input: panes.Input{Limit: maxNote}}
		t.input.Set(f.reason)
		return t, nil
	}
	if level == f.level {
		m.say(fmt.Sprintf("already level %d: choose another or %s", level, m.km.Back.Help().Key), true)
		return f, nil
	}
	return f, d.sendErr(m, fmt.Sprintf("level set to %d", level),
		func(ctx context.Context, r Room, a room.Actor) error { return r.SetLevel(ctx, level, a) })
}

func (f *levelForm) keys(m *Model) []key.Binding {
	next := "set level"
	if f.declaring {
		next = "next"
	}
	return []key.Binding{chooseKey(m.km), relabel(m.km.Confirm, next), cancelKey(m)}
}

func (f *levelForm) perm() room.Perm {
	if f.declaring {
		return room.PermIncident
	}
	return room.PermCommand
}

func (f *levelForm) refresh(s *room.Snapshot, d *incidentDialog) (string, string) {
	if f.declaring {
		return declaredMeanwhile(s), ""
	}
	return "", aboutIncident(s, d, "level")
}

// declaredMeanwhile says an incident was declared while declaring one.
func declaredMeanwhile(s *room.Snapshot) string {
	if s.Incident != nil {
		return fmt.Sprintf("%s was declared meanwhile (by the room or someone else)", s.Incident.ID)
	}
	return ""
}

// levelRows are the three levels, the current one marked.
func levelRows(current int) []string {
	rows := make([]string, 3)
	for i := range rows {
		rows[i] = fmt.Sprintf("%d  %s", i+1, panes.LevelName(i+1))
		if i+1 == current {
			rows[i] += " · now"
		}
	}
	return rows
}

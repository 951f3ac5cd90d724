package tui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/themes"
)

// The drill forms: choose a scenario, read its goals and faults and start
// it; or stop the running drill.

// drillPickForm chooses the scenario.
type drillPickForm struct {
	drills []string
	cursor int
}

func (f *drillPickForm) title(*incidentDialog) string { return "Start a drill" }

func (f *drillPickForm) draw(_ *Model, _ *incidentDialog, c *canvas) {
	c.muted("Choose a scenario (its goals and faults show next):")
	c.list(f.drills, f.cursor)
}

// update loads the chosen scenario off the UI loop, showing it next.
func (f *drillPickForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || moveCursor(k, m, &f.cursor, len(f.drills)) || !key.Matches(k, m.km.Confirm) || len(f.drills) == 0 {
		return f, nil
	}
	name, load := f.drills[f.cursor], m.opts.LoadDrill
	return &drillStartForm{name: name, loading: true}, m.call(d.id(), func(context.Context, Room, room.Actor) (any, error) {
		sc, err := load(name)
		return loadedDrill{name: name, sc: sc}, err
	}, nil)
}

func (f *drillPickForm) keys(m *Model) []key.Binding {
	return []key.Binding{chooseKey(m.km), relabel(m.km.Confirm, "show"), cancelKey(m)}
}

func (f *drillPickForm) perm() room.Perm { return room.PermDrill }

func (f *drillPickForm) refresh(s *room.Snapshot, _ *incidentDialog) (string, string) {
	return drillRunning(s), ""
}

// drillRunning says a drill started while choosing one.
func drillRunning(s *room.Snapshot) string {
	if s.Drill != nil && !s.Drill.Ended {
		return fmt.Sprintf("drill %s started meanwhile", s.Drill.Name)
	}
	return ""
}

// loadedDrill is a scenario loaded for the drill dialog.
type loadedDrill struct {
	name string
	sc   room.Scenario
}

// drillStartForm shows the chosen scenario and starts it.
type drillStartForm struct {
	name    string
	sc      room.Scenario
	loaded  bool
	loading bool
	loadErr string
}

func (f *drillStartForm) title(*incidentDialog) string { return "Start drill " + f.name }

func (f *drillStartForm) draw(m *Model, _ *incidentDialog, c *canvas) {
	switch {
	case f.loading:
		c.muted("loading " + f.name + "…")
	case f.loadErr != "":
		c.styled(m.th.Crit, f.loadErr)
	default:
		c.add(scenarioLines(m, f.sc, c.w)...)
	}
}

func (f *drillStartForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	switch msg := msg.(type) {
	case callDone:
		if l, ok := msg.val.(loadedDrill); ok && l.name == f.name {
			f.loading = false
			if msg.err != nil {
				f.loadErr = msg.err.Error()
			} else {
				f.sc, f.loaded = l.sc, true
			}
		}
	case tea.KeyMsg:
		if !f.loaded || !key.Matches(msg, m.km.Confirm) {
			return f, nil // loading or failed: only esc works
		}
		sc := f.sc
		return f, d.sendErr(m, fmt.Sprintf("drill %s started · DRILL shows in every session", sc.Name),
			func(ctx context.Context, r Room, a room.Actor) error { return r.StartScenario(ctx, sc, a) })
	}
	return f, nil
}

func (f *drillStartForm) keys(m *Model) []key.Binding {
	if !f.loaded {
		return []key.Binding{cancelKey(m)}
	}
	return []key.Binding{relabel(m.km.Confirm, "start the drill"), cancelKey(m)}
}

func (f *drillStartForm) perm() room.Perm { return room.PermDrill }

func (f *drillStartForm) refresh(s *room.Snapshot, _ *incidentDialog) (string, string) {
	return drillRunning(s), ""
}

// drillStopForm stops the running drill, after a confirmation.
type drillStopForm struct{ name string }

func (f *drillStopForm) title(*incidentDialog) string { return "Stop drill " + f.name }

func (f *drillStopForm) draw(_ *Model, _ *incidentDialog, c *canvas) {
	c.text(fmt.Sprintf("Stop drill %s now? Its faults are removed and the scorecard is shown.", f.name))
}

func (f *drillStopForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); !ok || !key.Matches(k, m.km.Confirm) {
		return f, nil
	}
	return f, d.sendErr(m, fmt.Sprintf("drill %s stopped · faults removed", f.name),
		func(ctx context.Context, r Room, a room.Actor) error {
			return r.StopDrill(ctx, "stopped by "+a.Name, a)
		})
}

func (f *drillStopForm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Confirm, "stop the drill"), cancelKey(m)}
}

func (f *drillStopForm) perm() room.Perm { return room.PermDrill }

func (f *drillStopForm) refresh(s *room.Snapshot, _ *incidentDialog) (string, string) {
	if s.Drill == nil || s.Drill.Ended {
		return "the drill has ended", ""
	}
	return "", ""
}

// scenarioLines describe a loaded scenario before it starts.
func scenarioLines(m *Model, sc room.Scenario, w int) []string {
	th := m.th
	var out []string
	head := sc.Name
	if sc.Summary != "" {
		head += ": " + sc.Summary
	}
	out = append(out, wrapped(th.Bold, head, w)...)
	mode := "actions run dry (nothing real is switched)"
	if sc.Live {
		mode = "LIVE: failover and rollback run for real"
	}
	out = append(out, wrapped(th.Text, fmt.Sprintf("lasts at most %s · %s · announcements go to drill channels or carry [DRILL]", sc.Lasts, mode), w)...)
	if sc.Live {
		out = append(out, wrapped(th.Crit, themes.Symbol("critical")+" live drill: the actions you confirm change the real fleet", w)...)
	}
	out = append(out, th.Header.Render(fit("GOALS", w)))
	for _, g := range sc.Goals {
		out = append(out, th.Text.Render(fit("  "+g, w)))
	}
	out = append(out, th.Header.Render(fit("FAULTS", w)))
	for _, f := range sc.Faults {
		out = append(out, th.Text.Render(fit("  "+f, w)))
	}
	return out
}

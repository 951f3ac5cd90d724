package tui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/themes"
)

// penPicker chooses who gets the pen among the people present.
type penPicker struct {
	modalID
	names  []string
	cursor int
}

// openPen lists the people present (but the holder) to hand the pen to.
func (m *Model) openPen() tea.Cmd {
	if m.snap == nil || !m.snap.PenRequired {
		m.say("this room has no pen: anyone allowed to act may (actions.pen)", false)
		return nil
	}
	if ok, why := m.may(room.PermPen); !ok && m.snap.Pen != m.opts.Actor.Name {
		m.say(why+", or the holder pass it on", true)
		return nil
	}
	names := penNames(m.snap)
	if len(names) == 0 {
		m.say("nobody else present may run actions to take the pen", false)
		return nil
	}
	m.modals.push(&penPicker{modalID: m.modals.newID(), names: names})
	return nil
}

// penNames are the people present, but the holder, who may take the pen.
func penNames(s *room.Snapshot) []string {
	seen := map[string]bool{s.Pen: true}
	var names []string
	for _, p := range s.Presence {
		if !seen[p.Name] && p.Role.Can(room.PermAct) {
			seen[p.Name] = true
			names = append(names, p.Name)
		}
	}
	return names
}

// mayPassPen reports whether this person may hand the pen on in s.
func (m *Model) mayPassPen(s *room.Snapshot) bool {
	ok, _ := m.may(room.PermPen)
	return ok || s.Pen == m.opts.Actor.Name
}

// update moves the choice and hands the pen on enter; esc closes.
func (p *penPicker) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	km := m.km
	switch {
	case key.Matches(k, km.Back):
		return nil, nil
	case key.Matches(k, km.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(k, km.Down):
		p.cursor = min(p.cursor+1, len(p.names)-1)
	case key.Matches(k, km.Confirm):
		to := p.names[p.cursor]
		return nil, m.call(0, callErr(func(ctx context.Context, r Room, a room.Actor) error { return r.HandPen(ctx, to, a) }),
			func(m *Model, _ any, err error) {
				if err != nil {
					m.say(fmt.Sprintf("%s pen: %v", themes.Symbol("critical"), err), true)
				} else {
					m.say("handed the pen to "+to, false)
				}
			})
	}
	return p, nil
}

func (p *penPicker) view(m *Model, under string, w, h int) string {
	bw := min(w-2, 60)
	if bw < 20 || h < 5 {
		return under
	}
	lines := []string{fmt.Sprintf("The pen is with %s. Hand it to:", or(m.snap.Pen, "nobody")), ""}
	for i, n := range p.names {
		line := "  " + n
		if i == p.cursor {
			line = m.th.Selected.Render("▸ " + n)
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", m.th.Muted.Render(fmt.Sprintf("%s hand over · %s cancel", m.km.Confirm.Help().Key, m.km.Back.Help().Key)))
	return overlay(under, drawBox(m.th, "Hand over the pen", lines, bw), w, h)
}

func (p *penPicker) keys(m *Model) []key.Binding {
	return []key.Binding{chooseKey(m.km), relabel(m.km.Confirm, "hand over"), relabel(m.km.Back, "cancel")}
}

// onSnapshot follows the people present, keeping the cursor on the chosen
// person, and closes when the pen is off, nobody is left to take it, or
// this person may no longer pass it.
func (p *penPicker) onSnapshot(m *Model, s *room.Snapshot) modal {
	why := ""
	switch names := penNames(s); {
	case !s.PenRequired:
		why = "the pen was switched off meanwhile"
	case !m.mayPassPen(s):
		why = fmt.Sprintf("%s has the pen now: only they, or a commander, pass it", or(s.Pen, "nobody"))
	case len(names) == 0:
		why = "nobody else present may take the pen now"
	default:
		chosen := p.names[p.cursor]
		p.names, p.cursor = names, 0
		for i, n := range names {
			if n == chosen {
				p.cursor = i
			}
		}
		return p
	}
	m.say(why+": nothing was handed over", true)
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

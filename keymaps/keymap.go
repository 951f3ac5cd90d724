package keymaps

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Keymap is one complete set of bindings. Each field is an action; its
// config name is the field's snake_case (see Actions).
type Keymap struct {
	Name string

	Quit, Help, NextPane, PrevPane, Zoom key.Binding
	Up, Down, PageUp, PageDown, Top      key.Binding
	Bottom, Filter, Sort, Ack            key.Binding
	Back                                 key.Binding // esc: close overlay, clear filter, cancel
	Confirm                              key.Binding // enter: choose, confirm
	Failover, Failback, Rollback         key.Binding
	Announce, Retry                      key.Binding
	Approve, Reject, Pen                 key.Binding // approvals and the pen
	// Review opens what waits for this person (an approval request, a
	// rule's proposal): nothing opens by itself and takes the keyboard.
	Review key.Binding
	// The incident: declare (or accept the proposal), change the level,
	// hand over command, advance the status, tick a checklist step, add a
	// note, pin a note, write the report, start or stop a drill.
	Declare, Level, HandOver, Advance key.Binding
	Tick, Note, Pin, Report, Drill    key.Binding
	Pane                              [9]key.Binding
}

// Action is one named binding of a Keymap, for the help overlay and
// overrides. Binding points into the Keymap.
type Action struct {
	Name    string // config name: "next_pane", "pane_3"
	Group   string // help overlay heading: "General", "Panes", "Move", "Actions"
	Binding *key.Binding
}

// Actions lists every action in a stable order (the help overlay's order).
func (k *Keymap) Actions() []Action {
	acts := []Action{
		{"quit", "General", &k.Quit},
		{"help", "General", &k.Help},
		{"back", "General", &k.Back},
		{"next_pane", "Panes", &k.NextPane},
		{"prev_pane", "Panes", &k.PrevPane},
		{"zoom", "Panes", &k.Zoom},
	}
	for i := range k.Pane {
		acts = append(acts, Action{fmt.Sprintf("pane_%d", i+1), "Panes", &k.Pane[i]})
	}
	return append(acts,
		Action{"up", "Move", &k.Up},
		Action{"down", "Move", &k.Down},
		Action{"page_up", "Move", &k.PageUp},
		Action{"page_down", "Move", &k.PageDown},
		Action{"top", "Move", &k.Top},
		Action{"bottom", "Move", &k.Bottom},
		Action{"filter", "Actions", &k.Filter},
		Action{"sort", "Actions", &k.Sort},
		Action{"ack", "Actions", &k.Ack},
		Action{"confirm", "Actions", &k.Confirm},
		Action{"failover", "Actions", &k.Failover},
		Action{"failback", "Actions", &k.Failback},
		Action{"rollback", "Actions", &k.Rollback},
		Action{"announce", "Actions", &k.Announce},
		Action{"retry", "Actions", &k.Retry},
		Action{"approve", "Actions", &k.Approve},
		Action{"reject", "Actions", &k.Reject},
		Action{"pen", "Actions", &k.Pen},
		Action{"review", "Actions", &k.Review},
		Action{"declare", "Incident", &k.Declare},
		Action{"level", "Incident", &k.Level},
		Action{"hand_over", "Incident", &k.HandOver},
		Action{"advance", "Incident", &k.Advance},
		Action{"tick", "Incident", &k.Tick},
		Action{"note", "Incident", &k.Note},
		Action{"pin", "Incident", &k.Pin},
		Action{"report", "Incident", &k.Report},
		Action{"drill", "Incident", &k.Drill},
	)
}

// Names lists the built-in keymaps.
func Names() []string { return []string{"default", "vim"} }

// ByName returns a fresh copy of a built-in keymap ("" means default).
func ByName(name string) (*Keymap, error) {
	switch name {
	case "", "default":
		return Default(), nil
	case "vim":
		return Vim(), nil
	}
	return nil, fmt.Errorf("keymaps: unknown keymap %q: use one of %s", name, strings.Join(Names(), ", "))
}

// bind makes a binding whose help shows its keys.
func bind(desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
}

// Default is the arrow-key map: arrows, tab/shift+tab, pgup/pgdown,
// home/end, z zoom, ? help, q or ctrl+c quit, / filter, s sort, a ack;
// capitals for what changes the incident (I declare, L level, H hand
// over, S status) and for answering an approval (Y approve, N reject),
// t tick, n note, m mark (pin), W write the report, D drill, P pen,
// ! review the proposal or request that waits.
func Default() *Keymap {
	k := &Keymap{
		Name:     "default",
		Quit:     bind("quit", "q", "ctrl+c"),
		Help:     bind("help", "?"),
		NextPane: bind("next pane", "tab"),
		PrevPane: bind("previous pane", "shift+tab"),
		Zoom:     bind("zoom pane", "z"),
		Up:       bind("up", "up"),
		Down:     bind("down", "down"),
		PageUp:   bind("page up", "pgup"),
		PageDown: bind("page down", "pgdown"),
		Top:      bind("top", "home"),
		Bottom:   bind("bottom", "end"),
		Filter:   bind("filter", "/"),
		Sort:     bind("sort", "s"),
		Ack:      bind("acknowledge", "a"),
		Back:     bind("back / clear", "esc"),
		Confirm:  bind("choose / confirm", "enter"),
		Failover: bind("fail over", "f"),
		Failback: bind("fail back", "b"),
		Rollback: bind("roll back", "R"),
		Announce: bind("announce", "p"),
		Retry:    bind("retry", "r"),
		Approve:  bind("approve", "Y"),
		Reject:   bind("reject", "N"),
		Pen:      bind("pass the pen", "P"),
		Review:   bind("review what waits", "!"),
		Declare:  bind("declare incident", "I"),
		Level:    bind("change level", "L"),
		HandOver: bind("hand over command", "H"),
		Advance:  bind("advance status", "S"),
		Tick:     bind("tick step", "t"),
		Note:     bind("add note", "n"),
		Pin:      bind("pin note", "m"),
		Report:   bind("write report", "W"),
		Drill:    bind("start/stop drill", "D"),
	}
	for i := range k.Pane {
		k.Pane[i] = bind(fmt.Sprintf("focus pane %d", i+1), fmt.Sprint(i+1))
	}
	return k
}

// Vim is Default plus vim motions: j/k, g/G, ctrl+u/ctrl+d, h/l for panes.
// The arrow keys keep working.
func Vim() *Keymap {
	k := Default()
	k.Name = "vim"
	k.Up = bind("up", "k", "up")
	k.Down = bind("down", "j", "down")
	k.PageUp = bind("page up", "ctrl+u", "pgup")
	k.PageDown = bind("page down", "ctrl+d", "pgdown")
	k.Top = bind("top", "g", "home")
	k.Bottom = bind("bottom", "G", "end")
	k.NextPane = bind("next pane", "l", "tab")
	k.PrevPane = bind("previous pane", "h", "shift+tab")
	return k
}

// helpKeys shows keys the way people read them: ↑ for up, "space" for " ".
func helpKeys(keys []string) string {
	shown := make([]string, len(keys))
	for i, k := range keys {
		shown[i] = displayKey(k)
	}
	return strings.Join(shown, "/")
}

func displayKey(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	case " ":
		return "space"
	}
	return k
}

// clash is a key bound to more than one action.
type clash struct {
	key     string
	actions []string
}

func (c clash) String() string {
	return fmt.Sprintf("key %q is bound to %s: give each key one action", displayKey(c.key), strings.Join(c.actions, " and "))
}

// conflicts reports keys bound to more than one action, sorted by key.
func (k *Keymap) conflicts() []clash {
	owner := map[string]string{}
	var keys []string
	byKey := map[string][]string{}
	for _, a := range k.Actions() {
		for _, kk := range a.Binding.Keys() {
			if prev, ok := owner[kk]; ok {
				if len(byKey[kk]) == 0 {
					keys = append(keys, kk)
					byKey[kk] = []string{prev}
				}
				byKey[kk] = append(byKey[kk], a.Name)
				continue
			}
			owner[kk] = a.Name
		}
	}
	sort.Strings(keys)
	out := make([]clash, 0, len(keys))
	for _, kk := range keys {
		out = append(out, clash{kk, byKey[kk]})
	}
	return out
}

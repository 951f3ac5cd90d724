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
	// Detail opens everything about the mirror under the cursor. It
	// shares enter with confirm: each is read on its own panes.
	Detail                       key.Binding
	Failover, Failback, Rollback key.Binding
	Announce, Retry              key.Binding
	Approve, Reject, Pen         key.Binding // approvals and the pen
	// Review opens what waits for this person (an approval request, a
	// rule's proposal): nothing opens by itself and takes the keyboard.
	Review key.Binding
	// The incident: declare (or accept the proposal), change the level,
	// hand over command, advance the status, tick a checklist step, add a
	// note, pin a note, write the report, start or stop a drill.
	Declare, Level, HandOver, Advance key.Binding
	Tick, Note, Pin, Report, Drill    key.Binding
	// Abort ends a paused action (on the Actions pane).
	Abort key.Binding
	// Silence quiets the pages of the alert under the cursor for a while
	// (a dialog asks how long and why), or ends the silence under it.
	Silence key.Binding
	// KillLeader (demo --cluster only) kills the node that leads the
	// room, so the room is seen moving to another.
	KillLeader key.Binding
	// Keys read only inside an open dialog: answer a question, send the
	// announcement, switch a channel on or off, pin a note or not.
	Yes, No, Send, Toggle, TogglePin key.Binding
	Pane                             [9]key.Binding
}

// Action is one named binding of a Keymap, for the help overlay, the
// footer, key routing and overrides. Binding points into the Keymap.
type Action struct {
	Name    string // config name: "next_pane", "pane_3"
	Group   string // help overlay heading: "General", "Panes", "Move", "Actions"
	Binding *key.Binding
	// Perm is what a role needs to use the action (Anyone for none).
	Perm Perm
	// Dangerous actions change the room (traffic, the incident, what is
	// sent out): a read-only room refuses them and hides their keys.
	Dangerous bool
	// Modal actions are read only inside an open dialog, so their keys
	// may repeat those of actions read outside one (n answers no in a
	// dialog and adds a note outside).
	Modal bool
}

// Perm names the room permission a role needs to use an action. The UI
// maps each to the room's own (keymaps imports nothing of ours: it is a
// leaf).
type Perm string

// The permissions an action can need.
const (
	Anyone       Perm = ""
	PermAck      Perm = "ack"
	PermAct      Perm = "act" // failover, failback, rollback, deciding a paused action
	PermAnnounce Perm = "announce"
	PermApprove  Perm = "approve"
	PermIncident Perm = "incident" // declare, advance, tick, the report
	PermCommand  Perm = "command"  // level, hand over command
	PermNote     Perm = "note"
	PermDrill    Perm = "drill"
	PermPen      Perm = "pen"
)

// Perms lists every permission an action can need, Anyone excluded.
func Perms() []Perm {
	return []Perm{PermAck, PermAct, PermAnnounce, PermApprove, PermIncident, PermCommand, PermNote, PermDrill, PermPen}
}

// Actions lists every action in a stable order (the help overlay's order)
// with what a role needs to use it: the one key-to-permission table.
func (k *Keymap) Actions() []Action {
	free := func(name, group string, b *key.Binding) Action { return Action{Name: name, Group: group, Binding: b} }
	// needs is an action a role needs p for; it changes the room.
	needs := func(name, group string, b *key.Binding, p Perm) Action {
		return Action{Name: name, Group: group, Binding: b, Perm: p, Dangerous: true}
	}
	modal := func(name string, b *key.Binding) Action {
		return Action{Name: name, Group: "In dialogs", Binding: b, Modal: true}
	}
	acts := []Action{
		free("quit", "General", &k.Quit),
		free("help", "General", &k.Help),
		free("back", "General", &k.Back),
		free("next_pane", "Panes", &k.NextPane),
		free("prev_pane", "Panes", &k.PrevPane),
		free("zoom", "Panes", &k.Zoom),
	}
	for i := range k.Pane {
		acts = append(acts, free(fmt.Sprintf("pane_%d", i+1), "Panes", &k.Pane[i]))
	}
	return append(acts,
		free("up", "Move", &k.Up),
		free("down", "Move", &k.Down),
		free("page_up", "Move", &k.PageUp),
		free("page_down", "Move", &k.PageDown),
		free("top", "Move", &k.Top),
		free("bottom", "Move", &k.Bottom),
		free("filter", "Actions", &k.Filter),
		free("sort", "Actions", &k.Sort),
		Action{Name: "ack", Group: "Actions", Binding: &k.Ack, Perm: PermAck},         // a read-only room takes acknowledgements
		Action{Name: "silence", Group: "Actions", Binding: &k.Silence, Perm: PermAck}, // who may ack may quiet pages, read-only room or not
		free("confirm", "Actions", &k.Confirm),
		free("detail", "Actions", &k.Detail),
		needs("failover", "Actions", &k.Failover, PermAct),
		needs("failback", "Actions", &k.Failback, PermAct),
		needs("rollback", "Actions", &k.Rollback, PermAct),
		needs("abort", "Actions", &k.Abort, PermAct),
		needs("announce", "Actions", &k.Announce, PermAnnounce),
		needs("retry", "Actions", &k.Retry, PermAnnounce),
		needs("approve", "Actions", &k.Approve, PermApprove),
		needs("reject", "Actions", &k.Reject, PermApprove),
		needs("pen", "Actions", &k.Pen, PermPen),
		free("review", "Actions", &k.Review), // what waits decides (a drill's result waits for everyone)
		needs("declare", "Incident", &k.Declare, PermIncident),
		needs("level", "Incident", &k.Level, PermCommand),
		needs("hand_over", "Incident", &k.HandOver, PermCommand),
		needs("advance", "Incident", &k.Advance, PermIncident),
		needs("tick", "Incident", &k.Tick, PermIncident),
		needs("note", "Incident", &k.Note, PermNote),
		needs("pin", "Incident", &k.Pin, PermNote),
		Action{Name: "report", Group: "Incident", Binding: &k.Report, Perm: PermIncident}, // only reads the journal
		needs("drill", "Incident", &k.Drill, PermDrill),
		needs("kill_leader", "Demo", &k.KillLeader, PermCommand),
		modal("yes", &k.Yes),
		modal("no", &k.No),
		modal("send", &k.Send),
		modal("toggle", &k.Toggle),
		modal("toggle_pin", &k.TogglePin),
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
// ! review the proposal or request that waits, x abort a paused action,
// Z silence (zzz: a capital, as quieting pages is deliberate).
// In dialogs: y yes, n no, ctrl+s send, space toggle, tab pin or not.
func Default() *Keymap {
	k := &Keymap{
		Name:       "default",
		Quit:       bind("quit", "q", "ctrl+c"),
		Help:       bind("help", "?"),
		NextPane:   bind("next pane", "tab"),
		PrevPane:   bind("previous pane", "shift+tab"),
		Zoom:       bind("zoom pane", "z"),
		Up:         bind("up", "up"),
		Down:       bind("down", "down"),
		PageUp:     bind("page up", "pgup"),
		PageDown:   bind("page down", "pgdown"),
		Top:        bind("top", "home"),
		Bottom:     bind("bottom", "end"),
		Filter:     bind("filter", "/"),
		Sort:       bind("sort", "s"),
		Ack:        bind("acknowledge", "a"),
		Silence:    bind("silence / expire", "Z"),
		Back:       bind("back / clear", "esc"),
		Confirm:    bind("choose / confirm", "enter"),
		Detail:     bind("mirror detail", "enter"),
		Failover:   bind("fail over", "f"),
		Failback:   bind("fail back", "b"),
		Rollback:   bind("roll back", "R"),
		Announce:   bind("announce", "p"),
		Retry:      bind("retry", "r"),
		Approve:    bind("approve", "Y"),
		Reject:     bind("reject", "N"),
		Pen:        bind("pass the pen", "P"),
		KillLeader: bind("kill the leader node", "K"),
		Review:     bind("review what waits", "!"),
		Declare:    bind("declare incident", "I"),
		Level:      bind("change level", "L"),
		HandOver:   bind("hand over command", "H"),
		Advance:    bind("advance status", "S"),
		Tick:       bind("tick step", "t"),
		Note:       bind("add note", "n"),
		Pin:        bind("pin note", "m"),
		Report:     bind("write report", "W"),
		Drill:      bind("start/stop drill", "D"),
		Abort:      bind("abort", "x"),
		// In dialogs: only the exact key answers; ctrl+s is never pressed
		// by accident while moving, choosing or typing.
		Yes:       bind("yes", "y"),
		No:        bind("no", "n"),
		Send:      bind("send", "ctrl+s"),
		Toggle:    bind("toggle channel", " "),
		TogglePin: bind("pin or not", "tab"),
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

// HelpKeys shows keys the way the help does: ↑ for up, "space" for " ".
func HelpKeys(keys ...string) string { return helpKeys(keys) }

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
// Keys are read in two places: outside dialogs (every action but the
// modal ones) and inside them (the modal actions and the keys every
// dialog reads too); a key clashes only within one place.
func (k *Keymap) conflicts() []clash {
	inDialogs := map[string]bool{"back": true, "confirm": true, "up": true, "down": true, "page_up": true, "page_down": true}
	var outside, inside []Action
	for _, a := range k.Actions() {
		if !a.Modal {
			outside = append(outside, a)
		}
		if a.Modal || inDialogs[a.Name] {
			inside = append(inside, a)
		}
	}
	seen := map[string]bool{}
	var out []clash
	for _, c := range append(clashes(outside), clashes(inside)...) {
		if id := c.String(); !seen[id] {
			seen[id] = true
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// sharing are actions read on different panes, so they may share keys:
// confirm on the Actions pane, detail on the Mirrors pane.
var sharing = map[string]string{"detail": "confirm", "confirm": "detail"}

// clashes reports the keys bound to more than one of acts, sorted by key.
func clashes(acts []Action) []clash {
	owner := map[string]string{}
	var keys []string
	byKey := map[string][]string{}
	for _, a := range acts {
		for _, kk := range a.Binding.Keys() {
			prev, ok := owner[kk]
			if ok && sharing[prev] == a.Name {
				continue
			}
			if ok {
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

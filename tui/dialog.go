package tui

import (
	"context"
	"fmt"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// step is where an action dialog is.
type step int

const (
	stepCandidates step = iota // failover: choose where the traffic goes
	stepTargets                // rollback: choose what to roll back
	stepVersions               // rollback: choose the version
	stepConfirm                // preview, then a deliberate confirmation
)

// dialog is the modal that takes one action from choice to confirmation.
// Esc cancels it at every step; only the confirm step can start anything,
// and only once its preview is shown and the confirmation is exactly right.
type dialog struct {
	modalID
	kind     string // room.Failover, room.Failback or room.Rollback
	step     step
	rule     string // the proposal that opened it, if any
	reason   string // why it was proposed or offered
	failback bool   // opened from the room's failback offer
	gone     string // why what it came from no longer stands; confirming is off
	sticky   bool   // gone stays set (a withdrawn proposal or offer)

	cursor, first int // list cursor and first row shown

	from  string // failover: the active mirror
	cands []room.Candidate

	targets  []string // rollback
	target   string
	versions []room.Version
	loading  bool
	loadErr  string

	req        room.Request // confirm
	preview    *room.Preview
	previewErr string
	mode       string // confirmYes or confirmName
	typed      panes.Input
	hint       string // the last refused key, explained
	scroll     int    // preview lines scrolled past
}

// Confirmation modes (room.Snapshot.Confirm); anything but "yes" types the name.
const (
	confirmYes  = "yes"
	confirmName = "type-name"
)

// maxTyped bounds the confirmation input.
const maxTyped = 64

// update handles a key, or the room's answer to the dialog's preview or
// versions. Esc always closes it.
func (d *dialog) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return d.key(m, msg)
	case callDone:
		switch v := msg.val.(type) {
		case room.Preview:
			d.previewed(v, msg.err)
		case listedVersions:
			d.listed(v.target, v.vs, msg.err)
		}
	}
	return d, nil
}

// key handles a key while the dialog is open.
func (d *dialog) key(m *Model, msg tea.KeyMsg) (modal, tea.Cmd) {
	km := m.km
	if key.Matches(msg, km.Back) {
		if d.rule != "" {
			m.say(fmt.Sprintf("nothing ran · rule %s's proposal stays in pane %s Actions", d.rule, km.Pane[paneActions].Help().Key), false)
		} else {
			m.say("cancelled · nothing ran", false)
		}
		return nil, nil
	}
	switch d.step {
	case stepCandidates:
		if moveCursor(msg, m, &d.cursor, len(d.cands)) {
			return d, nil
		}
		if d.gone == "" && len(d.cands) > 0 && key.Matches(msg, km.Confirm) {
			to := d.cands[d.cursor].Mirror.Name
			return d, d.toConfirm(m, room.Request{Kind: room.Failover, From: d.from, To: to})
		}
	case stepTargets:
		if moveCursor(msg, m, &d.cursor, len(d.targets)) {
			return d, nil
		}
		if d.gone == "" && len(d.targets) > 0 && key.Matches(msg, km.Confirm) {
			return d, d.loadVersions(m, d.targets[d.cursor])
		}
	case stepVersions:
		if d.loading || d.loadErr != "" || moveCursor(msg, m, &d.cursor, len(d.versions)) {
			return d, nil
		}
		if d.gone == "" && len(d.versions) > 0 && key.Matches(msg, km.Confirm) {
			v := d.versions[d.cursor]
			return d, d.toConfirm(m, room.Request{Kind: room.Rollback, Target: d.target, Version: v.ID, Rule: d.rule})
		}
	case stepConfirm:
		return d.confirmKey(m, msg)
	}
	return d, nil
}

func (d *dialog) view(m *Model, under string, w, h int) string {
	return overlay(under, d.box(m, w, h), w, h)
}

// onSnapshot refreshes the dialog; it stays open with what changed shown.
func (d *dialog) onSnapshot(m *Model, s *room.Snapshot) modal {
	d.refresh(m, s)
	return d
}

// listedVersions is the answer to a versions call, naming its target.
type listedVersions struct {
	target string
	vs     []room.Version
}

// toConfirm moves to the confirm step for req and asks the room for its
// preview. Until the preview arrives no key can confirm, and the input
// starts empty when it does: keys typed ahead never count.
func (d *dialog) toConfirm(m *Model, req room.Request) tea.Cmd {
	d.step, d.req = stepConfirm, req
	d.preview, d.previewErr, d.typed, d.hint, d.scroll = nil, "", panes.Input{Limit: maxTyped}, "", 0
	d.loading = true
	d.mode = confirmName
	if req.Kind != room.Rollback && m.snap != nil && m.snap.Confirm == confirmYes {
		d.mode = confirmYes
	}
	d.refresh(m, m.snap)
	return m.call(d.id(), func(ctx context.Context, r Room, a room.Actor) (any, error) { return r.Preview(ctx, req, a) }, nil)
}

// loadVersions moves to the version list of target and asks the room for it.
func (d *dialog) loadVersions(m *Model, target string) tea.Cmd {
	d.step, d.target = stepVersions, target
	d.versions, d.loadErr, d.loading, d.cursor, d.first = nil, "", true, 0, 0
	return m.call(d.id(), func(ctx context.Context, r Room, _ room.Actor) (any, error) {
		vs, err := r.Versions(ctx, target)
		return listedVersions{target: target, vs: vs}, err
	}, nil)
}

func (d *dialog) previewed(p room.Preview, err error) {
	if d.step != stepConfirm {
		return
	}
	d.loading = false
	if err != nil {
		d.previewErr = err.Error()
		return
	}
	d.preview = &p
	d.typed, d.hint = panes.Input{Limit: maxTyped}, ""
}

func (d *dialog) listed(target string, vs []room.Version, err error) {
	if d.step != stepVersions || target != d.target {
		return
	}
	d.loading = false
	if err != nil {
		d.loadErr = err.Error()
		return
	}
	d.versions, d.cursor, d.first = vs, 0, 0
}

// want is the name the user must type to confirm.
func (d *dialog) want() string {
	if d.req.Kind == room.Rollback {
		return d.req.Target
	}
	return d.req.To
}

// refresh checks the dialog against a new snapshot: the candidates are
// ranked again (the cursor stays on its mirror), and a withdrawn proposal
// or offer, traffic moved by someone else or a room turned read-only
// stops the confirmation.
func (d *dialog) refresh(m *Model, s *room.Snapshot) {
	if s == nil {
		return
	}
	if d.step == stepCandidates && len(d.cands) > 0 {
		sel := d.cands[d.cursor].Mirror.Name
		d.cands = room.Rank(s, d.from)
		d.cursor = 0
		for i, c := range d.cands {
			if c.Mirror.Name == sel {
				d.cursor = i
			}
		}
	}
	if d.sticky {
		return
	}
	d.gone = ""
	switch {
	case s.ReadOnly:
		d.gone = readOnlyText
	case d.rule != "" && !proposalOpen(s, d.rule):
		d.gone, d.sticky = fmt.Sprintf("rule %s's proposal was withdrawn: its condition cleared or someone acted on it", d.rule), true
	case d.failback && (s.Failback == nil || s.Failback.Request != d.req):
		d.gone, d.sticky = "the failback offer was withdrawn: the primary is no longer ready, or someone acted", true
	case d.kind == room.Rollback:
		target := d.target
		if d.step == stepConfirm {
			target = d.req.Target
		}
		if target != "" && len(d.targets) > 0 && !slices.Contains(s.RollbackTargets, target) {
			d.gone = fmt.Sprintf("%s is no longer a rollback target of this room", target)
		}
	default:
		from := d.from
		if d.step == stepConfirm {
			from = d.req.From
		}
		if mv := mirrorNamed(s, from); mv == nil || mv.Role != "active" {
			d.gone = fmt.Sprintf("traffic moved since this opened: %s is not active (active now: %s)", from, names(activeMirrors(s)))
		} else if d.step == stepConfirm && mirrorNamed(s, d.req.To) == nil {
			d.gone = fmt.Sprintf("%s is no longer in the room's fleet", d.req.To)
		}
	}
}

func proposalOpen(s *room.Snapshot, rule string) bool {
	for _, p := range s.Proposals {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

func mirrorNamed(s *room.Snapshot, name string) *room.MirrorView {
	for _, mv := range s.Mirrors {
		if mv.Name == name {
			return mv
		}
	}
	return nil
}

// title names the dialog in its top border.
func (d *dialog) title() string {
	switch {
	case d.step == stepCandidates:
		return "Fail over from " + d.from
	case d.step == stepTargets:
		return "Roll back: choose a target"
	case d.step == stepVersions:
		return "Roll back " + d.target + ": choose a version"
	case d.rule != "":
		return fmt.Sprintf("Rule %s proposes %s", d.rule, d.req.String())
	case d.req.Kind == room.Failback:
		return fmt.Sprintf("Fail back %s → %s", d.req.From, d.req.To)
	case d.req.Kind == room.Rollback:
		return fmt.Sprintf("Roll back %s to %s", d.req.Target, d.req.Version)
	}
	return fmt.Sprintf("Fail over %s → %s", d.req.From, d.req.To)
}

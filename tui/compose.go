package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/config"
	"warroom/backends/notify"
	"warroom/backends/room"
	"warroom/panes"
)

// composeStep is where the announcement composer is.
type composeStep int

const (
	composePick composeStep = iota // choose a template
	composeEdit                    // edit fields, choose channels, read the preview, send
)

// composeField is one editable field of notify.Fields.
type composeField struct{ name, label string }

// composeFields lists the editable fields in the order people read them.
func composeFields() []composeField {
	return []composeField{
		{"Title", "Title"}, {"Level", "Level"}, {"Scope", "Scope"}, {"DownMirrors", "Down mirrors"},
		{"Regions", "Regions"}, {"Measures", "Measures"}, {"ExpectedRecovery", "Expected recovery"},
		{"NextUpdate", "Next update"}, {"Contact", "Contact"}, {"Commander", "Commander"},
		{"Site", "Site"}, {"Incident", "Incident"}, {"Phase", "Phase"},
	}
}

// composeChannel is one channel of the checklist.
type composeChannel struct {
	view room.ChannelView
	on   bool
	pv   Previewer // nil when this session cannot preview it
	// The preview of the current text: pretty JSON, or why there is none.
	payload  string
	payErr   string
	warnings []string
}

// composer is the announcement modal: template, fields, channels, a live
// preview per channel, and a deliberate send. It holds what the person
// typed; the room's snapshot only pre-fills it when it opens.
type composer struct {
	modalID
	step composeStep

	names       []string // templates, in incident order
	pick, first int      // template cursor and first row shown

	tmpl   config.Template
	fields notify.Fields
	shown  []composeField // the fields the template uses
	chans  []composeChannel
	row    int // cursor over shown fields, then channels
	top    int // first display line of the rows

	editing bool
	input   panes.Input
	changed bool // a field was edited or a channel toggled: esc asks first
	discard bool // asking "discard? y/n"

	showing   int // preview: 0 = the message, i = chans[i-1]'s payload
	scroll    int
	title     string
	text      string
	renderErr string
	sending   bool
}

// openComposer opens the composer on its template list.
func (m *Model) openComposer() tea.Cmd {
	if ok, why := m.may(room.PermAnnounce); !ok {
		m.say(why, true)
		return nil
	}
	t := m.opts.Templates
	if t == nil || len(t.Names()) == 0 || len(m.snap.Channels) == 0 {
		m.say("announcing is not available: no channels are configured (notify.channels)", true)
		return nil
	}
	c := &composer{modalID: m.modals.newID(), names: orderedTemplates(t)}
	for _, cv := range m.snap.Channels {
		cc := composeChannel{view: cv, on: !cv.Drill}
		for _, p := range m.opts.Channels {
			if p.Name() == cv.Name {
				cc.pv = p
			}
		}
		c.chans = append(c.chans, cc)
	}
	c.input.Limit = maxFieldRunes
	c.pick = c.firstFor(m)
	m.modals.push(c)
	return nil
}

// orderedTemplates lists templates by phase in incident order, then name,
// so the first is the one a fresh incident needs.
func orderedTemplates(t *notify.Templates) []string {
	rank := map[string]int{}
	for i, p := range notify.Phases {
		rank[p] = i + 1
	}
	names := t.Names()
	phase := func(n string) int {
		c, _ := t.Get(n)
		if r, ok := rank[c.Phase]; ok {
			return r
		}
		return len(rank) + 1
	}
	sort.SliceStable(names, func(i, j int) bool { return phase(names[i]) < phase(names[j]) })
	return names
}

// firstFor is the template to offer first: the first one for the open
// incident's status (identified → identified), else the first.
func (c *composer) firstFor(m *Model) int {
	if m.snap.Incident == nil {
		return 0
	}
	phase := room.PhaseFor(m.snap.Incident.Status)
	for i, n := range c.names {
		if tm, _ := m.opts.Templates.Get(n); tm.Phase == phase {
			return i
		}
	}
	return 0
}

// maxFieldRunes bounds one field: an announcement is read at a glance.
const maxFieldRunes = 500

// choose takes template name and pre-fills its fields from the room.
func (c *composer) choose(m *Model, name string) {
	tm, _ := m.opts.Templates.Get(name)
	c.step, c.tmpl = composeEdit, tm
	c.fields = room.Prefill(m.snap, tm.Lang)
	c.fields.Phase = tm.Phase
	c.shown = usedFields(tm)
	c.row, c.top, c.showing, c.scroll = 0, 0, 0, 0
	c.render(m)
}

// fieldRefRE finds .Name references in a template's source.
var fieldRefRE = regexp.MustCompile(`\.([A-Z][A-Za-z]*)`)

// usedFields are the editable fields template tm refers to, in reading order.
func usedFields(tm config.Template) []composeField {
	used := map[string]bool{}
	for _, src := range []string{tm.Title, tm.Text} {
		for _, m := range fieldRefRE.FindAllStringSubmatch(src, -1) {
			used[m[1]] = true
		}
	}
	var out []composeField
	for _, f := range composeFields() {
		if used[f.name] {
			out = append(out, f)
		}
	}
	return out
}

func fieldValue(f *notify.Fields, name string) string {
	return reflect.ValueOf(f).Elem().FieldByName(name).String()
}

func setField(f *notify.Fields, name, v string) {
	reflect.ValueOf(f).Elem().FieldByName(name).SetString(v)
}

// current are the fields with the edit in progress applied, so the
// preview follows every keystroke.
func (c *composer) current() notify.Fields {
	f := c.fields
	if c.editing && c.row < len(c.shown) {
		setField(&f, c.shown[c.row].name, c.input.String())
	}
	return f
}

// render fills the preview from the current fields: the title and text,
// and per channel the exact payload and the platform's warnings. Render
// and Payload are pure and cheap, so this runs on every change.
func (c *composer) render(m *Model) {
	title, text, err := m.opts.Templates.Render(c.tmpl.Name, c.current())
	c.title, c.text, c.renderErr = title, text, ""
	if err != nil {
		c.renderErr = err.Error()
	}
	for i := range c.chans {
		ch := &c.chans[i]
		ch.payload, ch.payErr, ch.warnings = "", "", nil
		switch {
		case c.renderErr != "":
			continue
		case ch.pv == nil:
			ch.payErr = "no preview: this session has no sender for " + ch.view.Name
			continue
		}
		post := notify.Post{ID: "preview", Title: title, Text: text}
		raw, err := ch.pv.Payload(post)
		if err != nil {
			ch.payErr = err.Error()
			continue
		}
		var b bytes.Buffer
		if json.Indent(&b, raw, "", "  ") != nil {
			b.Reset()
			b.Write(raw)
		}
		ch.payload = b.String()
		ch.warnings = ch.pv.Warnings(post)
	}
}

// chosen are the names of the checked channels.
func (c *composer) chosen() []string {
	var out []string
	for _, ch := range c.chans {
		if ch.on {
			out = append(out, ch.view.Name)
		}
	}
	return out
}

// send asks the room to queue the announcement, once: keys pressed while
// the request is in flight do nothing.
func (c *composer) send(m *Model) tea.Cmd {
	names := c.chosen()
	switch {
	case c.sending:
		m.say("already sending: waiting for the room's answer", false)
		return nil
	case c.editing:
		m.say(fmt.Sprintf("finish the edit first: %s keeps it, %s cancels it", m.km.Confirm.Help().Key, m.km.Back.Help().Key), true)
		return nil
	case c.renderErr != "":
		m.say("cannot send: the template does not render (the error is in the preview); fix the field or the template", true)
		return nil
	case len(names) == 0:
		m.say("cannot send: no channel chosen; space checks one", true)
		return nil
	}
	if ok, why := m.canAct(); !ok {
		m.say(why, true)
		return nil
	}
	c.sending = true
	a := room.Announcement{Template: c.tmpl.Name, Phase: c.tmpl.Phase, Title: c.title, Text: c.text, Channels: names}
	m.say(fmt.Sprintf("queuing to %s…", plural(len(names), "channel")), false)
	return m.call(c.id(), func(ctx context.Context, r Room, actor room.Actor) (any, error) { return r.Announce(ctx, a, actor) },
		func(m *Model, ids any, err error) { m.announced(len(names), ids, err) })
}

package room

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"sort"

	"warroom/backends/notify"
)

// Previewer is what drafting needs of a channel: the exact payload a post
// would be sent as and the platform's warnings, computed without I/O
// (notify.Channel is one).
type Previewer interface {
	Name() string
	Target() string // masked
	Payload(notify.Post) ([]byte, error)
	Warnings(notify.Post) []string
}

// Composer drafts announcements for views: the templates, their fields
// pre-filled from a snapshot, and a preview per channel exactly as it
// would be sent. It holds nothing that changes, so its methods are pure
// and safe from any goroutine; a nil Composer offers no templates.
type Composer struct {
	templates *notify.Templates
	chans     map[string]Previewer
	list      []Template
}

// NewComposer drafts with templates and previews with chans; nil
// templates offer none.
func NewComposer(templates *notify.Templates, chans []Previewer) *Composer {
	c := &Composer{templates: templates, chans: map[string]Previewer{}}
	for _, p := range chans {
		c.chans[p.Name()] = p
	}
	if templates != nil {
		for _, n := range templates.Names() {
			tm, _ := templates.Get(n)
			c.list = append(c.list, Template{Name: n, Phase: tm.Phase, Lang: tm.Lang, Editable: usedFields(tm.Title + "\n" + tm.Text)})
		}
	}
	sort.SliceStable(c.list, func(i, j int) bool { return phaseRank(c.list[i].Phase) < phaseRank(c.list[j].Phase) })
	return c
}

// Template is an announcement template as a composer offers it.
type Template struct {
	Name, Phase, Lang string
	Editable          []string // the fields people may edit that it uses, in reading order
}

// Templates lists the templates by phase in incident order, then name, so
// the first is the one a fresh incident needs.
func (c *Composer) Templates() []Template {
	if c == nil {
		return nil
	}
	return c.list
}

// Draft is an announcement being written: a template and its fields.
type Draft struct {
	Template string
	Phase    string // the template's
	fields   notify.Fields
}

// Draft is template's fields pre-filled from s (see Prefill), for people
// to edit before sending.
func (c *Composer) Draft(s *Snapshot, template string) Draft {
	tm := c.template(template)
	f := Prefill(s, tm.Lang)
	f.Phase = tm.Phase
	return Draft{Template: template, Phase: tm.Phase, fields: f}
}

func (c *Composer) template(name string) Template {
	for _, t := range c.Templates() {
		if t.Name == name {
			return t
		}
	}
	return Template{Name: name}
}

// Field is the value of the editable field name, "" if there is none.
func (d Draft) Field(name string) string {
	if !editable(name) {
		return ""
	}
	return reflect.ValueOf(d.fields).FieldByName(name).String()
}

// SetField sets the editable field name; other names change nothing.
func (d *Draft) SetField(name, v string) {
	if editable(name) {
		reflect.ValueOf(&d.fields).Elem().FieldByName(name).SetString(v)
	}
}

// DraftPreview is a draft as it would be sent.
type DraftPreview struct {
	Title, Text string
	Err         string           // why the template does not render; then no payloads
	Channels    []ChannelPreview // in the order asked
}

// ChannelPreview is what one channel would be sent.
type ChannelPreview struct {
	Name     string
	Target   string // masked; "" without a sender
	Payload  string // indented JSON (or the raw body), exactly as sent
	Err      string // why there is no payload
	Warnings []string
}

// ComposePreview renders d and, for each of channels, the exact payload
// and the platform's warnings. It does no I/O, so views call it on every
// keystroke.
func (c *Composer) ComposePreview(d Draft, channels []string) DraftPreview {
	var p DraftPreview
	if c == nil || c.templates == nil {
		p.Err = "no announcement templates in this room"
	} else if title, text, err := c.templates.Render(d.Template, d.fields); err != nil {
		p.Err = err.Error()
	} else {
		p.Title, p.Text = title, text
	}
	for _, name := range channels {
		p.Channels = append(p.Channels, c.preview(name, p))
	}
	return p
}

func (c *Composer) preview(name string, p DraftPreview) ChannelPreview {
	cp := ChannelPreview{Name: name}
	var pv Previewer
	if c != nil {
		pv = c.chans[name]
	}
	if pv == nil {
		cp.Err = "no preview: this room has no sender for " + name
		return cp
	}
	if cp.Target = pv.Target(); p.Err != "" {
		return cp
	}
	post := notify.Post{ID: "preview", Title: p.Title, Text: p.Text}
	raw, err := pv.Payload(post)
	if err != nil {
		cp.Err = err.Error()
		return cp
	}
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		b.Reset()
		b.Write(raw)
	}
	cp.Payload, cp.Warnings = b.String(), pv.Warnings(post)
	return cp
}

// editableFields are the fields people edit, in the order they read them.
func editableFields() []string {
	return []string{"Title", "Level", "Scope", "DownMirrors", "Regions", "Measures",
		"ExpectedRecovery", "NextUpdate", "Contact", "Commander", "Site", "Incident", "Phase"}
}

func editable(name string) bool { return slices.Contains(editableFields(), name) }

// fieldRefRE finds .Name references in a template's source.
var fieldRefRE = regexp.MustCompile(`\.([A-Z][A-Za-z]*)`)

// usedFields are the editable fields src refers to, in reading order.
func usedFields(src string) []string {
	used := map[string]bool{}
	for _, m := range fieldRefRE.FindAllStringSubmatch(src, -1) {
		used[m[1]] = true
	}
	var out []string
	for _, f := range editableFields() {
		if used[f] {
			out = append(out, f)
		}
	}
	return out
}

// phaseRank orders phases as an incident goes; unknown ones last.
func phaseRank(phase string) int {
	if i := slices.Index(notify.Phases, phase); i >= 0 {
		return i
	}
	return len(notify.Phases)
}

// Templates are the room's announcement templates (see Composer).
func (r *Room) Templates() []Template { return r.opts.Composer.Templates() }

// Draft is template's fields pre-filled from s (see Composer).
func (r *Room) Draft(s *Snapshot, template string) Draft { return r.opts.Composer.Draft(s, template) }

// ComposePreview is d as channels would be sent it (see Composer); it never
// waits on the room.
func (r *Room) ComposePreview(d Draft, channels []string) DraftPreview {
	return r.opts.Composer.ComposePreview(d, channels)
}

package room

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify"
)

// composerForTest drafts with the built-in templates plus one that does
// not render, and previews on one Slack channel.
func composerForTest(t *testing.T) *Composer {
	t.Helper()
	ts := notify.Builtin()
	if err := ts.Add(config.Template{Name: "broken", Lang: "en", Title: "{{.Site}}", Text: "{{.Extra.ticket}}"}); err != nil {
		t.Fatal(err)
	}
	ch, err := notify.New(config.Channel{Name: "ops-slack", Kind: config.ChannelSlack, URL: "https://hooks.slack.example/services/T0/B0/secret"}, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return NewComposer(ts, []Previewer{ch})
}

func TestComposerOffersTemplatesInIncidentOrder(t *testing.T) {
	var phases []string
	for _, tm := range composerForTest(t).Templates() {
		if len(phases) == 0 || phases[len(phases)-1] != tm.Phase {
			phases = append(phases, tm.Phase)
		}
	}
	if got := strings.Join(phases, ","); got != "investigating,identified,monitoring,resolved," {
		t.Fatalf("phases in order %q, want incident order then the phaseless", got)
	}
	var nilComposer *Composer
	if nilComposer.Templates() != nil {
		t.Fatal("a room without a composer offers templates")
	}
}

func TestDraftPrefillsAndEditsByName(t *testing.T) {
	c := composerForTest(t)
	var inv Template
	for _, tm := range c.Templates() {
		if tm.Name == "investigating" {
			inv = tm
		}
	}
	if len(inv.Editable) == 0 || inv.Editable[0] != "Title" {
		t.Fatalf("investigating uses fields %v, want Title first", inv.Editable)
	}
	s := &Snapshot{Site: "mirrors.example.org", At: time.Date(2026, 8, 22, 14, 4, 0, 0, time.UTC),
		Incident: &IncidentView{ID: "INC-1", Title: "tokyo down", Level: 2, Status: StatusIdentified}}
	d := c.Draft(s, "investigating")
	if d.Field("Title") != "tokyo down" || d.Field("Phase") != "investigating" || d.Phase != "investigating" {
		t.Fatalf("draft: title %q phase %q/%q", d.Field("Title"), d.Field("Phase"), d.Phase)
	}
	d.SetField("Title", "tokyo is down")
	d.SetField("Time", "now") // not editable: ignored, no panic
	d.SetField("NoSuch", "x") // unknown: ignored, no panic
	if d.Field("Title") != "tokyo is down" || d.Field("Time") != "" || d.Field("NoSuch") != "" {
		t.Fatalf("after edits: title %q time %q nosuch %q", d.Field("Title"), d.Field("Time"), d.Field("NoSuch"))
	}
	p := c.ComposePreview(d, []string{"ops-slack", "nope"})
	if p.Err != "" || !strings.Contains(p.Title, "tokyo is down") || len(p.Channels) != 2 {
		t.Fatalf("preview: %+v", p)
	}
	if sl := p.Channels[0]; sl.Err != "" || !strings.Contains(sl.Payload, "\n  \"text\"") || strings.Contains(sl.Target, "secret") {
		t.Fatalf("slack preview: %+v", sl)
	}
	if no := p.Channels[1]; no.Err != "no preview: this room has no sender for nope" {
		t.Fatalf("unknown channel: %+v", no)
	}
	bad := c.ComposePreview(c.Draft(s, "broken"), []string{"ops-slack"})
	if bad.Err == "" || bad.Channels[0].Payload != "" || bad.Channels[0].Target == "" {
		t.Fatalf("a template that does not render: %+v", bad)
	}
}

package notify

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
)

func sampleFields() Fields {
	return Fields{
		Site: "mirrors.example.org", Incident: "INC-42", Level: "SEV2", Phase: "investigating",
		Title: "slow downloads in Asia", Commander: "alice", Scope: "3 of 12 mirrors",
		Regions: "Tokyo, Singapore", DownMirrors: "tokyo-1, sg-2", Measures: "tokyo-1 taken out of rotation",
		ExpectedRecovery: "15:30 UTC", NextUpdate: "15:00 UTC", Contact: "#incident-42",
		Time: time.Date(2026, 8, 22, 14, 4, 0, 0, time.UTC),
	}
}

func TestBuiltinRenderAllPhasesBothLanguages(t *testing.T) {
	tp := Builtin()
	for _, phase := range Phases {
		for _, name := range []string{phase, phase + "-zh"} {
			c, ok := tp.Get(name)
			if !ok {
				t.Fatalf("built-in template %q missing; have %v", name, tp.Names())
			}
			if c.Phase != phase {
				t.Errorf("template %q: phase %q, want %q", name, c.Phase, phase)
			}
			wantLang := "en"
			if strings.HasSuffix(name, "-zh") {
				wantLang = "zh"
			}
			if c.Lang != wantLang {
				t.Errorf("template %q: lang %q, want %q", name, c.Lang, wantLang)
			}
			title, text, err := tp.Render(name, sampleFields())
			if err != nil {
				t.Fatalf("render %q: %v", name, err)
			}
			for _, want := range []string{"slow downloads in Asia", "mirrors.example.org"} {
				if !strings.Contains(title+text, want) {
					t.Errorf("%q does not mention %q:\n%s\n%s", name, want, title, text)
				}
			}
			if !strings.Contains(text, "Tokyo, Singapore") || !strings.Contains(text, "tokyo-1 taken out of rotation") {
				t.Errorf("%q lost the regions or the measures:\n%s", name, text)
			}
			if phase != "resolved" && !strings.Contains(text, "15:00 UTC") {
				t.Errorf("%q does not say when the next update comes:\n%s", name, text)
			}
			if strings.Contains(title+text, "<no value>") {
				t.Errorf("%q renders <no value>:\n%s", name, text)
			}
			// Empty fields still read as sentences.
			_, empty, err := tp.Render(name, Fields{})
			if err != nil {
				t.Fatalf("render %q with no fields: %v", name, err)
			}
			if strings.Contains(empty, "0001") || strings.Contains(empty, "<no value>") {
				t.Errorf("%q with no fields:\n%s", name, empty)
			}
			if testing.Verbose() {
				t.Logf("%s\n%s\n%s\n", name, title, text)
			}
		}
	}
}

func TestTemplateErrorsNameTemplateLineField(t *testing.T) {
	tp := Builtin()
	err := tp.Add(config.Template{Name: "investigating", Phase: "investigating", Title: "x",
		Text: "line one\nline two\nscope: {{.Scop}}\n"})
	if err == nil {
		t.Fatal("a template naming a field that does not exist was accepted")
	}
	for _, want := range []string{`template "investigating"`, "line 3", `field "Scop"`, "not a field of the announcement"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	// The built-in stays when the replacement is refused.
	if _, _, err := tp.Render("investigating", sampleFields()); err != nil {
		t.Fatal(err)
	}

	err = tp.Add(config.Template{Name: "bad-syntax", Line: 40, Title: "ok", Text: "a\n{{if .Scope}}\nno end"})
	if err == nil || !strings.Contains(err.Error(), `template "bad-syntax" text line`) || !strings.Contains(err.Error(), "config line 40") {
		t.Errorf("syntax error reads %v", err)
	}

	err = tp.Add(config.Template{Name: "dollar", Title: "{{with .Site}}{{$.Nope}}{{end}}", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), `field "Nope"`) || !strings.Contains(err.Error(), "title line 1") {
		t.Errorf("$.Nope error reads %v", err)
	}

	if err := tp.Add(config.Template{Name: "extra", Title: "t", Text: "a\n{{.Extra.ticket}}"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = tp.Render("extra", Fields{})
	if err == nil || !strings.Contains(err.Error(), `template "extra" text line 2`) || !strings.Contains(err.Error(), "ticket") {
		t.Errorf("missing extra key reads %v", err)
	}
	if _, text, err := tp.Render("extra", Fields{Extra: map[string]string{"ticket": "T-1"}}); err != nil || text != "a\nT-1" {
		t.Errorf("extra renders %q, %v", text, err)
	}

	if err := tp.Add(config.Template{Name: "p", Phase: "fixing", Text: "x"}); err == nil || !strings.Contains(err.Error(), `phase "fixing"`) {
		t.Errorf("bad phase reads %v", err)
	}
	if _, _, err := tp.Render("nope", Fields{}); err == nil || !strings.Contains(err.Error(), `template "nope"`) {
		t.Errorf("unknown template reads %v", err)
	}
}

// A template that would exhaust memory fails its render with the bound it
// passed, and Check finds it before any incident, naming it and its line.
func TestRunawayTemplateIsBoundedAndFoundByCheck(t *testing.T) {
	tp := Builtin()
	if err := tp.Check(); err != nil {
		t.Fatalf("built-in templates fail the check: %v", err)
	}
	if err := tp.Add(config.Template{Name: "boom", Line: 41, Title: "t", Text: "{{range 100000000}}xxxxxxxx{{end}}"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, _, err := tp.Render("boom", sampleFields())
	if err == nil || !strings.Contains(err.Error(), `template "boom" text: output is over 64 KiB`) {
		t.Fatalf("render: %v", err)
	}
	err = tp.Check()
	if err == nil || !strings.Contains(err.Error(), `line 41: template "boom" text: output is over`) {
		t.Fatalf("check: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s", took)
	}
}

// A webhook body that would run away is refused when the channel is built
// (check and start-up build every channel), naming the channel.
func TestRunawayWebhookBodyRefusedAtBuild(t *testing.T) {
	_, err := New(config.Channel{Name: "hook", Kind: "webhook", URL: "http://127.0.0.1:1/h", Line: 12,
		Body: `{"t":"{{range 100000000}}xxxxxxxx{{end}}"}`}, Options{})
	if err == nil || !strings.Contains(err.Error(), `channel "hook" (line 12)`) || !strings.Contains(err.Error(), "output is over 64 KiB") {
		t.Fatalf("New: %v", err)
	}
}

package notify

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
)

var alertAt = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func firing(n int) AlertMessage {
	m := AlertMessage{Site: "warroom-demo", Route: "critical", Status: AlertFiring, Incident: "INC-7 P1", At: alertAt}
	for i := range n {
		kind, sev := "mirror-down", "critical"
		if i%2 == 1 {
			kind, sev = "mirror-lag", "warning"
		}
		name := fmt.Sprintf("mirror-%03d", i)
		m.Firing = append(m.Firing, AlertLine{ID: kind + "/" + name, Severity: sev, Subject: name,
			Text: name + " is down: 3 of 3 probes failed from 2 regions, last answer 503 Service Unavailable", Since: alertAt.Add(-time.Minute)})
	}
	return m
}

func TestRenderAlertStatusesInBothLanguages(t *testing.T) {
	m := firing(2)
	m.Firing[0].Subject, m.Firing[0].Text = "tokyo", "tokyo is down"
	m.Firing[1].Subject, m.Firing[1].Text, m.Firing[1].AckedBy = "osaka", "osaka lags 2h", "ana"
	m.Unacked = 5 * time.Minute
	cases := []struct {
		lang, status string
		repeat       bool
		title, text  string
	}{
		{"en", AlertFiring, false, "[FIRING 2] warroom-demo: tokyo down, osaka lagging", "**New alerts** · route critical · incident INC-7 P1 · 05:06:07 UTC\n\n**Firing (2)**\n- ✖ tokyo is down · since 05:05:07\n- ▲ osaka lags 2h · since 05:05:07 · acked by ana"},
		{"en", AlertFiring, true, "[FIRING 2, REPEAT] warroom-demo: tokyo down, osaka lagging", "**Still firing, unacknowledged for 5m**"},
		{"en", AlertEscalated, false, "[ESCALATED] warroom-demo: unacked 5m: tokyo down, osaka lagging", "**Escalated: unacknowledged for 5m**"},
		{"en", AlertAcknowledged, false, "[ACKED] warroom-demo: tokyo down, osaka lagging", "**Acknowledged**"},
		{"zh", AlertFiring, false, "【告警 2】warroom-demo：tokyo 不可用，osaka 同步滞后", "**告警中（2）**\n- ✖ tokyo is down · 自 05:05:07\n- ▲ osaka lags 2h · 自 05:05:07 · ana 已确认"},
		{"zh", AlertEscalated, false, "【已升级】warroom-demo：5m 未确认：tokyo 不可用，osaka 同步滞后", "**已升级：5m 无人确认**"},
		{"fr", AlertAcknowledged, false, "[ACKED] warroom-demo: tokyo down, osaka lagging", "**Acknowledged**"},
	}
	for _, tc := range cases {
		mm := m
		mm.Status, mm.Repeat = tc.status, tc.repeat
		title, text, err := RenderAlert(tc.lang, nil, mm)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.lang, tc.status, err)
		}
		if title != tc.title || !strings.Contains(text, tc.text) {
			t.Errorf("%s %s repeat=%v:\n title %q\nwant %q\n text %q\nwant it to contain %q", tc.lang, tc.status, tc.repeat, title, tc.title, text, tc.text)
		}
	}
	res := AlertMessage{Site: "warroom-demo", Route: "critical", Status: AlertResolved, At: alertAt,
		Resolved: []AlertLine{{ID: "mirror-down/tokyo", Severity: "critical", Subject: "tokyo", Text: "tokyo is down"}}}
	title, text, err := RenderAlert("en", nil, res)
	if err != nil || title != "[RESOLVED] warroom-demo: tokyo down" || !strings.Contains(text, "**All resolved**") ||
		!strings.Contains(text, "**Resolved (1)**\n- ✔ tokyo is down") || strings.Contains(text, "Firing") {
		t.Errorf("resolved: %q\n%s (%v)", title, text, err)
	}
}

// A message listing 200 alerts names the first ones and the rest as a
// count, and every chat platform takes it without a warning, drill or not.
func TestRenderAlertWithManyAlertsFitsEveryPlatform(t *testing.T) {
	m := firing(200)
	m.Resolved = firing(150).Firing
	chans := platformChannels(t)
	for _, lang := range []string{"en", "zh"} {
		title, text, err := RenderAlert(lang, nil, m)
		if err != nil {
			t.Fatal(err)
		}
		more := map[string]string{"en": "…and ", "zh": "……另有 "}[lang]
		if !strings.Contains(text, more) || !strings.Contains(text, "mirror-000") || strings.Contains(text, "mirror-199") {
			t.Errorf("%s: the list is not cut to its first alerts and a count:\n%s", lang, text)
		}
		if len(text) > alertTextBudget || len([]rune(title)) > alertTitleMax {
			t.Errorf("%s: text %d bytes, title %d characters", lang, len(text), len([]rune(title)))
		}
		for _, drill := range []bool{false, true} {
			p := Post{ID: "p1", Title: title, Text: text, Drill: drill}
			for _, ch := range chans {
				if w := ch.Warnings(p); len(w) > 0 {
					t.Errorf("%s %s drill=%v: %q", lang, ch.Name(), drill, w)
				}
			}
		}
	}
}

// platformChannels is one channel of every chat kind and format.
func platformChannels(t *testing.T) []Channel {
	var out []Channel
	for kind, fs := range formats {
		for _, f := range fs {
			u := "https://chat.example.org/hook/abcdef?access_token=abcdef"
			out = append(out, newChannel(t, config.Channel{Name: kind + "-" + f, Kind: kind, URL: u, Format: f,
				Body: `{"text": {{json .Text}}}`}, nil))
		}
	}
	return out
}

// Alert texts come from outside (a mirror's answer, a host's name):
// terminal controls never reach a message.
func TestRenderAlertCleansOutsideText(t *testing.T) {
	m := firing(1)
	m.Firing[0].Text = "evil\x1b[2J\x1b]8;;http://x\x07 answer\r\nnext"
	m.Firing[0].Subject = "tok\x1b[31myo"
	m.Site = "demo\x07"
	title, text, err := RenderAlert("en", nil, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{title, text} {
		if strings.ContainsAny(s, "\x1b\x07\r") {
			t.Errorf("control characters left in %q", s)
		}
	}
	if !strings.Contains(text, "evil") || !strings.Contains(text, "answer next") {
		t.Errorf("the alert's words are gone: %q", text)
	}
}

func TestRenderAlertOverridesByLanguage(t *testing.T) {
	over := []config.Template{
		{Name: "pager-zh", Phase: AlertPhase, Lang: "zh", Title: "告警：{{.Summary}}", Text: "{{range .Firing}}{{.Subject}} {{end}}"},
		{Name: "announce", Phase: "investigating", Title: "x", Text: "y"},
	}
	m := firing(2)
	title, text, err := RenderAlert("zh", over, m)
	if err != nil || title != "告警：mirror-000 不可用，mirror-001 同步滞后" || text != "mirror-000 mirror-001" {
		t.Errorf("zh override: %q %q (%v)", title, text, err)
	}
	if title, _, _ := RenderAlert("en", over, m); !strings.HasPrefix(title, "[FIRING 2]") {
		t.Errorf("en without an override: %q", title)
	}
	bad := []config.Template{{Name: "mine", Phase: AlertPhase, Line: 40, Title: "{{.Level}}", Text: "x"}}
	if _, _, err := RenderAlert("en", bad, m); err == nil || !strings.Contains(err.Error(), `config line 40: template "mine" title line 1: field "Level" is not a field of an alert message`) {
		t.Errorf("bad override: %v", err)
	}
}

// Alert templates are kept apart from announcements, and check renders
// them: a runaway one is found there.
func TestAlertTemplatesAreCheckedNotAnnounced(t *testing.T) {
	tp := Builtin()
	for _, n := range tp.Names() {
		if strings.HasPrefix(n, "alert") {
			t.Errorf("announcement templates include %q", n)
		}
	}
	if err := tp.Add(config.Template{Name: "runaway", Phase: AlertPhase, Line: 52, Title: "t", Text: "{{range .Firing}}{{range 100000000}}x{{end}}{{end}}"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := tp.Get("runaway"); ok {
		t.Error("an alert template is offered as an announcement")
	}
	err := tp.Check()
	if err == nil || !strings.Contains(err.Error(), `line 52: template "runaway" text: more than`) {
		t.Fatalf("check: %v", err)
	}
}

package notify

import (
	"fmt"
	"strings"
	"time"

	"warroom/backends/config"
	"warroom/backends/textsafe"
)

// AlertPhase is the template phase of alert messages.
const AlertPhase = "alert"

// Bounds that keep an alert message within every platform's limits: a
// WeCom text message holds 2048 bytes, title included, a Slack header 150
// characters. The text budget leaves room for a Chinese title (3 bytes a
// character) and a drill prefix; a longer list shows its first alerts and
// "…and N more".
const (
	alertTextBudget = 1500 // bytes
	alertTitleMax   = 140  // characters, before a drill prefix
	alertLineMax    = 160  // characters of one alert's text
	alertListMax    = 25   // alerts listed at most, before the budget
	alertSummaryMax = 3    // subjects named in the title
)

// AlertView is what an alert template sees: the message with its lists cut
// to what fits, every text cleaned.
type AlertView struct {
	Site, Route, Status, Incident string
	Tag                           string // FIRING 2, RESOLVED, ESCALATED, ACKED (in the template's language)
	Summary                       string // "tokyo down, osaka lagging"
	Repeat                        bool
	Unacked                       string // "5m", "" when not known
	Clock                         string // the message's time, 15:04:05 UTC
	At                            time.Time
	Firing                        []AlertLineView
	FiringCount                   int // all firing alerts, listed or not
	MoreFiring                    int // firing alerts not listed
	Resolved                      []AlertLineView
	ResolvedCount                 int
	MoreResolved                  int
}

// AlertLineView is one alert as a template lists it.
type AlertLineView struct {
	ID, Severity, Subject, Text, AckedBy string
	Symbol                               string // ✖ critical, ▲ warning, ● other
	Since                                string // 15:04:05 UTC
}

// RenderAlert renders an alert message in lang (en | zh; others read as
// en) with the built-in alert templates, or the last of overrides with
// phase "alert" in that language. The result is cleaned and within every
// platform's limits.
func RenderAlert(lang string, overrides []config.Template, m AlertMessage) (title, text string, err error) {
	if lang != "zh" {
		lang = "en"
	}
	c, err := alertTemplate(lang, overrides)
	if err != nil {
		return "", "", err
	}
	where := fmt.Sprintf("template %q", c.cfg.Name)
	for n := alertListMax; ; n = n * 2 / 3 {
		v := alertView(lang, m, n)
		if title, err = execute(where, "title", c.title, v); err != nil {
			return "", "", err
		}
		if text, err = execute(where, "text", c.text, v); err != nil {
			return "", "", err
		}
		title = truncRunes(oneLine(textsafe.Line(title)), alertTitleMax)
		text = strings.TrimSpace(textsafe.Block(text))
		if len(text) <= alertTextBudget {
			return title, text, nil
		}
		if n == 0 {
			// A template that writes more than the lists: cut it.
			return title, truncBytes(text, alertTextBudget), nil
		}
	}
}

// alertTemplate picks the override for lang, else the built-in one.
func alertTemplate(lang string, overrides []config.Template) (*compiled, error) {
	for i := len(overrides) - 1; i >= 0; i-- {
		o := overrides[i]
		if o.Phase == AlertPhase && orString(o.Lang, "en") == lang {
			t := &Templates{}
			if err := t.Add(o); err != nil {
				return nil, err
			}
			return t.alerts[o.Name], nil
		}
	}
	b := builtin()
	for _, c := range b.alerts {
		if c.cfg.Lang == lang {
			return c, nil
		}
	}
	return nil, fmt.Errorf("no built-in alert template in %q", lang)
}

// alertView prepares m for a template, listing at most n alerts of each
// kind.
func alertView(lang string, m AlertMessage, n int) AlertView {
	w := alertWords[lang]
	v := AlertView{
		Site: textsafe.Line(m.Site), Route: textsafe.Line(m.Route), Status: m.Status, Incident: textsafe.Line(m.Incident),
		Repeat: m.Repeat, At: m.At, Clock: m.At.UTC().Format(time.TimeOnly),
		FiringCount: len(m.Firing), ResolvedCount: len(m.Resolved),
	}
	if m.Unacked > 0 {
		v.Unacked = shortDuration(m.Unacked)
	}
	v.Firing, v.MoreFiring = alertLines(m.Firing, n)
	v.Resolved, v.MoreResolved = alertLines(m.Resolved, n)
	named := m.Firing
	switch m.Status {
	case AlertResolved:
		v.Tag, named = w.resolved, m.Resolved
	case AlertEscalated:
		v.Tag = w.escalated
	case AlertAcknowledged:
		v.Tag = w.acked
	default:
		v.Tag = fmt.Sprintf(w.firing, len(m.Firing))
		if m.Repeat {
			v.Tag = fmt.Sprintf(w.repeat, len(m.Firing))
		}
	}
	v.Summary = summary(w, named)
	return v
}

func alertLines(ls []AlertLine, n int) ([]AlertLineView, int) {
	shown := ls[:min(n, len(ls))]
	out := make([]AlertLineView, len(shown))
	for i, l := range shown {
		out[i] = AlertLineView{ID: textsafe.Line(l.ID), Severity: l.Severity, Subject: textsafe.Line(l.Subject),
			Text: truncRunes(oneLine(textsafe.Line(orString(l.Text, l.ID))), alertLineMax), AckedBy: textsafe.Line(l.AckedBy),
			Symbol: severitySymbol(l.Severity)}
		if !l.Since.IsZero() {
			out[i].Since = l.Since.UTC().Format(time.TimeOnly)
		}
	}
	return out, len(ls) - len(shown)
}

func severitySymbol(s string) string {
	switch s {
	case "critical":
		return "✖"
	case "warning":
		return "▲"
	}
	return "●"
}

// summary names the first alerts by subject and state: "tokyo down,
// osaka lagging +3 more".
func summary(w words, ls []AlertLine) string {
	var parts []string
	for _, l := range ls[:min(alertSummaryMax, len(ls))] {
		kind, _, _ := strings.Cut(l.ID, "/")
		state, ok := w.states[kind]
		if !ok {
			state = strings.TrimPrefix(kind, "host-")
		}
		parts = append(parts, strings.TrimSpace(textsafe.Line(l.Subject)+" "+state))
	}
	s := strings.Join(parts, w.sep)
	if more := len(ls) - len(parts); more > 0 {
		s += fmt.Sprintf(w.more, more)
	}
	if s == "" {
		s = w.nothing
	}
	return s
}

// shortDuration writes 5m, 1h30m, 45s.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}

// words are the parts of titles the templates do not spell.
type words struct {
	firing, repeat, resolved, escalated, acked string
	sep, more, nothing                         string
	states                                     map[string]string // by alert kind
}

var alertWords = map[string]words{
	"en": {firing: "FIRING %d", repeat: "FIRING %d, REPEAT", resolved: "RESOLVED", escalated: "ESCALATED", acked: "ACKED",
		sep: ", ", more: " +%d more", nothing: "no alerts",
		states: map[string]string{"mirror-down": "down", "mirror-partial": "partly down", "mirror-degraded": "degraded",
			"mirror-lag": "lagging", "mirror-drift": "drifting", "sync-error": "sync failing", "tls-expiry": "certificate expiring",
			"mirror-flapping": "flapping"}},
	"zh": {firing: "告警 %d", repeat: "重复告警 %d", resolved: "已恢复", escalated: "已升级", acked: "已确认",
		sep: "，", more: " 等 %d 项", nothing: "无告警",
		states: map[string]string{"mirror-down": "不可用", "mirror-partial": "部分不可用", "mirror-degraded": "性能下降",
			"mirror-lag": "同步滞后", "mirror-drift": "内容不一致", "sync-error": "同步出错", "tls-expiry": "证书即将过期",
			"mirror-flapping": "状态反复变化"}},
}

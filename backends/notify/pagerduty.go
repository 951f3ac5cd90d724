package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"warroom/backends/config"
)

// PagerDuty Events API v2 limits.
const (
	pdMaxSummary  = 1024
	pdMaxDedupKey = 255
	pdMaxDetails  = 16 << 10 // the alert list in custom_details; the API takes 512 KB per event
)

// pdSeverities are the severities the API accepts.
var pdSeverities = []string{"critical", "error", "warning", "info"}

// pagerDuty sends alert pages to a PagerDuty service. It takes only posts
// with a Page: an announcement would open an incident nobody can resolve.
type pagerDuty struct{ base }

// pdEvent is one Events API v2 event. Acknowledge and resolve carry only
// the key, the action and the dedup key.
type pdEvent struct {
	RoutingKey  string     `json:"routing_key"`
	EventAction string     `json:"event_action"`
	DedupKey    string     `json:"dedup_key,omitempty"`
	Payload     *pdPayload `json:"payload,omitempty"`
	Client      string     `json:"client,omitempty"`
}

type pdPayload struct {
	Summary       string            `json:"summary"`
	Source        string            `json:"source"`
	Severity      string            `json:"severity"`
	Component     string            `json:"component,omitempty"`
	Group         string            `json:"group,omitempty"`
	Class         string            `json:"class,omitempty"`
	CustomDetails map[string]string `json:"custom_details,omitempty"`
}

// errNoPage refuses an announcement on a pager.
const errNoPage = "pagerduty takes alert pages only; this post has no page (send announcements to a chat or email channel)"

func (c *pagerDuty) event(p Post, key string) (pdEvent, error) {
	pg := p.Page
	if pg == nil {
		return pdEvent{}, fmt.Errorf("%s", errNoPage)
	}
	ev := pdEvent{RoutingKey: key, EventAction: pg.Action, DedupKey: pg.DedupKey}
	switch pg.Action {
	case PageAcknowledge, PageResolve:
		return ev, nil
	case PageTrigger:
	default:
		return pdEvent{}, fmt.Errorf("page action %q is not one of trigger, acknowledge, resolve", pg.Action)
	}
	title, text := p.shown()
	details := map[string]string{}
	for k, v := range pg.Details {
		details[k] = v
	}
	if body := plainBody(text); body != "" {
		details["alerts"] = truncBytes(body, pdMaxDetails)
	}
	if p.Drill {
		details["drill"] = "true"
	}
	ev.Client = "warroom"
	ev.Payload = &pdPayload{
		Summary:       truncRunes(title, pdMaxSummary),
		Source:        orString(pg.Source, "warroom"),
		Severity:      pdSeverity(pg.Severity),
		Component:     pg.Component,
		Group:         pg.Group,
		Class:         pg.Class,
		CustomDetails: details,
	}
	return ev, nil
}

// pdSeverity maps a page's severity onto the API's; an unknown one pages
// as "error" rather than being refused.
func pdSeverity(s string) string {
	if contains(pdSeverities, s) {
		return s
	}
	return "error"
}

// Payload is the event with the routing key masked.
func (c *pagerDuty) Payload(p Post) ([]byte, error) {
	ev, err := c.event(p, config.Redacted)
	if err != nil {
		return nil, err
	}
	return json.Marshal(ev)
}

func (c *pagerDuty) Warnings(p Post) []string {
	if p.Page == nil {
		return []string{errNoPage}
	}
	var w []string
	if _, err := c.event(p, ""); err != nil {
		w = append(w, err.Error())
	}
	title, _ := p.shown()
	if n := utf8.RuneCountInString(title); p.Page.Action == PageTrigger && n > pdMaxSummary {
		w = append(w, fmt.Sprintf("title is %d characters: a PagerDuty summary holds %d, the rest is cut", n, pdMaxSummary))
	}
	if n := len(p.Page.DedupKey); n > pdMaxDedupKey {
		w = append(w, fmt.Sprintf("dedup key is %d characters: PagerDuty takes at most %d", n, pdMaxDedupKey))
	}
	return w
}

func (c *pagerDuty) Send(ctx context.Context, p Post) error {
	ev, err := c.event(p, c.cfg.Pager.RoutingKey)
	if err != nil {
		return localError(c.cfg.Name, c.kind, "%v", err)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return localError(c.cfg.Name, c.kind, "%v", err)
	}
	a, err := postJSON(ctx, c.client, c.cfg.URL, body, nil)
	if err != nil {
		return c.netErr(err)
	}
	switch {
	case a.status >= 200 && a.status <= 299:
		return nil
	case a.status == http.StatusBadRequest:
		return &Error{Channel: c.cfg.Name, Kind: c.kind, Status: a.status, Text: pdRefusal(a)}
	}
	return httpFailure(c.cfg.Name, c.kind, a, c.clock)
}

// pdRefusal is a 400's message and errors, or the raw answer.
func pdRefusal(a *answer) string {
	var r struct {
		Message string   `json:"message"`
		Errors  []string `json:"errors"`
	}
	if json.Unmarshal(a.body, &r) != nil || (r.Message == "" && len(r.Errors) == 0) {
		return answerText(a)
	}
	return joinNonEmpty(": ", r.Message, strings.Join(r.Errors, "; "))
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// truncBytes cuts s to at most n bytes on a character boundary, marking
// the cut.
func truncBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

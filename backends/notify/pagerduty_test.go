package notify

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

func pagerChannel(t *testing.T, r *notifytest.Receiver) Channel {
	t.Helper()
	return newChannel(t, config.Channel{Name: "pd-oncall", Kind: config.ChannelPager, URL: r.URL(),
		Pager: config.Pager{RoutingKey: r.RoutingKey()}}, nil)
}

func pagePost(action string) Post {
	return Post{ID: "p7", Title: "[FIRING 2] demo: tokyo down, osaka lagging", Text: "- tokyo down\n- osaka lagging 2h",
		Page: &Page{Action: action, DedupKey: "3f2a9c0d1e4b5a67-2", Severity: "critical", Source: "demo", Group: "critical",
			Class: "mirror-down", Component: "tokyo", Details: map[string]string{"route": "critical"}}}
}

func TestPagerDutyTriggerAckResolve(t *testing.T) {
	r := notifytest.StartPagerDuty(t)
	ch := pagerChannel(t, r)
	for _, action := range []string{PageTrigger, PageAcknowledge, PageResolve} {
		if err := ch.Send(testCtx(t), pagePost(action)); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	ps := r.Posts()
	if len(ps) != 3 {
		t.Fatalf("stand-in accepted %d events, want 3 (rejections %+v)", len(ps), r.Rejections())
	}
	trig := ps[0].JSON
	if trig["event_action"] != "trigger" || trig["dedup_key"] != "3f2a9c0d1e4b5a67-2" || trig["client"] != "warroom" ||
		path(trig, "payload", "summary") != "[FIRING 2] demo: tokyo down, osaka lagging" ||
		path(trig, "payload", "severity") != "critical" || path(trig, "payload", "source") != "demo" ||
		path(trig, "payload", "component") != "tokyo" || path(trig, "payload", "class") != "mirror-down" ||
		path(trig, "payload", "custom_details", "route") != "critical" ||
		!strings.Contains(path(trig, "payload", "custom_details", "alerts").(string), "osaka lagging 2h") {
		t.Errorf("trigger event = %s", ps[0].Body)
	}
	for i, action := range []string{"acknowledge", "resolve"} {
		ev := ps[i+1].JSON
		if ev["event_action"] != action || ev["dedup_key"] != "3f2a9c0d1e4b5a67-2" || ev["payload"] != nil || len(ev) != 3 {
			t.Errorf("%s event carries more than key, action and dedup key: %s", action, ps[i+1].Body)
		}
	}
	// The preview is the event with the key masked.
	p, err := ch.Payload(pagePost(PageTrigger))
	if err != nil || strings.Contains(string(p), r.RoutingKey()) || !strings.Contains(string(p), `"routing_key":"REDACTED"`) {
		t.Errorf("Payload shows the routing key or fails: %s (%v)", p, err)
	}
	if strings.Contains(ch.Target(), r.RoutingKey()) {
		t.Errorf("Target %q shows the routing key", ch.Target())
	}
}

func TestPagerDutyRefusesAnnouncements(t *testing.T) {
	r := notifytest.StartPagerDuty(t)
	ch := pagerChannel(t, r)
	err := ch.Send(testCtx(t), samplePost)
	e := mustErr(t, err)
	if e.Retryable || !strings.Contains(e.Error(), "pagerduty takes alert pages only") || r.Requests() != 0 {
		t.Errorf("announcement: %v (retryable %v), %d requests", e, e.Retryable, r.Requests())
	}
	if w := ch.Warnings(samplePost); len(w) == 0 {
		t.Error("no warning for an announcement on a pager")
	}
	if _, err := ch.Payload(samplePost); err == nil {
		t.Error("Payload of an announcement: no error")
	}
}

func TestPagerDutyErrorClasses(t *testing.T) {
	r := notifytest.StartPagerDuty(t)
	ch := pagerChannel(t, r)

	// A 400 is final and shows the API's errors.
	bad := pagePost(PageTrigger)
	bad.Page.DedupKey = strings.Repeat("k", 300)
	e := mustErr(t, ch.Send(testCtx(t), bad))
	if e.Retryable || e.Status != 400 || !strings.Contains(e.Error(), "Event object is invalid: 'dedup_key' must be at most 255 characters") {
		t.Errorf("400: %v (retryable %v)", e, e.Retryable)
	}
	if w := ch.Warnings(bad); len(w) == 0 || !strings.Contains(strings.Join(w, " "), "dedup key is 300 characters") {
		t.Errorf("warnings for a long dedup key: %q", w)
	}

	// 429 and 5xx are retried, honouring Retry-After.
	r.Script(notifytest.RateLimited("30"), notifytest.ServerError(503))
	e = mustErr(t, ch.Send(testCtx(t), pagePost(PageTrigger)))
	if !e.Retryable || e.Status != 429 || e.RetryAfter != 30*time.Second {
		t.Errorf("429: %v retryable %v after %v", e, e.Retryable, e.RetryAfter)
	}
	e = mustErr(t, ch.Send(testCtx(t), pagePost(PageTrigger)))
	if !e.Retryable || e.Status != 503 {
		t.Errorf("503: %v retryable %v", e, e.Retryable)
	}

	// A wrong key is refused, and the error never shows a key.
	wrong := newChannel(t, config.Channel{Name: "pd-wrong", Kind: config.ChannelPager, URL: r.URL(),
		Pager: config.Pager{RoutingKey: strings.Repeat("x", 32)}}, nil)
	e = mustErr(t, wrong.Send(testCtx(t), pagePost(PageTrigger)))
	if e.Retryable || strings.Contains(e.Error(), strings.Repeat("x", 32)) {
		t.Errorf("wrong key: %v (retryable %v)", e, e.Retryable)
	}
}

// An answer that echoes the routing key has it masked.
func TestPagerDutyMasksAnEchoedKey(t *testing.T) {
	r := notifytest.StartPagerDuty(t)
	ch := pagerChannel(t, r)
	r.Script(notifytest.Answer{Status: 400, Body: `{"message":"bad key ` + r.RoutingKey() + `"}`})
	e := mustErr(t, ch.Send(testCtx(t), pagePost(PageTrigger)))
	if strings.Contains(e.Error(), r.RoutingKey()) || !strings.Contains(e.Error(), "bad key REDACTED") {
		t.Errorf("error shows the key: %v", e)
	}
}

func TestPagerDutyLongTitleIsCut(t *testing.T) {
	r := notifytest.StartPagerDuty(t)
	ch := pagerChannel(t, r)
	p := pagePost(PageTrigger)
	p.Title = strings.Repeat("告", 1500)
	p.Drill = true
	if err := ch.Send(testCtx(t), p); err != nil {
		t.Fatal(err)
	}
	ev := only(t, r).JSON
	if s := path(ev, "payload", "summary").(string); len([]rune(s)) != 1024 || !strings.HasPrefix(s, DrillPrefix) {
		t.Errorf("summary is %d characters, starts %q", len([]rune(s)), s[:20])
	}
	if path(ev, "payload", "custom_details", "drill") != "true" {
		t.Error("drill page not marked in custom_details")
	}
}

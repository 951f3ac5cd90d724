package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"warroom/backends/journal"
	"warroom/backends/notify"
	"warroom/backends/notify/notifytest"
	"warroom/backends/report"
	"warroom/backends/room"
	"warroom/backends/sim"
)

// pagingRig is a simulated fleet, the real binary's config for it with
// quick probes, and stand-ins for the receivers: a PagerDuty Events API,
// an SMTP server with STARTTLS and AUTH, and a webhook for escalations.
type pagingRig struct {
	bin, cfg, jpath string
	f               *sim.Fleet
	pd              *notifytest.Receiver
	mail            *notifytest.SMTPServer
	esc             *notifytest.Receiver
}

// Probe timings of the rig: down after two failed probes half a second
// apart, so detection takes about a second.
const (
	rigProbes    = "interval: 500ms, timeout: 400ms, fail_after: 2, recover_after: 1"
	rigGroupWait = 2 * time.Second
	rigAckWithin = 3 * time.Second
)

// newPagingRig writes the config: alerting routes are the caller's.
func newPagingRig(t *testing.T, routes string) *pagingRig {
	t.Helper()
	g := &pagingRig{bin: buildBinary(t), f: startFleet(t, 3)}
	g.pd = notifytest.StartPagerDuty(t)
	g.mail = notifytest.StartSMTP(t, notifytest.SMTPOptions{TLS: notifytest.SMTPStartTLS, Username: "warroom", Password: "mail-pass-1"})
	g.esc = notifytest.StartWebhook(t)
	g.cfg = fleetConfig(t, g.f)
	b, err := os.ReadFile(g.cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "interval: 2s, timeout: 1s", rigProbes, 1)
	text += fmt.Sprintf("thresholds: {ack_within: %s}\n", rigAckWithin)
	text += fmt.Sprintf(`notify:
  channels:
    - {name: pd, kind: pagerduty, routing_key: %q, url: %q}
    - {name: mail, kind: email, smtp: %q, tls: starttls, ca_file: %q, username: warroom, password: mail-pass-1,
       from: warroom@example.com, to: [oncall@example.com]}
    - {name: esc, kind: webhook, url: %q, body: '{"text": {{json .Title}}, "detail": {{json .Text}}}'}
`, g.pd.RoutingKey(), g.pd.URL(), g.mail.Addr, g.mail.CAFile, g.esc.URL())
	text += "alerting:\n  routes:\n" + routes
	if err := os.WriteFile(g.cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	appendFile(t, g.cfg, serveSection(newPerson(t, "olga", "operator")))
	g.jpath = stateDirOf(t, g.cfg) + "/journal.jsonl"
	return g
}

// run runs the binary as olga and wants exit 0 and want in its output.
func (g *pagingRig) run(t *testing.T, want string, args ...string) string {
	t.Helper()
	code, out, errOut := runBinaryAs(t, g.bin, "olga", "", append([]string{args[0], "--config", g.cfg}, args[1:]...)...)
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("warroom %s: exit %d, want 0 and %q\n%s%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out
}

// pdEvent is one event the PagerDuty stand-in accepted.
type pdEvent struct {
	at      time.Time
	action  string
	dedup   string
	payload map[string]any
	raw     map[string]any
}

func pdEvents(r *notifytest.Receiver) []pdEvent {
	var out []pdEvent
	for _, p := range r.Posts() {
		e := pdEvent{at: p.Time, raw: p.JSON}
		e.action, _ = p.JSON["event_action"].(string)
		e.dedup, _ = p.JSON["dedup_key"].(string)
		e.payload, _ = p.JSON["payload"].(map[string]any)
		out = append(out, e)
	}
	return out
}

// waitPD waits for an accepted event with action (and dedup key, unless "").
func waitPD(t *testing.T, r *notifytest.Receiver, action, dedup string, within time.Duration) pdEvent {
	t.Helper()
	var got pdEvent
	ok := pollEvery(within, 20*time.Millisecond, func() bool {
		for _, e := range pdEvents(r) {
			if e.action == action && (dedup == "" || e.dedup == dedup) {
				got = e
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("pagerduty never got %s %s within %s; it has %+v (%d requests, refused %+v)", action, dedup, within, pdEvents(r), r.Requests(), r.Rejections())
	}
	return got
}

func countPD(r *notifytest.Receiver, action, dedup string) int {
	n := 0
	for _, e := range pdEvents(r) {
		if e.action == action && e.dedup == dedup {
			n++
		}
	}
	return n
}

func countKind(t *testing.T, path, kind string) int {
	t.Helper()
	records, _ := journal.Read(path)
	n := 0
	for _, ev := range decodeEvents(t, records) {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

func waitCtx(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

const criticalRoute = `    - name: critical
      match: {severity: [critical], kind: [mirror-down]}
      receivers: [pd, mail]
      escalate: [esc]
      group_wait: 2s
      group_interval: 2s
      repeat_interval: 1h
`

// TestPagingEndToEnd: the real binary over a live fleet. Killing the
// active mirror gets the route's receivers one grouped page within
// detection + group_wait (PagerDuty's Events v2 trigger, an email read back
// with its headers); nobody acks within ack_within, so the escalation
// receiver gets it once; `warroom ack` sends PagerDuty acknowledge under
// the same dedup key and nothing escalates again; the mirror's return
// resolves it under that key, with a resolved email.
func TestPagingEndToEnd(t *testing.T) {
	g := newPagingRig(t, criticalRoute)
	rp := startRoomProcess(t, g.bin, g.cfg)
	active := g.f.Mirrors()[0].Name
	alertID := "mirror-down/" + active
	g.waitMirror(t, active, "up")

	killed := time.Now()
	g.f.Mirrors()[0].SetDown(true)
	raised := waitForRecord(t, g.jpath, "the active mirror's alert", func(ev room.Event) bool {
		return ev.Kind == room.EvAlertRaised && ev.AlertFacts().Alert == alertID
	})
	trig := waitPD(t, g.pd, notify.PageTrigger, "", 30*time.Second)
	t.Logf("kill → detection %s, detection → page at pagerduty %s (group_wait %s)",
		raised.At.Sub(killed).Round(time.Millisecond), trig.at.Sub(raised.At).Round(time.Millisecond), rigGroupWait)
	if d := trig.at.Sub(raised.At); d < rigGroupWait-100*time.Millisecond || d > rigGroupWait+10*time.Second {
		t.Errorf("paged %s after detection; want group_wait %s plus little", d, rigGroupWait)
	}
	checkTrigger(t, g, trig, active)

	if err := g.mail.Wait(waitCtx(t, 30*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	checkFiringMail(t, g.mail.Mails()[0], trig.dedup, active)

	// Unacknowledged past ack_within: escalated, once.
	if err := g.esc.Wait(waitCtx(t, 30*time.Second), 1); err != nil {
		t.Fatalf("%v\nroom:\n%s", err, rp.out.String())
	}
	escalated := waitForRecord(t, g.jpath, "the escalation", func(ev room.Event) bool { return ev.Kind == room.EvAlertEscalated })
	if f := escalated.EscalationFacts(); f.Alert != alertID || f.Route != "critical" || len(f.Receivers) != 1 || f.Receivers[0] != "esc" {
		t.Errorf("escalation facts %+v", f)
	}
	if waited := escalated.At.Sub(raised.At); waited < rigAckWithin {
		t.Errorf("escalated %s after the raise, before ack_within %s", waited, rigAckWithin)
	}
	if txt := g.esc.Posts()[0].Text(); !strings.Contains(txt, "ESCALATED") || !strings.Contains(txt, active) {
		t.Errorf("escalation message %q", txt)
	}
	st := statusAlert(t, g, alertID)
	if len(st.EscalatedTo) != 1 || st.EscalatedTo[0] != "esc" || !strings.Contains(strings.Join(st.Paged, ","), "pd") {
		t.Errorf("status shows %+v", st)
	}

	g.run(t, "acknowledged "+alertID+" as olga", "ack", alertID)
	ack := waitPD(t, g.pd, notify.PageAcknowledge, trig.dedup, 30*time.Second)
	if len(ack.raw) != 3 || ack.payload != nil {
		t.Errorf("acknowledge carries more than routing_key, event_action, dedup_key: %v", ack.raw)
	}

	g.f.Mirrors()[0].SetDown(false)
	waitPD(t, g.pd, notify.PageResolve, trig.dedup, 30*time.Second)
	if err := g.mail.Wait(waitCtx(t, 30*time.Second), 2); err != nil {
		t.Fatal(err)
	}
	resolved := g.mail.Mails()[1]
	if !strings.Contains(resolved.Subject(), "RESOLVED") || resolved.Header.Get(notify.HeaderDedupKey) != trig.dedup ||
		resolved.Header.Get("Message-ID") == g.mail.Mails()[0].Header.Get("Message-ID") {
		t.Errorf("resolved mail: subject %q, dedup %q, Message-ID %q", resolved.Subject(), resolved.Header.Get(notify.HeaderDedupKey),
			resolved.Header.Get("Message-ID"))
	}
	for _, action := range []string{notify.PageTrigger, notify.PageAcknowledge, notify.PageResolve} {
		if n := countPD(g.pd, action, trig.dedup); n != 1 {
			t.Errorf("pagerduty got %d %s events, want 1", n, action)
		}
	}
	if n, m := len(g.esc.Posts()), countKind(t, g.jpath, room.EvAlertEscalated); n != 1 || m != 1 {
		t.Errorf("escalations: %d posts, %d journaled; want exactly one", n, m)
	}
	if n := len(g.mail.Mails()); n != 2 {
		t.Errorf("%d mails; want the page and its resolution (an ack mails nobody)", n)
	}
}

func checkTrigger(t *testing.T, g *pagingRig, e pdEvent, active string) {
	t.Helper()
	p := e.payload
	if e.raw["routing_key"] != g.pd.RoutingKey() || e.raw["client"] != "warroom" || !regexp.MustCompile(`^[0-9a-f]{16}-1$`).MatchString(e.dedup) {
		t.Errorf("trigger envelope %v", e.raw)
	}
	summary, _ := p["summary"].(string)
	if !strings.HasPrefix(summary, "[FIRING 1] test-fleet") || !strings.Contains(summary, active) {
		t.Errorf("summary %q", summary)
	}
	if p["source"] != "test-fleet" || p["severity"] != "critical" || p["group"] != "critical" ||
		p["component"] != active || p["class"] != "mirror-down" {
		t.Errorf("payload %v", p)
	}
	details, _ := p["custom_details"].(map[string]any)
	if details["firing"] != "mirror-down/"+active || details["status"] != "firing" {
		t.Errorf("custom_details %v", details)
	}
}

func checkFiringMail(t *testing.T, m notifytest.Mail, dedup, active string) {
	t.Helper()
	if !strings.HasPrefix(m.Subject(), "[FIRING 1]") || !strings.Contains(m.Subject(), active) {
		t.Errorf("subject %q", m.Subject())
	}
	if !m.TLS || m.AuthUser != "warroom" || m.From != "warroom@example.com" || len(m.To) != 1 || m.To[0] != "oncall@example.com" {
		t.Errorf("mail envelope: tls %v, auth %q, from %q, to %v", m.TLS, m.AuthUser, m.From, m.To)
	}
	if got := m.Header.Get(notify.HeaderDedupKey); got != dedup {
		t.Errorf("%s %q, pagerduty's key %q", notify.HeaderDedupKey, got, dedup)
	}
	if got := m.Header.Get(notify.HeaderAlertGroup); got != "critical" {
		t.Errorf("%s %q", notify.HeaderAlertGroup, got)
	}
	// The id is the post's (a resend after a crash keeps it): warroom.<hash>@<from's domain>.
	if id := m.Header.Get("Message-ID"); !regexp.MustCompile(`^<warroom\.[0-9a-f]{24}@example\.com>$`).MatchString(id) {
		t.Errorf("Message-ID %q", id)
	}
	if body, err := m.Part("text/plain"); err != nil || !strings.Contains(body, active) {
		t.Errorf("text/plain body %q (%v)", body, err)
	}
}

// status is `warroom status --json` of the running room.
func (g *pagingRig) status(t *testing.T) statusJSON {
	t.Helper()
	_, out, errOut := runBinary(t, g.bin, "", "status", "--json", "--config", g.cfg)
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json: %v\n%s%s", err, out, errOut)
	}
	return s
}

// waitMirror waits until the room shows the mirror in state.
func (g *pagingRig) waitMirror(t *testing.T, name, state string) {
	t.Helper()
	if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
		for _, m := range g.status(t).Mirrors {
			if m.Name == name {
				return m.State == state
			}
		}
		return false
	}) {
		t.Fatalf("the room never showed %s %s", name, state)
	}
}

// statusAlert is the alert as `warroom status --json` shows it.
func statusAlert(t *testing.T, g *pagingRig, id string) room.Alert {
	t.Helper()
	s := g.status(t)
	for _, a := range s.Alerts {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("status lacks alert %s: %+v", id, s.Alerts)
	return room.Alert{}
}

// TestSilenceHoldsPagesUntilItExpires: a silence set with the real
// binary before a backup mirror dies keeps its warning from being paged
// while the alert still shows in status and the journal; the silence is
// journaled and in the report, expires by itself, and the still-firing
// alert is paged then.
func TestSilenceHoldsPagesUntilItExpires(t *testing.T) {
	g := newPagingRig(t, `    - name: warnings
      match: {severity: [warning], kind: [mirror-down]}
      receivers: [pd]
      group_wait: 1s
      group_interval: 1s
`)
	startRoomProcess(t, g.bin, g.cfg)
	backup := g.f.Mirrors()[2].Name
	alertID := "mirror-down/" + backup
	const silenceFor = 10 * time.Second // detection and group_wait fit well inside
	g.run(t, "sil-1: silenced mirror="+backup, "silence", "mirror="+backup, "--for", silenceFor.String(), "--reason", "disk swap")
	added := waitForRecord(t, g.jpath, "the silence", func(ev room.Event) bool { return ev.Kind == room.EvSilenceAdded })

	g.f.Mirrors()[2].SetDown(true)
	waitForRecord(t, g.jpath, "the backup's alert", func(ev room.Event) bool {
		return ev.Kind == room.EvAlertRaised && ev.AlertFacts().Alert == alertID
	})
	if a := statusAlert(t, g, alertID); a.Silence == nil || a.Silence.ID != "sil-1" || a.Silence.By != "olga" {
		t.Errorf("status shows the silenced alert as %+v", a)
	}
	expired := waitForRecord(t, g.jpath, "the silence ending by itself", func(ev room.Event) bool {
		return ev.Kind == room.EvSilenceExpired
	})
	if expired.Actor != "" || expired.At.Sub(added.At) < silenceFor {
		t.Errorf("expired by %q after %s; want by itself after %s", expired.Actor, expired.At.Sub(added.At), silenceFor)
	}
	page := waitPD(t, g.pd, notify.PageTrigger, "", 30*time.Second)
	if page.at.Before(expired.At) {
		t.Errorf("paged at %s, while the silence held (until %s)", page.at, expired.At)
	}
	if page.payload["component"] != backup || page.payload["severity"] != "warning" {
		t.Errorf("page payload %v", page.payload)
	}
	if n := g.pd.Requests(); n != 1 {
		t.Errorf("pagerduty saw %d requests; want the one page after the silence", n)
	}

	_, out, errOut := runBinary(t, g.bin, "", "report", "--config", g.cfg, "--format", "json")
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report --format json: %v\n%s%s", err, out, errOut)
	}
	if len(r.Silences) != 1 || r.Silences[0].By != "olga" || r.Silences[0].Reason != "disk swap" ||
		r.Silences[0].Matcher != "mirror="+backup || r.Silences[0].Ended != "expired" {
		t.Errorf("report silences %+v", r.Silences)
	}
}

// TestPageKilledWhileSendingIsUnknownNotResent: kill -9 while PagerDuty
// holds the trigger (the post is "sending"); the next room marks it
// unknown and does not send it again, so the team checks the receiver.
func TestPageKilledWhileSendingIsUnknownNotResent(t *testing.T) {
	g := newPagingRig(t, quietCriticalRoute)
	g.pd.Script(notifytest.Hang())
	rp := startRoomProcess(t, g.bin, g.cfg)
	g.f.Mirrors()[0].SetDown(true)
	sending := waitForRecord(t, g.jpath, "the page being sent", func(ev room.Event) bool { return ev.Kind == room.EvPostSending })
	if err := g.pd.WaitRequests(waitCtx(t, 30*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	rp.kill(t)

	startRoomProcess(t, g.bin, g.cfg)
	id := sending.PostFacts().ID
	waitForRecord(t, g.jpath, "the page marked unknown", func(ev room.Event) bool {
		return ev.Kind == room.EvPostUnknown && ev.PostFacts().ID == id
	})
	// The mirror's return resolves the episode: the outbox sends in order,
	// so a resent trigger would reach the stand-in before the resolve.
	g.f.Mirrors()[0].SetDown(false)
	res := waitPD(t, g.pd, notify.PageResolve, "", 30*time.Second)
	if n := g.pd.Requests(); n != 2 || len(g.pd.Posts()) != 1 {
		t.Errorf("pagerduty saw %d requests, accepted %+v; want the held trigger and the resolve only", n, pdEvents(g.pd))
	}
	if !strings.HasSuffix(res.dedup, "-1") {
		t.Errorf("resolve under %q, not the first episode's key", res.dedup)
	}
}

// TestPageRetryingWhenKilledIsDeliveredOnce: kill -9 while PagerDuty
// answered 503 and the post waits to retry; the next room sends it, and
// the stand-in accepts exactly one trigger for the episode.
func TestPageRetryingWhenKilledIsDeliveredOnce(t *testing.T) {
	g := newPagingRig(t, quietCriticalRoute)
	g.pd.Script(notifytest.Answer{Status: 503, RetryAfter: "120", Body: "upstream unavailable"})
	rp := startRoomProcess(t, g.bin, g.cfg)
	g.f.Mirrors()[0].SetDown(true)
	waitForRecord(t, g.jpath, "the page waiting to retry", func(ev room.Event) bool { return ev.Kind == room.EvPostRetrying })
	rp.kill(t)

	startRoomProcess(t, g.bin, g.cfg)
	trig := waitPD(t, g.pd, notify.PageTrigger, "", 30*time.Second)
	g.f.Mirrors()[0].SetDown(false)
	waitPD(t, g.pd, notify.PageResolve, trig.dedup, 30*time.Second)
	if n, m := countPD(g.pd, notify.PageTrigger, trig.dedup), g.pd.Requests(); n != 1 || m != 3 {
		t.Errorf("pagerduty accepted %d triggers under %s in %d requests; want 1 in 3 (503, trigger, resolve)", n, trig.dedup, m)
	}
	if n := countKind(t, g.jpath, room.EvPostUnknown); n != 0 {
		t.Errorf("%d posts unknown; a retrying post is not in flight", n)
	}
}

// quietCriticalRoute pages only PagerDuty, with no escalation.
const quietCriticalRoute = `    - name: critical
      match: {severity: [critical], kind: [mirror-down]}
      receivers: [pd]
      group_wait: 1s
      group_interval: 1s
`

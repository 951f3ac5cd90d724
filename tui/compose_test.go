package tui

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/jonboulle/clockwork"
	"github.com/muesli/termenv"

	"warroom/backends/config"
	"warroom/backends/notify"
	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
	"warroom/themes"
)

// brokenTemplate renders with an error on line 4 of its text: the field
// Extra.ticket is never set.
func brokenTemplate() config.Template {
	return config.Template{Name: "status-ticket", Lang: "en", Title: "Status of {{.Site}}",
		Text: "**Status**\n\nAffected: {{.Scope}}\nTicket: {{.Extra.ticket}}"}
}

// announceTemplates are the built-in templates plus the broken one.
func announceTemplates(t testing.TB) *notify.Templates {
	t.Helper()
	ts := notify.Builtin()
	if err := ts.Add(brokenTemplate()); err != nil {
		t.Fatal(err)
	}
	return ts
}

// announceChannels are real channels for panestest.Channels(), pointing at
// dummy URLs (a preview does no I/O), on a fixed clock. DingTalk needs
// the keyword 告警, which the English templates lack.
func announceChannels(t testing.TB) []room.Previewer {
	t.Helper()
	clock := clockwork.NewFakeClockAt(panestest.Now())
	cfgs := []config.Channel{
		{Name: "ops-slack", Kind: config.ChannelSlack, URL: "https://hooks.slack.example/services/T000/B000/secret1", Public: true},
		{Name: "ops-dingtalk", Kind: config.ChannelDingTalk, URL: "https://oapi.dingtalk.example/robot/send?access_token=secret2", Keyword: "告警"},
		{Name: "ops-wecom", Kind: config.ChannelWeCom, URL: "https://qyapi.weixin.example/cgi-bin/webhook/send?key=secret3"},
		{Name: "ops-feishu", Kind: config.ChannelFeishu, URL: "https://open.feishu.example/open-apis/bot/v2/hook/secret4"},
		{Name: "drill-slack", Kind: config.ChannelSlack, URL: "https://hooks.slack.example/services/T000/B001/secret5", Drill: true},
	}
	var out []room.Previewer
	for _, c := range cfgs {
		ch, err := notify.New(c, notify.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ch)
	}
	return out
}

// announceComposer drafts as a live room does, with announceTemplates and
// announceChannels.
func announceComposer(t testing.TB) *room.Composer {
	t.Helper()
	return room.NewComposer(announceTemplates(t), announceChannels(t))
}

// announceModel is a session over s (with channels) at w×h, on a fake room
// that drafts with the templates and channels a real room has.
func announceModel(t testing.TB, km *keymaps.Keymap, profile termenv.Profile, s *room.Snapshot, w, h int) (*Model, *fakeRoom) {
	t.Helper()
	rend := lipgloss.NewRenderer(io.Discard)
	rend.SetColorProfile(profile)
	th, err := themes.New("dark", rend)
	if err != nil {
		t.Fatal(err)
	}
	r := &fakeRoom{Composer: announceComposer(t)}
	m := New(Options{Room: r, Theme: th, Keymap: km, Actor: room.Actor{Name: "li.wei", Role: room.RoleCommander}, Snapshot: s})
	size(m, w, h)
	return m, r
}

// roomWithChannels is the fixture (tokyo down) with channels and no posts yet.
func roomWithChannels() *room.Snapshot {
	s := panestest.Snapshot()
	s.Channels = panestest.Channels()
	s.Contact, s.Cadence = "#incident-42", 30*time.Minute
	return s
}

func noAnnounce(t *testing.T, r *fakeRoom, when string) {
	t.Helper()
	if a := r.announceCalls(); len(a) != 0 {
		t.Fatalf("%s: Announce was called: %+v", when, a)
	}
}

func TestComposerPrefillsFromTheRoom(t *testing.T) {
	km := keymaps.Default()
	m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 160, 48)
	if cmd := press(m, km.Announce); cmd != nil {
		t.Fatal("opening the composer did I/O")
	}
	mustShow(t, m, "Announce: choose a template", "> investigating     investigating · en", "investigating-zh  investigating · zh",
		"resolved-zh       resolved · zh", "status-ticket     any phase · en")
	press(m, km.Confirm)
	mustShow(t, m, "Announce · investigating (investigating · en)",
		"Down mirrors      tokyo", "Regions           ap-northeast", "Contact           #incident-42",
		"Scope             1 of 8 mirrors down (tokyo) in ap-northeast",
		"Next update       14:34 UTC",
		"[x] ops-slack", "[x] ops-feishu", "[ ] drill-slack", "send to · 4 of 5 channels",
		// The live preview, rendered from the room's fields.
		"mirrors.example.org: Investigating", "**Affected:** 1 of 8 mirrors down (tokyo) in ap-northeast",
		"ctrl+s sends to 4 channels: ops-slack, ops-dingtalk, ops-wecom, ops-feishu")
	if d := cmpOf(m).draft; d.Field("DownMirrors") != "tokyo" || !strings.Contains(d.Field("Scope"), "tokyo") {
		t.Fatalf("fields not pre-filled from the room: %+v", d)
	}
	noAnnounce(t, r, "opening and choosing")
}

func TestEditingAFieldChangesThePreview(t *testing.T) {
	km := keymaps.Vim()
	m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 160, 48)
	press(m, km.Announce)
	press(m, km.Confirm)
	// Title is the first field; vim's j and k type while editing.
	press(m, km.Confirm)
	runAll(m, typeKeys(m, "tokyo mirror unreachable"))
	mustShow(t, m, "✎ Title", "Investigating — tokyo mirror unreachable") // live, before enter
	press(m, km.Confirm)
	mustShow(t, m, "> Title             tokyo mirror unreachable")
	// The Slack payload carries the new title in its header block.
	press(m, km.NextPane)
	mustShow(t, m, "preview 2/6 · ops-slack (slack)", `"text": "mirrors.example.org: Investigating — tokyo mirror`,
		"hooks.slack.example/services/REDACTED")
	if !strings.Contains(screen(m), `"type": "header"`) {
		t.Fatalf("Slack preview is not the blocks payload:\n%s", screen(m))
	}
	// Esc during an edit restores the value; the preview follows back.
	press(m, km.PrevPane)
	press(m, km.Confirm)
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	runAll(m, typeKeys(m, "oops"))
	mustShow(t, m, "Investigating — oops")
	press(m, km.Back)
	if cmpOf(m) == nil || cmpOf(m).draft.Field("Title") != "tokyo mirror unreachable" {
		t.Fatalf("esc in an edit did not restore the title: %+v", cmpOf(m))
	}
	mustShow(t, m, "Investigating — tokyo mirror unreachable")
	noAnnounce(t, r, "editing")
}

func TestDingTalkKeywordWarning(t *testing.T) {
	km := keymaps.Default()
	m, _ := announceModel(t, km, termenv.Ascii, roomWithChannels(), 160, 48)
	press(m, km.Announce)
	press(m, km.Confirm)
	mustShow(t, m, `▲ ops-dingtalk: keyword "告警" is missing`, "[x] ops-dingtalk  dingtalk · ▲ 1 warning")
	press(m, km.NextPane)
	press(m, km.NextPane)
	mustShow(t, m, "preview 3/6 · ops-dingtalk (dingtalk)", `"msgtype": "markdown"`, `▲ keyword "告警" is missing`,
		"access_token=")
	if strings.Contains(screen(m), "secret2") {
		t.Fatal("the DingTalk token is on screen")
	}
	// The Chinese template carries no keyword either, but typing it into
	// the title clears the warning.
	press(m, km.Confirm)
	runAll(m, typeKeys(m, "告警"))
	press(m, km.Confirm)
	if sc := screen(m); strings.Contains(sc, "keyword") {
		t.Fatalf("warning stays after the keyword was typed:\n%s", sc)
	}
}

func TestTemplateErrorBlocksSend(t *testing.T) {
	km := keymaps.Default()
	m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 160, 48)
	press(m, km.Announce)
	press(m, km.Bottom) // status-ticket has no phase: last
	press(m, km.Confirm)
	mustShow(t, m, "the template does not render, so nothing can be sent",
		`template "status-ticket" text line 4: field "Extra.ticket"`, "sending is blocked")
	if cmd := press(m, m.km.Send); cmd != nil {
		t.Fatal("send with a template error made a command")
	}
	mustShow(t, m, "cannot send: the template does not render")
	noAnnounce(t, r, "template error")
}

func TestEscNeverSends(t *testing.T) {
	km := keymaps.Default()
	steps := []struct {
		name string
		keys func(m *Model)
		want string
	}{
		{"template list", func(m *Model) {}, "closed · nothing was sent"},
		{"fields", func(m *Model) { press(m, km.Confirm) }, "closed · nothing was sent"},
		{"after an edit, yes", func(m *Model) {
			press(m, km.Confirm)
			press(m, km.Confirm)
			runAll(m, typeKeys(m, "x"))
			press(m, km.Confirm)
			press(m, km.Back)
			mustShow(t, m, "discard your edits? y discards")
			runAll(m, typeKeys(m, "y"))
		}, "announcement discarded · nothing was sent"},
		{"after a toggle, yes", func(m *Model) {
			press(m, km.Confirm)
			press(m, km.Bottom)
			m.Update(panestest.KeyMsg(" "))
			press(m, km.Back)
			runAll(m, typeKeys(m, "y"))
		}, "announcement discarded"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 120, 40)
			press(m, km.Announce)
			st.keys(m)
			if cmpOf(m) != nil {
				run(m, press(m, km.Back))
			}
			if cmpOf(m) != nil {
				t.Fatalf("esc did not close the composer:\n%s", screen(m))
			}
			mustShow(t, m, st.want)
			// Keys after closing go to the room, never to a composer.
			run(m, press(m, km.Confirm))
			run(m, press(m, m.km.Send))
			noAnnounce(t, r, st.name)
		})
	}
	// n keeps the edits, and the composer stays open.
	m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 120, 40)
	press(m, km.Announce)
	press(m, km.Confirm)
	press(m, km.Confirm)
	runAll(m, typeKeys(m, "x"))
	press(m, km.Confirm)
	press(m, km.Back)
	runAll(m, typeKeys(m, "n"))
	if cmpOf(m) == nil || cmpOf(m).draft.Field("Title") != "x" || cmpOf(m).discard {
		t.Fatal("n did not go back to the composer with the edit")
	}
	noAnnounce(t, r, "n at the discard prompt")
}

func TestSendCallsAnnounceOnceWithTheChosenChannels(t *testing.T) {
	km := keymaps.Default()
	s := roomWithChannels()
	m, r := announceModel(t, km, termenv.Ascii, s, 120, 40)
	press(m, km.Announce)
	press(m, km.Confirm)
	// Uncheck ops-feishu: fields, then the channels.
	for cmpOf(m).row < len(cmpOf(m).shown)+3 {
		press(m, km.Down)
	}
	m.Update(panestest.KeyMsg(" "))
	mustShow(t, m, "[ ] ops-feishu", "ctrl+s send to 3 channels")

	first := press(m, m.km.Send)
	if first == nil {
		t.Fatal("ctrl+s made no command")
	}
	mustShow(t, m, "sending to 3 channels… waiting for the room")
	if again := press(m, m.km.Send); again != nil {
		t.Fatal("a second ctrl+s while the first is in flight made another command")
	}
	run(m, first)
	calls := r.announceCalls()
	if len(calls) != 1 {
		t.Fatalf("Announce called %d times, want once", len(calls))
	}
	f := room.Prefill(s, "en")
	f.Phase = "investigating"
	title, text, err := announceTemplates(t).Render("investigating", f)
	if err != nil {
		t.Fatal(err)
	}
	a := calls[0]
	if a.Template != "investigating" || a.Phase != "investigating" || a.Title != title || a.Text != text || a.Drill ||
		strings.Join(a.Channels, ",") != "ops-slack,ops-dingtalk,ops-wecom" {
		t.Fatalf("Announce got %+v\nwant title %q and the rendered text to ops-slack, ops-dingtalk, ops-wecom", a, title)
	}
	if cmpOf(m) != nil {
		t.Fatal("the composer stayed open after the room queued the posts")
	}
	mustShow(t, m, "queued to 3 channels · delivery shows in pane 7 Announcements")
	if m.log != paneTimeline {
		t.Fatal("sending put the Announcements pane over the timeline: the outcome names its key instead")
	}
	// After sending, ctrl+s means nothing.
	if cmd := press(m, m.km.Send); cmd != nil {
		t.Fatal("ctrl+s after the composer closed made a command")
	}
}

func TestAnnounceRefusalKeepsTheComposer(t *testing.T) {
	km := keymaps.Default()
	m, r := announceModel(t, km, termenv.Ascii, roomWithChannels(), 120, 40)
	r.announceErr = errors.New("already posted: ops-slack (queued by mei at 03:00:00)")
	press(m, km.Announce)
	press(m, km.Confirm)
	run(m, press(m, m.km.Send))
	mustShow(t, m, "✖ not sent: already posted: ops-slack (queued by mei at 03:00:00)")
	if cmpOf(m) == nil || cmpOf(m).sending {
		t.Fatal("a refusal closed the composer or left it sending")
	}
	r.announceErr = nil
	run(m, press(m, m.km.Send))
	if len(r.announceCalls()) != 1 || cmpOf(m) != nil {
		t.Fatal("sending again after a refusal did not work")
	}
}

func TestAnnounceRefusedWhereItCannotWork(t *testing.T) {
	km := keymaps.Default()
	s := roomWithChannels()
	s.ReadOnly = true
	m, _ := announceModel(t, km, termenv.Ascii, s, 120, 40)
	press(m, km.Announce)
	if cmpOf(m) != nil {
		t.Fatal("composer opened in a read-only room")
	}
	mustShow(t, m, "read-only room")

	m, _ = announceModel(t, km, termenv.Ascii, panestest.Snapshot(), 120, 40) // no channels
	press(m, km.Announce)
	if cmpOf(m) != nil {
		t.Fatal("composer opened without channels")
	}
	mustShow(t, m, "announcing is not available: no channels are configured")

	// A pane typing a filter gets p as a letter.
	m, _ = announceModel(t, km, termenv.Ascii, roomWithChannels(), 120, 40)
	press(m, km.Filter)
	press(m, km.Announce)
	if cmpOf(m) != nil {
		t.Fatal("p typed into a filter opened the composer")
	}
}

func TestRetryOnAFailedPost(t *testing.T) {
	km := keymaps.Default()
	m, r := announceModel(t, km, termenv.Ascii, panestest.PostsSnapshot(), 160, 48)
	m.Update(panestest.KeyMsg("7"))
	if m.focus != panePosts {
		t.Fatalf("7 focused pane %d", m.focus)
	}
	mustShow(t, m, "[ 7 Announcements")
	if cmd := press(m, km.Retry); cmd != nil {
		t.Fatal("retry on a post being sent made a command")
	}
	for m.posts.Selected(m.snap).ID != "post-3" {
		press(m, km.Down)
	}
	mustShow(t, m, "r send again")
	cmd := press(m, km.Retry)
	if cmd == nil {
		t.Fatal("retry on a failed post made no command")
	}
	run(m, cmd)
	r.mu.Lock()
	got := append([]string(nil), r.retried...)
	r.mu.Unlock()
	if len(got) != 1 || got[0] != "li.wei:post-3" {
		t.Fatalf("RetryPost calls %v, want li.wei retrying post-3", got)
	}
	mustShow(t, m, "post-3 queued to ops-wecom again")
}

func TestHeaderCountsDownToTheNextUpdate(t *testing.T) {
	km := keymaps.Default()
	s := roomWithChannels()
	m, _ := announceModel(t, km, termenv.Ascii, s, 120, 40)
	header := func() string { return strings.SplitN(screen(m), "\n", 2)[0] }
	if strings.Contains(header(), "update") {
		t.Fatalf("countdown before any public post: %s", header())
	}
	for _, c := range []struct {
		due  time.Duration
		want string
	}{
		{18 * time.Minute, "next update in 18m"},
		{17*time.Minute + 30*time.Second, "next update in 18m"},
		{4*time.Minute + time.Second, "▲ next update in 5m"},
		{40 * time.Second, "▲ next update in 40s"},
		{0, "▲ next update due now"},
		{-(3*time.Minute + 12*time.Second), "✖ update overdue 3m"},
		{-20 * time.Second, "✖ update overdue 20s"},
	} {
		next := *s
		next.Seq++
		next.NextUpdateDue = s.At.Add(c.due)
		m.Update(SnapshotMsg{Snap: &next})
		if h := header(); !strings.Contains(h, c.want) || !strings.Contains(h, "14:04") { // short beside an escalation
			t.Fatalf("due in %s: header %q lacks %q", c.due, h, c.want)
		}
	}
	// The countdown stays on a narrow screen; the site name goes first.
	size(m, 80, 24)
	if h := header(); !strings.Contains(h, "update overdue 20s") || strings.Contains(h, "mirrors.example.org") {
		t.Fatalf("80 columns: %q", h)
	}
}

func TestOverdueIsCritical(t *testing.T) {
	km := keymaps.Default()
	s := roomWithChannels()
	s.NextUpdateDue = s.At.Add(-3 * time.Minute)
	m, _ := announceModel(t, km, termenv.ANSI256, s, 120, 40)
	head := strings.SplitN(m.View(), "\n", 2)[0]
	if !strings.Contains(head, m.th.Crit.Render("✖ update overdue 3m")) {
		t.Fatalf("overdue not in the critical style: %q", head)
	}
}

func TestComposerEverySize(t *testing.T) {
	km := keymaps.Default()
	m, _ := announceModel(t, km, termenv.ANSI256, roomWithChannels(), 120, 40)
	steps := []func(){
		func() { press(m, km.Announce) },
		func() { press(m, km.Confirm) },
		func() { press(m, km.NextPane) },
		func() { press(m, km.Confirm); runAll(m, typeKeys(m, "影响范围 wide text")) },
	}
	for _, step := range steps {
		step()
		for w := 1; w <= 200; w += 9 {
			for h := 1; h <= 60; h += 4 {
				size(m, w, h)
				out := m.View()
				if n := strings.Count(out, "\n") + 1; n > h {
					t.Fatalf("%dx%d: %d lines: taller than the window", w, h, n)
				}
				if w >= minWidth && h >= minHeight {
					for i, l := range strings.Split(out, "\n") {
						if lw := lipgloss.Width(l); lw != w {
							t.Fatalf("%dx%d: line %d is %d wide:\n%s", w, h, i, lw, plain(out))
						}
					}
				}
			}
		}
	}
}

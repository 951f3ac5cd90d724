package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

func TestSlackPayloadBlocksAndFallback(t *testing.T) {
	r := notifytest.StartSlack(t)
	ch := newChannel(t, config.Channel{Kind: "slack", URL: r.URL(), Mentions: config.Mentions{All: true}}, nil)
	if err := ch.Send(testCtx(t), samplePost); err != nil {
		t.Fatal(err)
	}
	got := only(t, r)
	blocks := path(got.JSON, "blocks").([]any)
	if path(blocks, 0, "type") != "header" || path(blocks, 0, "text", "text") != "告警 Mirror outage" {
		t.Errorf("first block is not the title header: %v", blocks[0])
	}
	var sections []string
	for _, b := range blocks[1:] {
		if path(b, "type") != "section" || path(b, "text", "type") != "mrkdwn" {
			t.Fatalf("block %v is not a mrkdwn section", b)
		}
		sections = append(sections, path(b, "text", "text").(string))
	}
	want := []string{
		"<!channel> We are investigating *slow downloads* in Asia.",
		"• tokyo-1 is down\n• sg-2 lags 3h",
		"Status page: <https://status.example.org|status> &amp; &lt;more&gt;",
	}
	if strings.Join(sections, "|") != strings.Join(want, "|") {
		t.Errorf("sections:\n%q\nwant\n%q", sections, want)
	}
	if fb, _ := path(got.JSON, "text").(string); !strings.HasPrefix(fb, "告警 Mirror outage\n") || !strings.Contains(fb, "*slow downloads*") {
		t.Errorf("fallback text %q does not carry the post", fb)
	}
	// Payload is exactly what was sent.
	p, err := ch.Payload(samplePost)
	if err != nil || string(p) != string(got.Body) {
		t.Errorf("Payload differs from the body sent:\n%s\n%s (%v)", p, got.Body, err)
	}
}

func TestDingTalkSignedMarkdownWithMentions(t *testing.T) {
	r := notifytest.StartDingTalk(t, "SECdingtalk-secret", "告警")
	ch := newChannel(t, config.Channel{Kind: "dingtalk", URL: r.URL(), Secret: "SECdingtalk-secret", Keyword: "告警",
		Mentions: config.Mentions{Mobiles: []string{"13800000001"}, UserIDs: []string{"manager42"}}}, nil)
	if err := ch.Send(testCtx(t), samplePost); err != nil {
		t.Fatal(err)
	}
	got := only(t, r)
	if got.Query.Get("timestamp") == "" || got.Query.Get("sign") == "" {
		t.Errorf("signed robot got no timestamp/sign: %v", got.Query)
	}
	if path(got.JSON, "msgtype") != "markdown" || path(got.JSON, "markdown", "title") != "告警 Mirror outage" {
		t.Errorf("not a markdown message with the title: %s", got.Body)
	}
	text, _ := path(got.JSON, "markdown", "text").(string)
	for _, want := range []string{"#### 告警 Mirror outage", "**slow downloads**", "- tokyo-1 is down", "[status](https://status.example.org)", "@13800000001", "@manager42"} {
		if !strings.Contains(text, want) {
			t.Errorf("markdown text lacks %q:\n%s", want, text)
		}
	}
	if path(got.JSON, "at", "atMobiles", 0) != "13800000001" || path(got.JSON, "at", "atUserIds", 0) != "manager42" {
		t.Errorf("at object: %v", path(got.JSON, "at"))
	}
}

func TestDingTalkTextFormatAtAll(t *testing.T) {
	r := notifytest.StartDingTalk(t, "", "")
	ch := newChannel(t, config.Channel{Kind: "dingtalk", URL: r.URL(), Format: "text", Mentions: config.Mentions{All: true}}, nil)
	if err := ch.Send(testCtx(t), samplePost); err != nil {
		t.Fatal(err)
	}
	got := only(t, r)
	c, _ := path(got.JSON, "text", "content").(string)
	if path(got.JSON, "msgtype") != "text" || !strings.Contains(c, "• tokyo-1 is down") || !strings.Contains(c, "status (https://status.example.org)") || strings.Contains(c, "**") {
		t.Errorf("text content:\n%s", c)
	}
	if path(got.JSON, "at", "isAtAll") != true || !strings.HasSuffix(c, "@all") {
		t.Errorf("at all: %s", got.Body)
	}
}

// A DingTalk robot must reject a Feishu-style signature, and the error is
// DingTalk's own and final.
func TestDingTalkRejectsWrongSignature(t *testing.T) {
	clock := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartDingTalk(t, "right-secret", "")
	r.UseClock(clock)
	ch := newChannel(t, config.Channel{Kind: "dingtalk", URL: r.URL(), Secret: "wrong-secret"}, clock)
	e := mustErr(t, ch.Send(testCtx(t), samplePost))
	if e.Code != "310000" || e.Retryable || !strings.Contains(e.Error(), "dingtalk: errcode 310000: sign not match") {
		t.Errorf("wrong secret gave %+v (%v)", e, e)
	}
	// Feishu's algorithm with the right secret fails as well.
	_, fsSign := feishuSign("right-secret", clock.Now())
	u := r.URL() + "&timestamp=" + itoa(clock.Now().UnixMilli()) + "&sign=" + url.QueryEscape(fsSign)
	if code := postCode(t, u, `{"msgtype":"text","text":{"content":"x"}}`, "errcode"); code != 310000 {
		t.Errorf("Feishu-style sign to DingTalk: errcode %d, want 310000", code)
	}
	// So does a right sign left unencoded: DingTalk reads its '+' as ' '.
	for i := 0; i < 200; i++ {
		ts, sign := dingTalkSign("right-secret", clock.Now().Add(time.Duration(i)*time.Millisecond))
		if !strings.Contains(sign, "+") {
			continue
		}
		raw := r.URL() + "&timestamp=" + ts + "&sign=" + sign
		if code := postCode(t, raw, `{"msgtype":"text","text":{"content":"x"}}`, "errcode"); code != 310000 {
			t.Errorf("unencoded sign %q: errcode %d, want 310000", sign, code)
		}
		break
	}
	// A timestamp more than an hour old is refused.
	old := clockwork.NewFakeClockAt(fixedNow.Add(-61 * 60e9))
	stale := newChannel(t, config.Channel{Kind: "dingtalk", URL: r.URL(), Secret: "right-secret"}, old)
	if e := mustErr(t, stale.Send(testCtx(t), samplePost)); e.Code != "310000" || !strings.Contains(e.Text, "timestamp") {
		t.Errorf("stale timestamp: %v", e)
	}
	good := newChannel(t, config.Channel{Kind: "dingtalk", URL: r.URL(), Secret: "right-secret"}, clock)
	if err := good.Send(testCtx(t), samplePost); err != nil {
		t.Errorf("right secret: %v", err)
	}
}

// A Feishu bot must reject a DingTalk-style signature (the usual mix-up).
func TestFeishuRejectsDingTalkStyleSignature(t *testing.T) {
	clock := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartFeishu(t, "fs-secret")
	r.UseClock(clock)
	ts := itoa(clock.Now().Unix())
	m := hmac.New(sha256.New, []byte("fs-secret"))
	m.Write([]byte(ts + "\n" + "fs-secret"))
	dtStyle := base64.StdEncoding.EncodeToString(m.Sum(nil))
	body := `{"timestamp":"` + ts + `","sign":"` + dtStyle + `","msg_type":"text","content":{"text":"hello"}}`
	if code := postCode(t, r.URL(), body, "code"); code != 19021 {
		t.Errorf("DingTalk-style sign to Feishu: code %d, want 19021", code)
	}
	// Through the channel with a wrong secret: Feishu's own words, final.
	bad := newChannel(t, config.Channel{Kind: "feishu", URL: r.URL(), Secret: "other"}, clock)
	e := mustErr(t, bad.Send(testCtx(t), samplePost))
	if e.Code != "19021" || e.Retryable || e.Error() != "feishu: code 19021: sign match fail or timestamp is not within one hour from current time" {
		t.Errorf("wrong secret: %v %+v", e, e)
	}
	if len(r.Posts()) != 0 {
		t.Fatal("receiver accepted a badly signed post")
	}
}

func TestFeishuFormats(t *testing.T) {
	clock := clockwork.NewFakeClockAt(fixedNow)
	r := notifytest.StartFeishu(t, "fs-secret")
	r.UseClock(clock)
	r.RequireKeyword("告警")
	for _, format := range []string{"card", "post", "text"} {
		ch := newChannel(t, config.Channel{Name: "fs-" + format, Kind: "feishu", URL: r.URL(), Secret: "fs-secret", Keyword: "告警", Format: format,
			Mentions: config.Mentions{All: true}}, clock)
		if err := ch.Send(testCtx(t), Post{ID: "d", Title: samplePost.Title, Text: samplePost.Text + "\n\n---\n\nsecond part", Drill: true}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
	}
	ps := r.Posts()
	if len(ps) != 3 {
		t.Fatalf("accepted %d posts, want 3", len(ps))
	}
	card, post, text := ps[0].JSON, ps[1].JSON, ps[2].JSON
	if path(card, "msg_type") != "interactive" || path(card, "card", "header", "title", "content") != "[DRILL] 告警 Mirror outage" {
		t.Errorf("card: %s", ps[0].Body)
	}
	if path(card, "card", "elements", 1, "tag") != "hr" || !strings.Contains(path(card, "card", "elements", 2, "content").(string), "<at id=all></at>") {
		t.Errorf("card elements: %v", path(card, "card", "elements"))
	}
	if path(card, "timestamp") != itoa(fixedNow.Unix()) {
		t.Errorf("card timestamp %v, want seconds %d", path(card, "timestamp"), fixedNow.Unix())
	}
	if path(post, "msg_type") != "post" || path(post, "content", "post", "zh_cn", "title") != "[DRILL] 告警 Mirror outage" {
		t.Errorf("post: %s", ps[1].Body)
	}
	if path(post, "content", "post", "zh_cn", "content", 0, 1, "style", 0) != "bold" {
		t.Errorf("post first row: %v", path(post, "content", "post", "zh_cn", "content", 0))
	}
	if tx, _ := path(text, "content", "text").(string); !strings.HasPrefix(tx, "[DRILL] 告警") || !strings.Contains(tx, "[DRILL] We are") || !strings.Contains(tx, `<at user_id="all">`) {
		t.Errorf("text: %s", tx)
	}
	// Payload shows the body without a usable signature.
	ch := newChannel(t, config.Channel{Kind: "feishu", URL: r.URL(), Secret: "fs-secret"}, clock)
	p, _ := ch.Payload(samplePost)
	if !strings.Contains(string(p), `"sign":"REDACTED"`) || !strings.Contains(string(p), `"timestamp":"`+itoa(fixedNow.Unix())+`"`) {
		t.Errorf("payload: %s", p)
	}
}

func TestWeComMarkdownAndTextMentions(t *testing.T) {
	r := notifytest.StartWeCom(t)
	md := newChannel(t, config.Channel{Name: "md", Kind: "wecom", URL: r.URL(), Mentions: config.Mentions{UserIDs: []string{"zhangsan"}}}, nil)
	tx := newChannel(t, config.Channel{Name: "tx", Kind: "wecom", URL: r.URL(), Format: "text", Mentions: config.Mentions{All: true, Mobiles: []string{"13800000002"}}}, nil)
	for _, ch := range []Channel{md, tx} {
		if err := ch.Send(testCtx(t), samplePost); err != nil {
			t.Fatalf("%s: %v", ch.Name(), err)
		}
	}
	ps := r.Posts()
	if c, _ := path(ps[0].JSON, "markdown", "content").(string); path(ps[0].JSON, "msgtype") != "markdown" || !strings.HasPrefix(c, "## 告警 Mirror outage") || !strings.HasSuffix(c, "<@zhangsan>") {
		t.Errorf("markdown: %s", ps[0].Body)
	}
	if path(ps[1].JSON, "text", "mentioned_list", 0) != "@all" || path(ps[1].JSON, "text", "mentioned_mobile_list", 0) != "13800000002" {
		t.Errorf("text mentions: %s", ps[1].Body)
	}
	// Over the byte limit: warned before, refused by WeCom with its code.
	long := Post{ID: "l", Title: "t", Text: strings.Repeat("长", 1500)} // 4500 bytes
	if w := md.Warnings(long); len(w) == 0 || !strings.Contains(w[0], "4096") {
		t.Errorf("warnings for a 4500-byte markdown: %q", w)
	}
	e := mustErr(t, md.Send(testCtx(t), long))
	if e.Code != "40058" || e.Retryable {
		t.Errorf("too long: %v", e)
	}
	if w := tx.Warnings(Post{ID: "m", Text: strings.Repeat("x", 2100)}); len(w) == 0 || !strings.Contains(w[0], "2048") {
		t.Errorf("warnings for a 2100-byte text: %q", w)
	}
}

func TestWebhookTemplateAndHeaders(t *testing.T) {
	r := notifytest.StartWebhook(t)
	ch := newChannel(t, config.Channel{Kind: "webhook", URL: r.URL(),
		Body:    `{"summary": {{json .Title}}, "details": {{json .Plain}}, "ids": {{json .IDs}}}`,
		Headers: map[string]string{"Authorization": "Bearer hdr-secret"}}, nil)
	if err := ch.Send(testCtx(t), samplePost); err != nil {
		t.Fatal(err)
	}
	got := only(t, r)
	if got.Header.Get("Authorization") != "Bearer hdr-secret" || path(got.JSON, "summary") != samplePost.Title || path(got.JSON, "ids", 0) != "p1" {
		t.Errorf("webhook got %s %v", got.Body, got.Header)
	}
	if d, _ := path(got.JSON, "details").(string); strings.Contains(d, "**") {
		t.Errorf("plain details keep markup: %q", d)
	}
	_, err := New(config.Channel{Name: "bad", Kind: "webhook", URL: r.URL(), Body: `{"text": {{.Text}}}`, Line: 7}, Options{})
	if err == nil || !strings.Contains(err.Error(), `channel "bad" (line 7)`) || !strings.Contains(err.Error(), "does not produce JSON") {
		t.Errorf("a body template that does not make JSON: %v", err)
	}
	_, err = New(config.Channel{Name: "bad2", Kind: "webhook", URL: r.URL(), Body: `{"text": {{json .Nope}}}`}, Options{})
	if err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("a body template naming a missing field: %v", err)
	}
}

func TestKeywordCheckedBeforeSending(t *testing.T) {
	r := notifytest.StartDingTalk(t, "", "告警")
	ch := newChannel(t, config.Channel{Kind: "dingtalk", URL: r.URL(), Keyword: "告警"}, nil)
	p := Post{ID: "k", Title: "Mirror outage", Text: "no keyword here"}
	if w := ch.Warnings(p); len(w) != 1 || !strings.Contains(w[0], `keyword "告警" is missing`) {
		t.Errorf("warnings: %q", w)
	}
	e := mustErr(t, ch.Send(testCtx(t), p))
	if e.Retryable || !strings.Contains(e.Error(), `keyword "告警" is missing`) || r.Requests() != 0 {
		t.Errorf("send without keyword: %v, %d requests reached the robot", e, r.Requests())
	}
	// The robot itself refuses a post without it, in DingTalk's words.
	if code := postCode(t, r.URL(), `{"msgtype":"text","text":{"content":"no keyword"}}`, "errcode"); code != 310000 {
		t.Errorf("robot answered errcode %d without the keyword, want 310000", code)
	}
	if len(ch.Warnings(samplePost)) != 0 {
		t.Errorf("warnings for a post with the keyword: %q", ch.Warnings(samplePost))
	}
}

func TestWarningsForPlatformLimits(t *testing.T) {
	r := notifytest.StartSlack(t)
	slack := newChannel(t, config.Channel{Kind: "slack", URL: r.URL()}, nil)
	many := Post{ID: "m", Title: "t", Text: strings.Repeat("paragraph\n\n", 60)}
	w := slack.Warnings(many)
	if len(w) != 1 || !strings.Contains(w[0], "61 blocks") || !strings.Contains(w[0], "50") {
		t.Errorf("60 paragraphs: %q", w)
	}
	e := mustErr(t, slack.Send(testCtx(t), many))
	if e.Status != 400 || e.Text != "invalid_blocks" || e.Retryable {
		t.Errorf("61 blocks: Slack said %+v; want HTTP 400 invalid_blocks kept as the text", e)
	}
	long := Post{ID: "l", Title: strings.Repeat("T", 200), Text: strings.Repeat("word ", 1000)}
	w = slack.Warnings(long)
	if len(w) != 2 || !strings.Contains(w[0], "150") || !strings.Contains(w[1], "split") {
		t.Errorf("long title and paragraph: %q", w)
	}
	if err := slack.Send(testCtx(t), long); err != nil {
		t.Errorf("a long paragraph is split into valid sections, yet: %v", err)
	}
	dt := notifytest.StartDingTalk(t, "", "")
	d := newChannel(t, config.Channel{Kind: "dingtalk", URL: dt.URL()}, nil)
	if w := d.Warnings(Post{ID: "x", Title: "t", Text: strings.Repeat("字", 7000)}); len(w) != 1 || !strings.Contains(w[0], "20000") {
		t.Errorf("21000-byte DingTalk message: %q", w)
	}
	if w := d.Warnings(Post{ID: "e"}); len(w) != 1 || !strings.Contains(w[0], "no title and no text") {
		t.Errorf("empty post: %q", w)
	}
}

func TestDrillPrefixInEveryPayload(t *testing.T) {
	dr := Post{ID: "d", Title: "Mirror outage", Text: "body", Drill: true}
	for _, kind := range []string{"slack", "dingtalk", "wecom", "feishu", "webhook"} {
		for _, format := range formats[kind] {
			if kind == "slack" || kind == "webhook" {
				format = ""
			}
			ch := newChannel(t, config.Channel{Kind: kind, URL: "https://example.invalid/x/y/z/w/v", Format: format}, nil)
			p, err := ch.Payload(dr)
			if err != nil {
				t.Fatal(err)
			}
			s := string(p)
			if strings.Count(s, "[DRILL] Mirror outage") == 0 || strings.Count(s, "[DRILL] body") == 0 {
				t.Errorf("%s/%s payload lacks the drill prefix on title and text: %s", kind, format, s)
			}
		}
	}
}

func TestSecretsNeverShown(t *testing.T) {
	ctx := testCtx(t)
	recv := map[string]*notifytest.Receiver{
		"slack":    notifytest.StartSlack(t),
		"dingtalk": notifytest.StartDingTalk(t, "SECRET-dt-777", ""),
		"wecom":    notifytest.StartWeCom(t),
		"feishu":   notifytest.StartFeishu(t, "SECRET-fs-888"),
		"webhook":  notifytest.StartWebhook(t),
	}
	secrets := map[string]string{"dingtalk": "SECRET-dt-777", "feishu": "SECRET-fs-888"}
	for kind, r := range recv {
		ch := newChannel(t, config.Channel{Kind: kind, URL: r.URL(), Secret: secrets[kind]}, nil)
		check := func(what, s string) {
			if strings.Contains(s, r.Token()) || (secrets[kind] != "" && strings.Contains(s, secrets[kind])) {
				t.Errorf("%s %s shows a secret: %s", kind, what, s)
			}
		}
		check("target", ch.Target())
		if !strings.Contains(ch.Target(), "REDACTED") {
			t.Errorf("%s target %q does not say what was masked", kind, ch.Target())
		}
		p, _ := ch.Payload(samplePost)
		check("payload", string(p))
		r.Script(notifytest.Reset())
		e := mustErr(t, ch.Send(ctx, samplePost))
		check("network error", e.Error())
		if !e.Retryable || e.Status != 0 || !strings.Contains(e.Error(), "post to "+ch.Target()) {
			t.Errorf("%s reset: %+v", kind, e)
		}
		r.Script(notifytest.ServerError(502))
		check("HTTP error", mustErr(t, ch.Send(ctx, samplePost)).Error())
	}
	// A closed receiver: connection refused, named by the masked target.
	r := notifytest.StartWeCom(t)
	ch := newChannel(t, config.Channel{Kind: "wecom", URL: r.URL()}, nil)
	r.Close()
	e := mustErr(t, ch.Send(ctx, samplePost))
	if !e.Retryable || strings.Contains(e.Error(), r.Token()) || !strings.Contains(e.Error(), "refused") {
		t.Errorf("closed receiver: %v", e)
	}
}

// postCode posts body to u and returns the platform code in field.
func postCode(t *testing.T, u, body, field string) int {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	f, _ := m[field].(float64)
	return int(f)
}

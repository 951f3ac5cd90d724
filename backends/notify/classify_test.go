package notify

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

// Each kind of failure, as each platform answers it, is classified as the
// dispatcher needs: retry or final, with the platform's own words.
func TestErrorClassification(t *testing.T) {
	clock := clockwork.NewFakeClockAt(fixedNow)
	recv := map[string]*notifytest.Receiver{
		"slack":    notifytest.StartSlack(t),
		"dingtalk": notifytest.StartDingTalk(t, "", ""),
		"wecom":    notifytest.StartWeCom(t),
		"feishu":   notifytest.StartFeishu(t, ""),
		"webhook":  notifytest.StartWebhook(t),
	}
	cases := []struct {
		kind       string
		answer     notifytest.Answer
		status     int
		code       string
		retryable  bool
		retryAfter time.Duration
		msg        string // the whole Error()
	}{
		{"slack", notifytest.RateLimited("30"), 429, "", true, 30 * time.Second, "slack: HTTP 429: rate_limited"},
		{"slack", notifytest.RateLimited(fixedNow.Add(45 * time.Second).Format(http.TimeFormat)), 429, "", true, 45 * time.Second, "slack: HTTP 429: rate_limited"},
		{"slack", notifytest.RateLimited(""), 429, "", true, 0, "slack: HTTP 429: rate_limited"},
		{"slack", notifytest.ServerError(503), 503, "", true, 0, "slack: HTTP 503: upstream unavailable"},
		{"slack", notifytest.Answer{Status: 404, Body: "no_service"}, 404, "", false, 0, "slack: HTTP 404: no_service"},
		{"slack", notifytest.Answer{Status: 403, Body: "action_prohibited"}, 403, "", false, 0, "slack: HTTP 403: action_prohibited"},
		{"slack", notifytest.Reset(), 0, "", true, 0, ""},
		{"dingtalk", notifytest.PlatformError(130101, "send too fast, exceed 20 times per minute"), 200, "130101", true, 0, "dingtalk: errcode 130101: send too fast, exceed 20 times per minute"},
		{"dingtalk", notifytest.PlatformError(310000, "keywords not in content"), 200, "310000", false, 0, "dingtalk: errcode 310000: keywords not in content"},
		{"dingtalk", notifytest.PlatformError(300001, "token is not exist"), 200, "300001", false, 0, "dingtalk: errcode 300001: token is not exist"},
		{"dingtalk", notifytest.ServerError(502), 502, "", true, 0, "dingtalk: HTTP 502: upstream unavailable"},
		{"dingtalk", notifytest.Answer{Body: "<html>proxy login</html>"}, 200, "", false, 0, "dingtalk: answer is not the platform's JSON (<html>proxy login</html>); check the URL"},
		{"wecom", notifytest.PlatformError(45009, "api freq out of limit"), 200, "45009", true, 0, "wecom: errcode 45009: api freq out of limit"},
		{"wecom", notifytest.PlatformError(93000, "invalid webhook url"), 200, "93000", false, 0, "wecom: errcode 93000: invalid webhook url"},
		{"wecom", notifytest.Answer{Status: 429, RetryAfter: "12", Body: "slow down"}, 429, "", true, 12 * time.Second, "wecom: HTTP 429: slow down"},
		{"feishu", notifytest.PlatformError(9499, "too many request"), 200, "9499", true, 0, "feishu: code 9499: too many request"},
		{"feishu", notifytest.PlatformError(11232, "frequency limited"), 200, "11232", true, 0, "feishu: code 11232: frequency limited"},
		{"feishu", notifytest.PlatformError(19024, "Key Words Not Found"), 200, "19024", false, 0, "feishu: code 19024: Key Words Not Found"},
		{"feishu", notifytest.Reset(), 0, "", true, 0, ""},
		{"webhook", notifytest.Answer{Status: 400, Body: `{"error":"bad field"}`}, 400, "", false, 0, `webhook: HTTP 400: {"error":"bad field"}`},
		{"webhook", notifytest.ServerError(500), 500, "", true, 0, "webhook: HTTP 500: upstream unavailable"},
	}
	for _, c := range cases {
		r := recv[c.kind]
		ch := newChannel(t, config.Channel{Kind: c.kind, URL: r.URL()}, clock)
		r.Script(c.answer)
		e := mustErr(t, ch.Send(testCtx(t), samplePost))
		name := c.kind + " " + c.msg
		if e.Status != c.status || e.Code != c.code || e.Retryable != c.retryable || e.RetryAfter != c.retryAfter {
			t.Errorf("%s: got status %d code %q retryable %v after %v (%v)", name, e.Status, e.Code, e.Retryable, e.RetryAfter, e)
		}
		if c.msg != "" && e.Error() != c.msg {
			t.Errorf("%s: message %q", name, e.Error())
		}
		if c.msg == "" && !strings.HasPrefix(e.Error(), c.kind+": post to ") {
			t.Errorf("%s: network error reads %q", name, e.Error())
		}
		if e.Channel != ch.Name() {
			t.Errorf("%s: channel %q", name, e.Channel)
		}
	}
}

// A request that outlives the client's timeout is a retryable network error.
func TestTimeoutIsRetryable(t *testing.T) {
	r := notifytest.StartWebhook(t)
	r.Script(notifytest.Hang())
	ch := newChannel(t, config.Channel{Kind: "webhook", URL: r.URL(), Timeout: 50 * time.Millisecond}, nil)
	e := mustErr(t, ch.Send(testCtx(t), samplePost))
	if !e.Retryable || e.Status != 0 || !strings.Contains(e.Error(), "Timeout") {
		t.Errorf("hung request: %+v (%v)", e, e)
	}
}

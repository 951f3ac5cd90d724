package notifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// send posts body and returns the status, Retry-After and decoded answer.
func send(t *testing.T, u, body string) (int, string, map[string]any, string) {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, resp.Header.Get("Retry-After"), m, string(raw)
}

func TestEnforcedLimitsAnswerLikeThePlatform(t *testing.T) {
	start := time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		r      *Receiver
		body   string
		burst  int // accepted before the first refusal
		refuse func(status int, retry string, m map[string]any, raw string) bool
		after  time.Duration // when one more is accepted again
	}{
		{"slack 1/s", StartSlack(t), `{"text":"x"}`, 1,
			func(s int, retry string, _ map[string]any, raw string) bool {
				return s == 429 && retry == "1" && raw == "rate_limited"
			},
			time.Second},
		{"dingtalk 20/min, then locked 10 min", StartDingTalk(t, "", ""), `{"msgtype":"text","text":{"content":"x"}}`, 20,
			func(s int, _ string, m map[string]any, _ string) bool { return s == 200 && m["errcode"] == 130101.0 },
			10 * time.Minute},
		{"wecom 20/min", StartWeCom(t), `{"msgtype":"text","text":{"content":"x"}}`, 20,
			func(s int, _ string, m map[string]any, _ string) bool { return s == 200 && m["errcode"] == 45009.0 },
			time.Minute},
		{"feishu 5/s", StartFeishu(t, ""), `{"msg_type":"text","content":{"text":"x"}}`, 5,
			func(s int, _ string, m map[string]any, _ string) bool { return s == 200 && m["code"] == 11232.0 },
			time.Second},
	}
	for _, c := range cases {
		fc := clockwork.NewFakeClockAt(start)
		c.r.EnforceLimits(fc)
		for i := 0; i < c.burst; i++ {
			if s, _, m, raw := send(t, c.r.URL(), c.body); s != 200 || (m != nil && (m["errcode"] != nil && m["errcode"] != 0.0 || m["code"] != nil && m["code"] != 0.0)) {
				t.Fatalf("%s: request %d refused: %d %s", c.name, i+1, s, raw)
			}
		}
		s, retry, m, raw := send(t, c.r.URL(), c.body)
		if !c.refuse(s, retry, m, raw) {
			t.Errorf("%s: over the limit answered %d Retry-After %q %s", c.name, s, retry, raw)
		}
		fc.Advance(c.after - time.Millisecond)
		if s, _, m, raw := send(t, c.r.URL(), c.body); !c.refuse(s, "", m, raw) && !c.refuse(s, "1", m, raw) {
			t.Errorf("%s: accepted %v before the window freed: %d %s", c.name, c.after-time.Millisecond, s, raw)
		}
		fc.Advance(time.Millisecond)
		if s, _, _, raw := send(t, c.r.URL(), c.body); s != 200 || strings.Contains(raw, "limit") || strings.Contains(raw, "fast") {
			t.Errorf("%s: refused after %v: %d %s", c.name, c.after, s, raw)
		}
		if c.r.RateRejected() != 2 || len(c.r.Posts()) != c.burst+1 {
			t.Errorf("%s: %d rate refusals and %d posts recorded", c.name, c.r.RateRejected(), len(c.r.Posts()))
		}
	}
}

func TestFeishuHundredPerMinute(t *testing.T) {
	fc := clockwork.NewFakeClockAt(time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC))
	r := StartFeishu(t, "")
	r.EnforceLimits(fc)
	body := `{"msg_type":"text","content":{"text":"x"}}`
	for i := 0; i < 100; i++ {
		if _, _, m, raw := send(t, r.URL(), body); m["code"] != 0.0 {
			t.Fatalf("post %d refused: %s", i+1, raw)
		}
		fc.Advance(500 * time.Millisecond) // 2/s: under 5/s
	}
	// 100 in the last 50 s: the 101st within the minute is refused.
	if _, _, m, raw := send(t, r.URL(), body); m["code"] != 9499.0 {
		t.Errorf("101st in a minute: %s", raw)
	}
}

func TestScriptedAnswersAndShapeChecks(t *testing.T) {
	r := StartWeCom(t)
	r.Script(RateLimited("9"), ServerError(503), PlatformError(45009, "api freq out of limit"))
	body := `{"msgtype":"markdown","markdown":{"content":"x"}}`
	if s, retry, _, _ := send(t, r.URL(), body); s != 429 || retry != "9" {
		t.Errorf("scripted 429: %d %q", s, retry)
	}
	if s, _, _, _ := send(t, r.URL(), body); s != 503 {
		t.Errorf("scripted 503: %d", s)
	}
	if _, _, m, _ := send(t, r.URL(), body); m["errcode"] != 45009.0 {
		t.Errorf("scripted 45009: %v", m)
	}
	if _, _, m, _ := send(t, r.URL(), `{"msgtype":"news"}`); m["errcode"] != 40008.0 {
		t.Errorf("unknown msgtype: %v", m)
	}
	if _, _, m, _ := send(t, strings.Replace(r.URL(), "key=", "key=x", 1), body); m["errcode"] != 93000.0 {
		t.Errorf("wrong key: %v", m)
	}
	if _, _, m, _ := send(t, r.URL(), body); m["errcode"] != 0.0 || len(r.Posts()) != 1 {
		t.Errorf("good post: %v", m)
	}
	s := StartSlack(t)
	if st, _, _, raw := send(t, s.URL(), `{"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"`+strings.Repeat("x", 3001)+`"}}]}`); st != 400 || raw != "invalid_blocks" {
		t.Errorf("3001-char section: %d %s", st, raw)
	}
	if st, _, _, raw := send(t, s.URL(), `{}`); st != 400 || raw != "no_text" {
		t.Errorf("empty message: %d %s", st, raw)
	}
}

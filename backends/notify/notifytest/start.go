package notifytest

import "testing"

func start(t testing.TB, kind string, o Options) *Receiver {
	t.Helper()
	r, err := New(kind, o)
	if err != nil {
		t.Fatalf("start %s receiver: %v", kind, err)
	}
	t.Cleanup(r.Close)
	return r
}

// StartSlack starts a Slack incoming-webhook receiver, closed with t.
func StartSlack(t testing.TB) *Receiver { return start(t, KindSlack, Options{}) }

// StartDingTalk starts a DingTalk custom robot; secret "" = unsigned,
// keyword "" = no keyword required.
func StartDingTalk(t testing.TB, secret, keyword string) *Receiver {
	return start(t, KindDingTalk, Options{Secret: secret, Keyword: keyword})
}

// StartWeCom starts a WeCom group robot.
func StartWeCom(t testing.TB) *Receiver { return start(t, KindWeCom, Options{}) }

// StartFeishu starts a Feishu custom bot; secret "" = unsigned. Use
// RequireKeyword for a keyword-protected bot.
func StartFeishu(t testing.TB, secret string) *Receiver {
	return start(t, KindFeishu, Options{Secret: secret})
}

// StartWebhook starts a generic JSON webhook.
func StartWebhook(t testing.TB) *Receiver { return start(t, KindWebhook, Options{}) }

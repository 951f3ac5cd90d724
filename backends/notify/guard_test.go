package notify

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"warroom/backends/config"
)

// echoServer answers every post with its own URL (the token in it) and
// terminal controls: a misbehaving platform or proxy.
func echoServer(t *testing.T, status int, robot bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := fmt.Sprintf("no route for http://%s%s \x1b[2J\x1b]0;pwned\x07 auth=%s", r.Host, r.URL.RequestURI(), r.Header.Get("Authorization"))
		w.WriteHeader(status)
		if robot {
			fmt.Fprintf(w, `{"errcode":310000,"errmsg":%q,"code":19021,"msg":%q}`, echo, echo)
			return
		}
		fmt.Fprint(w, echo)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestErrorsNeverEchoTheChannelsSecretsOrControls(t *testing.T) {
	ctx := testCtx(t)
	const tok = "Tok3n-9f8e7d"
	paths := map[string]string{
		config.ChannelSlack:    "/services/T01/B02/" + tok,
		config.ChannelDingTalk: "/robot/send?access_token=" + tok,
		config.ChannelWeCom:    "/cgi-bin/webhook/send?key=" + tok,
		config.ChannelFeishu:   "/open-apis/bot/v2/hook/" + tok,
		config.ChannelWebhook:  "/hooks/" + tok,
	}
	for kind, p := range paths {
		for _, robot := range []bool{false, true} {
			if robot && (kind == config.ChannelSlack || kind == config.ChannelWebhook) {
				continue
			}
			status := http.StatusInternalServerError
			if robot {
				status = http.StatusOK
			}
			srv := echoServer(t, status, robot)
			c := config.Channel{Name: kind, Kind: kind, URL: srv.URL + p}
			if kind == config.ChannelWebhook {
				c.Headers = map[string]string{"Authorization": "Bearer " + tok + "-hdr"}
			}
			e := mustErr(t, newChannel(t, c, nil).Send(ctx, samplePost))
			msg := e.Error()
			if strings.Contains(msg, tok) || strings.ContainsAny(msg, "\x1b\x07") {
				t.Errorf("%s (robot answer %v): error shows a secret or a control: %q", kind, robot, msg)
			}
			if !strings.Contains(msg, "no route for") || !strings.Contains(msg, config.Redacted) {
				t.Errorf("%s (robot answer %v): error lost the platform's words: %q", kind, robot, msg)
			}
		}
	}
}

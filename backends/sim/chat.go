package sim

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
)

// Chat is a loopback stand-in for the chat platforms in the demo: it takes
// webhook posts for Slack, DingTalk, WeCom and Feishu (and PagerDuty
// events) and answers each the
// way its platform answers success, so the demo's announcements are "sent".
// Tests that check payloads and signatures use notify's test receivers.
type Chat struct {
	srv *http.Server
	ln  net.Listener

	mu       sync.Mutex
	received map[string]int
}

// Platform paths of a Chat server.
var chatPaths = map[string]string{
	"slack":    "/slack",
	"dingtalk": "/dingtalk/robot/send",
	"wecom":    "/wecom/cgi-bin/webhook/send",
	"feishu":   "/feishu/open-apis/bot/v2/hook/demo",
	"webhook":  "/webhook",
	// PagerDuty's Events API v2, so the demo can page.
	"pagerduty": "/pagerduty/v2/enqueue",
}

// StartChat listens on 127.0.0.1.
func StartChat() (*Chat, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := &Chat{ln: ln, received: map[string]int{}}
	mux := http.NewServeMux()
	for kind, path := range chatPaths {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { c.take(kind, w, r) })
	}
	c.srv = &http.Server{Handler: mux}
	go c.srv.Serve(ln)
	return c, nil
}

// URL is the webhook URL for a platform kind (slack, dingtalk, wecom, feishu, webhook, pagerduty).
func (c *Chat) URL(kind string) string {
	u := "http://" + c.ln.Addr().String() + chatPaths[kind]
	switch kind {
	case "dingtalk":
		u += "?access_token=demo"
	case "wecom":
		u += "?key=demo"
	}
	return u
}

// Received counts the posts a platform kind accepted.
func (c *Chat) Received(kind string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.received[kind]
}

// Close stops the server.
func (c *Chat) Close() { _ = c.srv.Close() }

func (c *Chat) take(kind string, w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || r.Method != http.MethodPost || !json.Valid(body) {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.received[kind]++
	c.mu.Unlock()
	switch kind {
	case "slack", "webhook":
		io.WriteString(w, "ok")
	case "feishu":
		io.WriteString(w, `{"code":0,"msg":"success","data":{}}`)
	case "pagerduty":
		var ev struct {
			DedupKey string `json:"dedup_key"`
		}
		_ = json.Unmarshal(body, &ev)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		out, _ := json.Marshal(map[string]string{"status": "success", "message": "Event processed", "dedup_key": ev.DedupKey})
		_, _ = w.Write(out)
	default:
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}
}

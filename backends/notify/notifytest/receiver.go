package notifytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Platform kinds, as in the config.
const (
	KindSlack    = "slack"
	KindDingTalk = "dingtalk"
	KindWeCom    = "wecom"
	KindFeishu   = "feishu"
	KindWebhook  = "webhook"
	KindPager    = "pagerduty"
)

// Received is one post the receiver accepted.
type Received struct {
	Kind   string
	Time   time.Time // on the receiver's clock
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// Text is every string in the post's JSON joined by newlines: what a
// reader of the chat could see, for assertions.
func (p Received) Text() string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if k != "sign" && k != "timestamp" {
					walk(x[k])
				}
			}
		}
	}
	walk(p.JSON)
	s := ""
	for i, o := range out {
		if i > 0 {
			s += "\n"
		}
		s += o
	}
	return s
}

// Rejection is one request the receiver refused (scripted answers are not
// counted).
type Rejection struct {
	Status int
	Code   int
	Msg    string
	Rate   bool // refused for exceeding the rate limit
}

// Options configure a receiver.
type Options struct {
	Secret  string          // signing secret (dingtalk, feishu); "" = unsigned robot
	Keyword string          // security keyword every post must contain (dingtalk, feishu)
	Clock   clockwork.Clock // for signature windows and limits; nil = real clock
	Enforce bool            // enforce the platform's real rate limits
}

// Receiver is a running stand-in for one platform's webhook.
type Receiver struct {
	kind  string
	token string
	srv   *httptest.Server
	check func(r *Receiver, req *request) reply
	done  chan struct{}

	mu       sync.Mutex
	opts     Options
	clock    clockwork.Clock
	limits   *limiter
	script   []Answer
	posts    []Received
	rejected []Rejection
	requests int
	changed  chan struct{}
}

// request is what a platform check sees.
type request struct {
	http  *http.Request
	body  []byte
	json  map[string]any
	now   time.Time
	query url.Values
}

// reply is an answer: status, headers, body, and whether it accepts.
type reply struct {
	status int
	header map[string]string
	body   string
	accept bool
	code   int
	rate   bool
}

// New starts a receiver for kind. Close it when done (Start* do that).
func New(kind string, o Options) (*Receiver, error) {
	check, ok := checks[kind]
	if !ok {
		return nil, fmt.Errorf("notifytest: no receiver for kind %q", kind)
	}
	tok := make([]byte, 12)
	if kind == KindPager {
		tok = make([]byte, pagerKeyLen/2) // the routing key, in hex
	}
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	r := &Receiver{kind: kind, token: hex.EncodeToString(tok), check: check, done: make(chan struct{}),
		opts: o, changed: make(chan struct{})}
	r.clock = o.Clock
	if r.clock == nil {
		r.clock = clockwork.NewRealClock()
	}
	if o.Enforce {
		r.limits = &limiter{rules: rules[kind]}
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	return r, nil
}

// Close stops the receiver, releasing hung requests first.
func (r *Receiver) Close() {
	r.mu.Lock()
	select {
	case <-r.done:
	default:
		close(r.done)
	}
	r.mu.Unlock()
	r.srv.Close()
}

// Kind is the platform this receiver stands in for.
func (r *Receiver) Kind() string { return r.kind }

// Token is the secret part of URL (Slack's and Feishu's path token,
// DingTalk's access_token, WeCom's key), for tests that check it never shows.
func (r *Receiver) Token() string { return r.token }

// URL is the webhook URL to configure, in the platform's shape.
func (r *Receiver) URL() string {
	base := r.srv.URL
	switch r.kind {
	case KindSlack:
		return base + "/services/T0WARROOM/B0WARROOM/" + r.token
	case KindDingTalk:
		return base + "/robot/send?access_token=" + r.token
	case KindWeCom:
		return base + "/cgi-bin/webhook/send?key=" + r.token
	case KindFeishu:
		return base + "/open-apis/bot/v2/hook/" + r.token
	case KindPager:
		return base + pagerPath
	}
	return base + "/hook/" + r.token
}

// Script queues answers for the next requests, in order.
func (r *Receiver) Script(as ...Answer) {
	r.mu.Lock()
	r.script = append(r.script, as...)
	r.mu.Unlock()
}

// RequireKeyword makes every post need k (DingTalk and Feishu keywords).
func (r *Receiver) RequireKeyword(k string) {
	r.mu.Lock()
	r.opts.Keyword = k
	r.mu.Unlock()
}

// UseClock sets the clock signature windows are checked against.
func (r *Receiver) UseClock(c clockwork.Clock) {
	r.mu.Lock()
	r.clock = c
	r.mu.Unlock()
}

// EnforceLimits makes the receiver refuse posts past the platform's real
// rate limits, measured on clock, answering as the platform does.
func (r *Receiver) EnforceLimits(c clockwork.Clock) {
	r.mu.Lock()
	r.clock = c
	r.limits = &limiter{rules: rules[r.kind]}
	r.mu.Unlock()
}

// Posts returns the accepted posts, oldest first.
func (r *Receiver) Posts() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.posts...)
}

// Rejections returns the refused requests, oldest first.
func (r *Receiver) Rejections() []Rejection {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Rejection(nil), r.rejected...)
}

// RateRejected counts requests refused for exceeding the rate limit.
func (r *Receiver) RateRejected() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, x := range r.rejected {
		if x.Rate {
			n++
		}
	}
	return n
}

// Requests counts every request received, scripted or not.
func (r *Receiver) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// Wait returns once the receiver has accepted at least n posts in all, or
// ctx ends.
func (r *Receiver) Wait(ctx context.Context, n int) error {
	return waitCount(ctx, &r.mu, func() (int, chan struct{}) { return len(r.posts), r.changed },
		n, r.kind+" receiver: %d posts accepted, waited for %d: %w")
}

// WaitRequests returns once n requests have arrived (before they are
// answered), or ctx ends.
func (r *Receiver) WaitRequests(ctx context.Context, n int) error {
	return waitCount(ctx, &r.mu, func() (int, chan struct{}) { return r.requests, r.changed },
		n, r.kind+" receiver: %d requests, waited for %d: %w")
}

// waitCount returns once state's count (read under mu) reaches n, waking
// on its channel, or ctx ends; format gets the count, n and ctx's error.
func waitCount(ctx context.Context, mu *sync.Mutex, state func() (int, chan struct{}), n int, format string) error {
	for {
		mu.Lock()
		got, ch := state()
		mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf(format, got, n, ctx.Err())
		case <-ch:
		}
	}
}

// notify wakes waiters; call with mu held.
func (r *Receiver) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *Receiver) serve(w http.ResponseWriter, hr *http.Request) {
	body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	r.mu.Lock()
	r.requests++
	r.notify()
	var a *Answer
	if len(r.script) > 0 {
		a = &r.script[0]
		r.script = r.script[1:]
	}
	r.mu.Unlock()
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if a != nil {
		if a.Delay > 0 && !r.wait(hr.Context(), a.Delay) {
			return
		}
		if !a.passThrough() {
			r.scripted(w, hr, *a)
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	req := &request{http: hr, body: body, now: r.clock.Now(), query: hr.URL.Query()}
	rp := r.check(r, req)
	if rp.accept {
		r.posts = append(r.posts, Received{Kind: r.kind, Time: req.now, Path: hr.URL.Path, Query: req.query,
			Header: hr.Header.Clone(), Body: body, JSON: req.json})
	} else {
		r.rejected = append(r.rejected, Rejection{Status: rp.status, Code: rp.code, Msg: rp.body, Rate: rp.rate})
	}
	r.notify()
	r.write(w, rp)
}

// rateCheck applies the enforced limits (mu held); nil = allowed.
func (r *Receiver) rateCheck(now time.Time) *reply {
	if r.limits == nil {
		return nil
	}
	rp := r.limits.check(r, now)
	if rp != nil {
		rp.rate = true
	}
	return rp
}

func (r *Receiver) write(w http.ResponseWriter, rp reply) {
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(rp.status)
	_, _ = io.WriteString(w, rp.body)
}

// wait waits d of real time; false if the client or the receiver gave up.
func (r *Receiver) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-r.done:
	}
	return false
}

func (r *Receiver) scripted(w http.ResponseWriter, hr *http.Request, a Answer) {
	switch {
	case a.Hang:
		select {
		case <-hr.Context().Done():
		case <-r.done:
		}
		return
	case a.Reset:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("notifytest: cannot hijack the connection to reset it")
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST, not FIN
		}
		_ = conn.Close()
		return
	}
	rp := reply{status: a.Status, body: a.Body, header: map[string]string{}}
	if a.Code != 0 {
		rp = r.platformError(a.Code, a.Msg)
		if a.Status != 0 {
			rp.status = a.Status
		}
	}
	if rp.status == 0 {
		rp.status = http.StatusOK
	}
	if a.RetryAfter != "" {
		rp.header["Retry-After"] = a.RetryAfter
	}
	if a.Body != "" && (r.kind == KindSlack || r.kind == KindWebhook || a.Code == 0) {
		rp.header["Content-Type"] = "text/plain; charset=utf-8"
	}
	r.write(w, rp)
}

// platformError is the platform's refusal in its own shape.
func (r *Receiver) platformError(code int, msg string) reply {
	switch r.kind {
	case KindDingTalk, KindWeCom:
		return jsonReply(http.StatusOK, map[string]any{"errcode": code, "errmsg": msg}, code)
	case KindFeishu:
		return jsonReply(http.StatusOK, map[string]any{"code": code, "msg": msg, "data": map[string]any{}}, code)
	}
	return reply{status: http.StatusBadRequest, body: msg, code: code,
		header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}}
}

func jsonReply(status int, v any, code int) reply {
	b, _ := json.Marshal(v)
	return reply{status: status, body: string(b), code: code, accept: code == 0 && status == http.StatusOK}
}

// retrySeconds is a Retry-After value: whole seconds, rounded up.
func retrySeconds(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(s, 1), 10)
}

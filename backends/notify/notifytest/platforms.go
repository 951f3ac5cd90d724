package notifytest

import (
	"encoding/json"
	"net/http"
	"time"
)

// checks validate a request the way each platform does.
var checks = map[string]func(*Receiver, *request) reply{
	KindSlack:    checkSlack,
	KindDingTalk: checkDingTalk,
	KindWeCom:    checkWeCom,
	KindFeishu:   checkFeishu,
	KindWebhook:  checkWebhook,
	KindPager:    checkPager,
}

// rules are each platform's real rate limits and its answer past them.
var rules = map[string][]rule{
	KindSlack: {{n: 1, per: time.Second, deny: func(r *Receiver, retry time.Duration) reply {
		return reply{status: http.StatusTooManyRequests, body: "rate_limited",
			header: map[string]string{"Retry-After": retrySeconds(retry), "Content-Type": "text/plain"}}
	}}},
	KindDingTalk: {{n: 20, per: time.Minute, lock: 10 * time.Minute, deny: func(r *Receiver, _ time.Duration) reply {
		return r.platformError(130101, "send too fast, exceed 20 times per minute")
	}}},
	KindWeCom: {{n: 20, per: time.Minute, deny: func(r *Receiver, _ time.Duration) reply {
		return r.platformError(45009, "api freq out of limit")
	}}},
	KindPager: {{n: 120, per: time.Minute, deny: func(r *Receiver, retry time.Duration) reply {
		return reply{status: http.StatusTooManyRequests, body: `{"status":"throttle event","message":"Requests for this service are arriving too quickly."}`,
			header: map[string]string{"Retry-After": retrySeconds(retry)}}
	}}},
	KindFeishu: {
		{n: 5, per: time.Second, deny: func(r *Receiver, _ time.Duration) reply {
			return r.platformError(11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[0]")
		}},
		{n: 100, per: time.Minute, deny: func(r *Receiver, _ time.Duration) reply {
			return r.platformError(9499, "too many request")
		}},
	},
}

// decodeObject parses a JSON object body; ok false if it is not one.
func decodeObject(body []byte) (map[string]any, bool) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// obj, str, arr read JSON values loosely: a wrong type reads as absent.
func obj(m map[string]any, k string) map[string]any {
	v, _ := m[k].(map[string]any)
	return v
}

func str(m map[string]any, k string) (string, bool) {
	v, ok := m[k].(string)
	return v, ok
}

func arr(m map[string]any, k string) ([]any, bool) {
	v, ok := m[k].([]any)
	return v, ok
}

// strings checks that m[k], when present, is a list of strings.
func stringList(m map[string]any, k string) bool {
	v, present := m[k]
	if !present {
		return true
	}
	l, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

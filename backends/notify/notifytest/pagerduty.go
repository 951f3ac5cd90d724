package notifytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"unicode/utf8"
)

// PagerDuty Events API v2, as the stand-in checks it.
const (
	pagerPath       = "/v2/enqueue"
	pagerKeyLen     = 32
	pagerMaxDedup   = 255
	pagerMaxSummary = 1024
)

var (
	pagerActions    = []string{"trigger", "acknowledge", "resolve"}
	pagerSeverities = []string{"critical", "error", "warning", "info"}
)

// StartPagerDuty starts an Events API v2 stand-in at URL(); its routing
// key is RoutingKey().
func StartPagerDuty(t testing.TB) *Receiver { return start(t, KindPager, Options{}) }

// RoutingKey is the integration key a pagerduty stand-in accepts.
func (r *Receiver) RoutingKey() string { return r.token }

// checkPager validates an event as the API does: 202 with the dedup key,
// or 400 "Event object is invalid" listing what is wrong. A key of the
// right length that is not this stand-in's is refused too, so a test
// notices a wrong key.
func checkPager(r *Receiver, q *request) reply {
	if q.http.URL.Path != pagerPath {
		return reply{status: http.StatusNotFound, body: `{"status":"not found"}`}
	}
	m, ok := decodeObject(q.body)
	if !ok {
		return pagerInvalid("Event object is not valid JSON")
	}
	q.json = m
	var errs []string
	key, _ := str(m, "routing_key")
	switch {
	case utf8.RuneCountInString(key) != pagerKeyLen:
		errs = append(errs, "'routing_key' must be 32 characters")
	case key != r.token:
		errs = append(errs, "'routing_key' is not a known integration key")
	}
	action, _ := str(m, "event_action")
	if !slices.Contains(pagerActions, action) {
		errs = append(errs, "'event_action' must be one of trigger, acknowledge, resolve")
	}
	dedup, hasDedup := str(m, "dedup_key")
	if len(dedup) > pagerMaxDedup {
		errs = append(errs, "'dedup_key' must be at most 255 characters")
	}
	if action != "trigger" && !hasDedup {
		errs = append(errs, "'dedup_key' is required for "+action)
	}
	if action == "trigger" {
		errs = append(errs, checkPagerPayload(obj(m, "payload"))...)
	}
	if len(errs) > 0 {
		return pagerInvalid(errs...)
	}
	if rp := r.rateCheck(q.now); rp != nil {
		return *rp
	}
	if !hasDedup {
		dedup = r.token[:8] + "-generated"
	}
	b, _ := json.Marshal(map[string]string{"status": "success", "message": "Event processed", "dedup_key": dedup})
	return reply{status: http.StatusAccepted, body: string(b), accept: true}
}

func checkPagerPayload(p map[string]any) []string {
	if p == nil {
		return []string{"'payload' is required for trigger"}
	}
	var errs []string
	if s, ok := str(p, "summary"); !ok || s == "" {
		errs = append(errs, "'payload.summary' is required")
	} else if utf8.RuneCountInString(s) > pagerMaxSummary {
		errs = append(errs, "'payload.summary' must be at most 1024 characters")
	}
	if s, ok := str(p, "source"); !ok || s == "" {
		errs = append(errs, "'payload.source' is required")
	}
	if s, _ := str(p, "severity"); !slices.Contains(pagerSeverities, s) {
		errs = append(errs, "'payload.severity' must be one of critical, error, warning, info")
	}
	if d, present := p["custom_details"]; present {
		if _, ok := d.(map[string]any); !ok {
			errs = append(errs, "'payload.custom_details' must be an object")
		}
	}
	return errs
}

func pagerInvalid(errs ...string) reply {
	b, _ := json.Marshal(map[string]any{"status": "invalid event", "message": "Event object is invalid", "errors": errs})
	return reply{status: http.StatusBadRequest, body: string(b)}
}

package notifytest

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// checkSlack validates an incoming-webhook message as Slack does: the
// token in the path, JSON, text or blocks, at most 50 known blocks with
// their text limits. Slack answers errors as plain-text bodies.
func checkSlack(r *Receiver, q *request) reply {
	fail := func(status int, msg string) reply {
		return reply{status: status, body: msg, header: map[string]string{"Content-Type": "text/plain"}}
	}
	if q.http.URL.Path != "/services/T0WARROOM/B0WARROOM/"+r.token {
		return fail(http.StatusNotFound, "no_service")
	}
	if q.http.Method != http.MethodPost {
		return fail(http.StatusMethodNotAllowed, "invalid_method")
	}
	m, ok := decodeObject(q.body)
	if !ok {
		return fail(http.StatusBadRequest, "invalid_payload")
	}
	q.json = m
	if rp := r.rateCheck(q.now); rp != nil {
		return *rp
	}
	text, _ := str(m, "text")
	blocks, hasBlocks := arr(m, "blocks")
	if strings.TrimSpace(text) == "" && len(blocks) == 0 {
		return fail(http.StatusBadRequest, "no_text")
	}
	if _, present := m["blocks"]; present && !hasBlocks {
		return fail(http.StatusBadRequest, "invalid_blocks_format")
	}
	if len(blocks) > 50 {
		return fail(http.StatusBadRequest, "invalid_blocks")
	}
	for _, b := range blocks {
		if !validSlackBlock(b) {
			return fail(http.StatusBadRequest, "invalid_blocks")
		}
	}
	return reply{status: http.StatusOK, body: "ok", accept: true, header: map[string]string{"Content-Type": "text/html"}}
}

// validSlackBlock checks the block types notify uses.
func validSlackBlock(v any) bool {
	b, ok := v.(map[string]any)
	if !ok {
		return false
	}
	t, _ := str(b, "type")
	textOf := func(types ...string) (string, bool) {
		o := obj(b, "text")
		if o == nil {
			return "", false
		}
		tt, _ := str(o, "type")
		s, ok := str(o, "text")
		if !ok || s == "" {
			return "", false
		}
		for _, want := range types {
			if tt == want {
				return s, true
			}
		}
		return "", false
	}
	switch t {
	case "header":
		s, ok := textOf("plain_text")
		return ok && utf8.RuneCountInString(s) <= 150
	case "section":
		s, ok := textOf("mrkdwn", "plain_text")
		return ok && utf8.RuneCountInString(s) <= 3000
	case "divider":
		return true
	case "context":
		_, ok := arr(b, "elements")
		return ok
	}
	return false
}

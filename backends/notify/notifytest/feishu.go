package notifytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// feishuSignFail is Feishu's answer to any signature problem.
const feishuSignFail = "sign match fail or timestamp is not within one hour from current time"

// checkFeishu validates a custom-bot request as Feishu does: the hook
// token, JSON, then (for a signed bot) timestamp in seconds within an hour
// and sign = base64(HMAC-SHA256(key="timestamp\nsecret", msg="")) from the
// body, the rate, the message and the keyword. Feishu answers with code.
func checkFeishu(r *Receiver, q *request) reply {
	if q.http.URL.Path != "/open-apis/bot/v2/hook/"+r.token {
		return r.platformError(19001, "param invalid: incoming webhook access token invalid")
	}
	m, ok := decodeObject(q.body)
	if !ok {
		rp := r.platformError(9499, "Bad Request")
		rp.status = http.StatusBadRequest
		return rp
	}
	q.json = m
	if r.opts.Secret != "" {
		var ts string
		switch v := m["timestamp"].(type) {
		case string:
			ts = v
		case float64:
			ts = strconv.FormatInt(int64(v), 10)
		}
		sign, _ := str(m, "sign")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || sign == "" {
			return r.platformError(19021, feishuSignFail)
		}
		if d := q.now.Sub(time.Unix(sec, 0)); d > time.Hour || d < -time.Hour {
			return r.platformError(19021, feishuSignFail)
		}
		mac := hmac.New(sha256.New, []byte(ts+"\n"+r.opts.Secret))
		if !hmac.Equal([]byte(sign), []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))) {
			return r.platformError(19021, feishuSignFail)
		}
	}
	if rp := r.rateCheck(q.now); rp != nil {
		return *rp
	}
	mt, _ := str(m, "msg_type")
	var ok2 bool
	switch mt {
	case "text":
		var c string
		c, ok2 = str(obj(m, "content"), "text")
		ok2 = ok2 && c != ""
	case "post":
		ok2 = validFeishuPost(obj(obj(m, "content"), "post"))
	case "interactive":
		ok2 = validFeishuCard(obj(m, "card"))
	}
	if !ok2 {
		return r.platformError(19002, "params error, msg_type "+strconv.Quote(mt)+" content invalid")
	}
	if r.opts.Keyword != "" {
		text := Received{JSON: map[string]any{"c": m["content"], "k": m["card"]}}.Text()
		if !strings.Contains(text, r.opts.Keyword) {
			return r.platformError(19024, "Key Words Not Found")
		}
	}
	return jsonReply(200, map[string]any{"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": map[string]any{}, "msg": "success"}, 0)
}

// validFeishuPost checks post content: per language, a title and rows of
// elements that each have a known tag.
func validFeishuPost(post map[string]any) bool {
	if len(post) == 0 {
		return false
	}
	for _, v := range post {
		lang, ok := v.(map[string]any)
		if !ok {
			return false
		}
		rows, ok := arr(lang, "content")
		if !ok {
			return false
		}
		for _, row := range rows {
			elems, ok := row.([]any)
			if !ok {
				return false
			}
			for _, e := range elems {
				em, ok := e.(map[string]any)
				if !ok {
					return false
				}
				switch tag, _ := str(em, "tag"); tag {
				case "text":
					if _, ok := str(em, "text"); !ok {
						return false
					}
				case "a":
					if _, ok := str(em, "href"); !ok {
						return false
					}
				case "at":
					if _, ok := str(em, "user_id"); !ok {
						return false
					}
				case "img", "media", "emotion":
				default:
					return false
				}
			}
		}
	}
	return true
}

// validFeishuCard checks a message card: elements with known tags, and a
// header title when there is a header.
func validFeishuCard(card map[string]any) bool {
	if card == nil {
		return false
	}
	if h := obj(card, "header"); h != nil {
		t := obj(h, "title")
		if c, ok := str(t, "content"); !ok || c == "" {
			return false
		}
	}
	elems, ok := arr(card, "elements")
	if !ok {
		return false
	}
	for _, e := range elems {
		em, ok := e.(map[string]any)
		if !ok {
			return false
		}
		switch tag, _ := str(em, "tag"); tag {
		case "markdown":
			if _, ok := str(em, "content"); !ok {
				return false
			}
		case "div":
			if obj(em, "text") == nil && em["fields"] == nil {
				return false
			}
		case "hr", "note", "img", "action", "column_set":
		default:
			return false
		}
	}
	return true
}

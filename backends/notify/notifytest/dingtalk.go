package notifytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// checkDingTalk validates a custom-robot request as DingTalk does: the
// access_token, then (for a signed robot) timestamp in ms within an hour
// and sign = base64(HMAC-SHA256(key=secret, "timestamp\nsecret")) as a
// URL-decoded query value, then the rate, the message and the keyword.
// DingTalk answers HTTP 200 with errcode.
func checkDingTalk(r *Receiver, q *request) reply {
	if q.http.URL.Path != "/robot/send" || q.query.Get("access_token") != r.token {
		return r.platformError(300001, "token is not exist")
	}
	if r.opts.Secret != "" {
		ts, sign := q.query.Get("timestamp"), q.query.Get("sign")
		ms, err := strconv.ParseInt(ts, 10, 64)
		if ts == "" || sign == "" || err != nil {
			return r.platformError(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
		}
		if d := q.now.Sub(time.UnixMilli(ms)); d > time.Hour || d < -time.Hour {
			return r.platformError(310000, "invalid timestamp")
		}
		mac := hmac.New(sha256.New, []byte(r.opts.Secret))
		mac.Write([]byte(ts + "\n" + r.opts.Secret))
		if !hmac.Equal([]byte(sign), []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))) {
			return r.platformError(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
		}
	}
	m, ok := decodeObject(q.body)
	if !ok {
		return r.platformError(40035, "缺少参数 json")
	}
	q.json = m
	if rp := r.rateCheck(q.now); rp != nil {
		return *rp
	}
	var content string
	switch t, _ := str(m, "msgtype"); t {
	case "text":
		c, ok := str(obj(m, "text"), "content")
		if !ok || c == "" {
			return r.platformError(40035, "缺少参数 text.content")
		}
		content = c
	case "markdown":
		md := obj(m, "markdown")
		title, ok1 := str(md, "title")
		text, ok2 := str(md, "text")
		if !ok1 || !ok2 || title == "" || text == "" {
			return r.platformError(40035, "缺少参数 markdown.title 或 markdown.text")
		}
		content = title + "\n" + text
	default:
		return r.platformError(40035, "不合法的 msgtype")
	}
	if at := obj(m, "at"); at != nil {
		if !stringList(at, "atMobiles") || !stringList(at, "atUserIds") {
			return r.platformError(40035, "不合法的参数 at")
		}
		if v, present := at["isAtAll"]; present {
			if _, ok := v.(bool); !ok {
				return r.platformError(40035, "不合法的参数 at.isAtAll")
			}
		}
	}
	if len(content) > 20000 {
		return r.platformError(460101, "message too long, exceed 20000 bytes")
	}
	if r.opts.Keyword != "" && !strings.Contains(content, r.opts.Keyword) {
		return r.platformError(310000, "keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
	}
	return jsonReply(200, map[string]any{"errcode": 0, "errmsg": "ok"}, 0)
}

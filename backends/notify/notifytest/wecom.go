package notifytest

// checkWeCom validates a group-robot request as WeCom does: the key, JSON,
// the rate, then the message type and its byte limits.
func checkWeCom(r *Receiver, q *request) reply {
	if q.http.URL.Path != "/cgi-bin/webhook/send" || q.query.Get("key") != r.token {
		return r.platformError(93000, "invalid webhook url, hint: [1700000000_warroom], from ip: 127.0.0.1")
	}
	m, ok := decodeObject(q.body)
	if !ok {
		return r.platformError(40035, "invalid json, hint: [1700000000_warroom]")
	}
	q.json = m
	if rp := r.rateCheck(q.now); rp != nil {
		return *rp
	}
	switch t, _ := str(m, "msgtype"); t {
	case "text":
		tx := obj(m, "text")
		c, _ := str(tx, "content")
		if c == "" {
			return r.platformError(44004, "empty content")
		}
		if len(c) > 2048 {
			return r.platformError(40058, "text.content exceed max length 2048")
		}
		if !stringList(tx, "mentioned_list") || !stringList(tx, "mentioned_mobile_list") {
			return r.platformError(40058, "invalid mentioned_list")
		}
	case "markdown":
		c, _ := str(obj(m, "markdown"), "content")
		if c == "" {
			return r.platformError(44004, "empty content")
		}
		if len(c) > 4096 {
			return r.platformError(40058, "markdown.content exceed max length 4096")
		}
	default:
		return r.platformError(40008, "invalid message type")
	}
	return jsonReply(200, map[string]any{"errcode": 0, "errmsg": "ok"}, 0)
}

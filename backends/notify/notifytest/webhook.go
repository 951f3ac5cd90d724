package notifytest

import "net/http"

// checkWebhook accepts any JSON body at /hook/<token>.
func checkWebhook(r *Receiver, q *request) reply {
	if q.http.URL.Path != "/hook/"+r.token {
		return reply{status: http.StatusUnauthorized, body: "unknown hook", header: map[string]string{"Content-Type": "text/plain"}}
	}
	m, ok := decodeObject(q.body)
	if !ok {
		return reply{status: http.StatusBadRequest, body: "body is not a JSON object", header: map[string]string{"Content-Type": "text/plain"}}
	}
	q.json = m
	if rp := r.rateCheck(q.now); rp != nil {
		return *rp
	}
	return reply{status: http.StatusOK, body: `{"ok":true}`, accept: true}
}

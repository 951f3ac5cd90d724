package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// robotAnswer is the JSON the Chinese chat robots answer with: DingTalk and
// WeCom use errcode/errmsg, Feishu code/msg (older Feishu bots send
// StatusCode/StatusMessage).
type robotAnswer struct {
	ErrCode       *int64 `json:"errcode"`
	ErrMsg        string `json:"errmsg"`
	Code          *int64 `json:"code"`
	Msg           string `json:"msg"`
	StatusCode    *int64 `json:"StatusCode"`
	StatusMessage string `json:"StatusMessage"`
}

// code returns the platform's code and message; ok is false when the
// answer has none.
func (r robotAnswer) code() (int64, string, bool) {
	switch {
	case r.ErrCode != nil:
		return *r.ErrCode, r.ErrMsg, true
	case r.Code != nil:
		return *r.Code, r.Msg, true
	case r.StatusCode != nil:
		return *r.StatusCode, r.StatusMessage, true
	}
	return 0, "", false
}

// robotResult classifies a robot's answer. These platforms answer HTTP 200
// with a non-zero code when they refuse a post, so a 200 alone is not
// success. retryable lists the codes that mean "too fast" or "busy".
func (b *base) robotResult(a *answer, retryable map[int64]bool) error {
	if a.status < 200 || a.status > 299 {
		return httpFailure(b.cfg.Name, b.kind, a, b.clock)
	}
	var r robotAnswer
	if err := json.Unmarshal(a.body, &r); err != nil {
		return &Error{Channel: b.cfg.Name, Kind: b.kind, Status: a.status,
			Text: fmt.Sprintf("answer is not the platform's JSON (%s); check the URL", answerText(a))}
	}
	code, msg, ok := r.code()
	if !ok {
		return &Error{Channel: b.cfg.Name, Kind: b.kind, Status: a.status,
			Text: fmt.Sprintf("answer has no result code (%s); check the URL", answerText(a))}
	}
	if code == 0 {
		return nil
	}
	return &Error{
		Channel:    b.cfg.Name,
		Kind:       b.kind,
		Status:     a.status,
		Code:       strconv.FormatInt(code, 10),
		Text:       msg,
		Retryable:  retryable[code],
		RetryAfter: retryAfter(a.header.Get("Retry-After"), b.clock),
	}
}

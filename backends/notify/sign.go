package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// DingTalk and Feishu both sign with HMAC-SHA256 over a timestamp and the
// secret, and are easy to mix up: DingTalk keys the MAC with the secret and
// signs "timestamp\nsecret" (milliseconds, sent as query parameters);
// Feishu keys it with "timestamp\nsecret" and signs nothing (seconds, sent
// in the JSON body).

// dingTalkSign returns the timestamp and the (not yet URL-encoded) sign.
func dingTalkSign(secret string, now time.Time) (ts, sign string) {
	ts = strconv.FormatInt(now.UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "\n" + secret))
	return ts, base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// feishuSign returns the timestamp and the sign for the JSON body.
func feishuSign(secret string, now time.Time) (ts, sign string) {
	ts = strconv.FormatInt(now.Unix(), 10)
	m := hmac.New(sha256.New, []byte(ts+"\n"+secret))
	return ts, base64.StdEncoding.EncodeToString(m.Sum(nil))
}

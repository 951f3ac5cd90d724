// Package notifytest runs local stand-ins for the chat platforms notify
// posts to (Slack, DingTalk, WeCom, Feishu, a generic webhook): real HTTP
// servers on 127.0.0.1 that check each payload and signature the way the
// platform does, answer with the platform's own error codes, can enforce
// its rate limits, and can be scripted to fail.
package notifytest

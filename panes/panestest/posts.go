package panestest

import (
	"time"

	"warroom/backends/room"
)

// Channels are the announcement channels of PostsSnapshot: a public Slack
// channel, three chat robots and a drill-only channel.
func Channels() []room.ChannelView {
	return []room.ChannelView{
		{Name: "ops-slack", Kind: "slack", Public: true},
		{Name: "ops-dingtalk", Kind: "dingtalk"},
		{Name: "ops-wecom", Kind: "wecom"},
		{Name: "ops-feishu", Kind: "feishu"},
		{Name: "drill-slack", Kind: "slack", Drill: true},
	}
}

// PostsSnapshot is Snapshot in a room with channels and two announcements
// whose posts are in every state: the first (by mei, 6 minutes ago) sent
// to Slack and DingTalk, failed on WeCom with the platform's error, of
// unknown outcome on Feishu; the second (by li.wei, 15 seconds ago)
// sending, retrying in 12s, queued and sent. The next update is due in
// 18 minutes.
func PostsSnapshot() *room.Snapshot {
	s := Snapshot()
	at := Now()
	ago := func(d time.Duration) time.Time { return at.Add(-d) }
	s.Channels = Channels()
	s.Contact, s.Cadence = "#incident-42", 30*time.Minute
	s.NextUpdateDue = at.Add(18 * time.Minute)
	first, second := ago(6*time.Minute), ago(15*time.Second)
	inv := "mirrors.example.org: Investigating — tokyo unreachable"
	idf := "mirrors.example.org: Identified — tokyo unreachable"
	post := func(id, ch, kind, title, by string, q time.Time, st room.PostState) room.PostView {
		return room.PostView{ID: id, Channel: ch, Kind: kind, Template: "investigating", Phase: "investigating",
			Title: title, Text: "**Status: investigating**", State: st, QueuedBy: by, QueuedAt: q, Attempt: 1}
	}
	p1 := post("post-1", "ops-slack", "slack", inv, "mei", first, room.PostSent)
	p1.SentAt = first.Add(800 * time.Millisecond)
	p2 := post("post-2", "ops-dingtalk", "dingtalk", inv, "mei", first, room.PostSent)
	p2.SentAt, p2.Attempt = first.Add(21*time.Second), 2
	p3 := post("post-3", "ops-wecom", "wecom", inv, "mei", first, room.PostFailed)
	p3.Err = "errcode 93000: invalid webhook url, hint: [1724335460_38_4e0b] (wecom rejected the post; check the robot's key)"
	p4 := post("post-4", "ops-feishu", "feishu", inv, "mei", first, room.PostUnknown)
	p5 := post("post-5", "ops-slack", "slack", idf, "li.wei", second, room.PostSending)
	p6 := post("post-6", "ops-dingtalk", "dingtalk", idf, "li.wei", second, room.PostRetrying)
	p6.Attempt, p6.RetryAt, p6.Err = 2, at.Add(12*time.Second), "errcode 130101: send too fast, exceed 20 times per minute"
	p7 := post("post-7", "ops-wecom", "wecom", idf, "li.wei", second, room.PostQueued)
	p7.Attempt = 0
	p8 := post("post-8", "ops-feishu", "feishu", idf, "li.wei", second, room.PostSent)
	p8.SentAt = second.Add(time.Second)
	for _, p := range []*room.PostView{&p5, &p6, &p7, &p8} {
		p.Template, p.Phase = "identified", "identified"
	}
	s.Posts = []room.PostView{p1, p2, p3, p4, p5, p6, p7, p8}
	return s
}

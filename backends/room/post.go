package room

import "time"

// PostState is where one post to one channel is.
type PostState string

// Post states; sent and failed are final, unknown waits for a person.
const (
	PostQueued   PostState = "queued"
	PostSending  PostState = "sending"
	PostSent     PostState = "sent"
	PostRetrying PostState = "retrying"
	PostFailed   PostState = "failed"
	PostUnknown  PostState = "unknown — check the channel"
)

// Announcement is what a person sends: one text to several channels.
type Announcement struct {
	Template string
	Phase    string
	Title    string
	Text     string
	Channels []string
	Drill    bool
}

// PostView is one post to one channel as views show it.
type PostView struct {
	ID       string
	Channel  string
	Kind     string
	Template string
	Phase    string
	Title    string
	Text     string
	Key      string // the idempotency key: incident, template, phase and content
	Drill    bool
	State    PostState
	Attempt  int
	RetryAt  time.Time
	Err      string // the platform's own text
	QueuedBy string
	QueuedAt time.Time
	SentAt   time.Time
}

// ChannelView is one configured channel, without its secrets.
type ChannelView struct {
	Name   string
	Kind   string
	Public bool // posts here start the next-update countdown
	Drill  bool // receives drill posts
}

package notify

import (
	"context"
	"net/http"

	"github.com/jonboulle/clockwork"
)

// Post is one announcement to deliver to one channel.
type Post struct {
	ID    string   // outbox id, assigned by the room
	IDs   []string // when several queued posts were merged into one: all their ids (else nil)
	Title string
	Text  string // body, a Markdown subset (paragraphs, **bold**, - lists, links, --- rules)
	Drill bool   // a drill post: Title and Text get a "[DRILL] " prefix in every payload
	Page  *Page  // an alert notification's pager side; nil for announcements
}

// DrillPrefix marks drill posts so nobody mistakes them for a live incident.
const DrillPrefix = "[DRILL] "

// shown is the title and text as every platform displays them.
func (p Post) shown() (title, text string) {
	if p.Drill {
		return DrillPrefix + p.Title, DrillPrefix + p.Text
	}
	return p.Title, p.Text
}

// ids is every outbox id this post stands for.
func (p Post) ids() []string {
	if len(p.IDs) > 0 {
		return p.IDs
	}
	return []string{p.ID}
}

// Channel renders and sends posts to one destination.
type Channel interface {
	Name() string
	Kind() string
	// Target is the destination for screens and logs, with tokens, keys and
	// secrets masked.
	Target() string
	// Payload is the exact JSON body Send posts, except that signing query
	// parameters are left out and a signature in the body is masked;
	// timestamps are the values a send now would use.
	Payload(p Post) ([]byte, error)
	// Warnings lists the platform limits p breaks (length, blocks, a
	// missing keyword, ...), for the preview before sending.
	Warnings(p Post) []string
	// Send posts p once. nil means the platform accepted it; otherwise the
	// error is an *Error.
	Send(ctx context.Context, p Post) error
}

// Options are what New needs besides the channel's config.
type Options struct {
	Client *http.Client    // nil = a client with the channel's timeout (default 10s)
	Clock  clockwork.Clock // nil = the real clock; signing timestamps come from it
}

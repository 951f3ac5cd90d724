package room

import "time"

// PostFacts is the payload of the post.* events: post.queued carries the
// announcement, the others its id and attempt.
type PostFacts struct {
	ID       string
	Channel  string
	Kind     string // the channel's platform
	Template string
	Phase    string
	Title    string
	Text     string
	Key      string // the announcement's dedupe key
	Drill    bool
	Attempt  int
	Error    string
	RetryAt  time.Time
	Merged   []string  // the posts one rate-limited send carried
	Page     PageFacts // alert posts only (facts_page.go)
}

func (p *PostFacts) slots() []slot {
	slots := []slot{text[string]{keyID, &p.ID}, text[string]{keyChannel, &p.Channel}, text[string]{keyKind, &p.Kind},
		text[string]{keyTemplate, &p.Template}, text[string]{keyPhase, &p.Phase}, text[string]{keyTitle, &p.Title},
		text[string]{keyText, &p.Text}, text[string]{keyKey, &p.Key}, flag{keyDrill, &p.Drill},
		num{keyAttempt, &p.Attempt}, text[string]{keyError, &p.Error}, stamp{keyRetryAt, &p.RetryAt},
		list{keyMerged, ",", &p.Merged}}
	return append(slots, p.Page.slots()...)
}

// Fields is the payload as journaled.
func (p PostFacts) Fields() map[string]string { return encode(p.slots()) }

// PostFacts reads a post event's payload.
func (e Event) PostFacts() PostFacts { return read[PostFacts](e) }

package room

import "time"

// Keys of the silence events' payload.
const (
	keyMatcher = "matcher"
	keyStart   = "start"
	keyEnd     = "end"
)

// SilenceFacts is the payload of silence.added and silence.expired.
type SilenceFacts struct {
	ID      string // sil-3
	Matcher string // canonical: kind=mirror-lag,mirror=tokyo
	Start   time.Time
	End     time.Time // added: until when; expired: when it ended
	Reason  string    // added: why alerts may be quiet
}

func (s *SilenceFacts) slots() []slot {
	return []slot{text[string]{keyID, &s.ID}, text[string]{keyMatcher, &s.Matcher}, stamp{keyStart, &s.Start},
		stamp{keyEnd, &s.End}, text[string]{keyReason, &s.Reason}}
}

// Fields is the payload as journaled.
func (s SilenceFacts) Fields() map[string]string { return encode(s.slots()) }

// SilenceFacts reads a silence event's payload.
func (e Event) SilenceFacts() SilenceFacts { return read[SilenceFacts](e) }

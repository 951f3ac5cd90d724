package room

// Keys of the paging payloads (alert posts and escalations).
const (
	keyRoute      = "route"
	keyEpisode    = "episode"
	keyPageAction = "page_action"
	keyDedupKey   = "dedup_key"
	keyHash       = "hash"
	keySeverity   = "severity"
	keyStatus     = "status"
	keyAlerts     = "alerts"
	keyRepeat     = "repeat"
	keyReceivers  = "receivers"
	keyPageMsg    = "page_msg"
	keyResolved   = "resolved"
)

// PageFacts is what an alert post adds to PostFacts: enough for replay to
// rebuild each route group's episode, what it last sent, and the pager
// payload of a post that must be sent again after a restart.
type PageFacts struct {
	Route    string
	Episode  int    // the group's outage number: 1 for its first, +1 each time it fills again
	Action   string // notify.PageTrigger | PageAcknowledge | PageResolve
	DedupKey string
	Hash     string   // the group's state this post told of
	Severity string   // the worst firing severity
	Status   string   // notify.AlertFiring | AlertResolved | AlertEscalated | AlertAcknowledged
	Alerts   []string // the ids the post lists as firing
	Resolved []string // and as resolved since the last message
	Repeat   bool
	Msg      int // the message's number in its episode
}

func (p *PageFacts) slots() []slot {
	return []slot{text[string]{keyRoute, &p.Route}, num{keyEpisode, &p.Episode}, text[string]{keyPageAction, &p.Action},
		text[string]{keyDedupKey, &p.DedupKey}, text[string]{keyHash, &p.Hash}, text[string]{keySeverity, &p.Severity},
		text[string]{keyStatus, &p.Status}, list{keyAlerts, ",", &p.Alerts}, list{keyResolved, ",", &p.Resolved}, flag{keyRepeat, &p.Repeat},
		num{keyPageMsg, &p.Msg}}
}

// EscalationFacts is the payload of alert.escalated.
type EscalationFacts struct {
	Alert     string
	Route     string
	Receivers []string
}

func (e *EscalationFacts) slots() []slot {
	return []slot{text[string]{keyAlert, &e.Alert}, text[string]{keyRoute, &e.Route}, list{keyReceivers, ",", &e.Receivers}}
}

// Fields is the payload as journaled.
func (e EscalationFacts) Fields() map[string]string { return encode(e.slots()) }

// EscalationFacts reads an alert.escalated event's payload.
func (e Event) EscalationFacts() EscalationFacts { return read[EscalationFacts](e) }

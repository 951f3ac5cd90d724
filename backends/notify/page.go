package notify

import "time"

// Page is the machine-readable side of an alert notification: what a pager
// acts on (PagerDuty's Events API v2). Chat and email receivers show the
// post's Title and Text; a post with a Page is never merged with another.
type Page struct {
	Action    string // PageTrigger | PageAcknowledge | PageResolve
	DedupKey  string // stable for one alert group on one route
	Severity  string // critical | warning | info
	Source    string // the site
	Group     string // the route
	Class     string // the alert kind, when the group holds one kind
	Component string // the mirror, when the group holds one mirror
	Details   map[string]string
}

// Page actions.
const (
	PageTrigger     = "trigger"
	PageAcknowledge = "acknowledge"
	PageResolve     = "resolve"
)

// AlertMessage is what an alert notification's templates render: one
// route's group of alerts at one moment.
type AlertMessage struct {
	Site     string
	Route    string
	Status   string // AlertFiring | AlertResolved | AlertEscalated | AlertAcknowledged
	Incident string // the open incident's id and level, "" without one
	Firing   []AlertLine
	Resolved []AlertLine // cleared since the last message
	Repeat   bool        // the same alerts again: still unacknowledged
	Unacked  time.Duration
	At       time.Time
}

// AlertMessage statuses.
const (
	AlertFiring       = "firing"
	AlertResolved     = "resolved"
	AlertEscalated    = "escalated"
	AlertAcknowledged = "acknowledged"
)

// AlertLine is one alert in a message.
type AlertLine struct {
	ID       string // mirror-down/tokyo
	Severity string
	Subject  string
	Text     string
	Since    time.Time
	AckedBy  string
}

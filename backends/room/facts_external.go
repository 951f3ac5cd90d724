package room

import (
	"encoding/json"
	"time"
)

// Keys of an external alert's payload, beside AlertFacts' own.
const (
	keyLabels      = "labels"
	keySource      = "source"
	keyFingerprint = "fingerprint"
	keyStartsAt    = "starts_at"
)

// ExternalFacts is the part of an external alert's alert.raised payload
// that says where it came from: Alertmanager's labels (cleaned and
// bounded), its fingerprint, its source and when it started firing.
type ExternalFacts struct {
	Labels      map[string]string
	Fingerprint string
	Source      string // the receiver, and the Alertmanager's externalURL
	StartsAt    time.Time
}

func (x *ExternalFacts) slots() []slot {
	return []slot{labels{keyLabels, &x.Labels}, text[string]{keyFingerprint, &x.Fingerprint},
		text[string]{keySource, &x.Source}, stamp{keyStartsAt, &x.StartsAt}}
}

// raisedFields is the payload of an external alert's alert.raised: the
// alert's own facts and where it came from, in one map.
func (x ExternalFacts) raisedFields(a AlertFacts) map[string]string {
	return encode(append(a.slots(), x.slots()...))
}

// ExternalFacts reads an external alert's alert.raised payload.
func (e Event) ExternalFacts() ExternalFacts { return read[ExternalFacts](e) }

// labels is a label set, journaled as one JSON object (keys sorted).
type labels struct {
	k string
	v *map[string]string
}

func (s labels) put(f map[string]string) {
	if len(*s.v) == 0 {
		return
	}
	b, err := json.Marshal(*s.v)
	if err == nil {
		f[s.k] = string(b)
	}
}

func (s labels) get(f map[string]string) {
	*s.v = nil
	if f[s.k] != "" && json.Unmarshal([]byte(f[s.k]), s.v) != nil {
		*s.v = nil // a damaged set is no labels, not a wrong one
	}
}

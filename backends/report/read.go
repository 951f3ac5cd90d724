package report

import (
	"encoding/json"
	"fmt"

	"warroom/backends/journal"
	"warroom/backends/room"
)

// ReadJournal reads every event of the journal at path without taking its
// lock or changing the file (journal.Read), so it works beside a running
// room. Errors name the file and, for damage, the line.
func ReadJournal(path string) ([]room.Event, error) {
	recs, err := journal.Read(path)
	if err != nil {
		return nil, err
	}
	evs := make([]room.Event, 0, len(recs))
	for _, rec := range recs {
		var ev room.Event
		if err := json.Unmarshal(rec.Data, &ev); err != nil {
			return nil, fmt.Errorf("journal %s: record %d is not an event: %v", path, rec.Seq, err)
		}
		ev.Seq = rec.Seq
		evs = append(evs, ev)
	}
	return evs, nil
}

// FromJournal reads the journal at path and builds the review of incident
// id ("" = the latest); errors name the file. The room's "report" key uses
// it with Write.
func FromJournal(path, id string) (*Report, error) {
	evs, err := ReadJournal(path)
	if err != nil {
		return nil, err
	}
	r, err := Build(evs, id)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return r, nil
}

package report

import (
	"encoding/json"
	"fmt"

	"warroom/backends/journal"
	"warroom/backends/room"
	"warroom/backends/textsafe"
)

// ReadJournal reads every event of the journal at path without taking its
// lock or changing the file (journal.Read), so it works beside a running
// room; terminal controls in the events' text are stripped (Mask hides
// secrets). Errors name the file and, for damage, the line.
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
		evs = append(evs, room.CleanEvent(ev, textsafe.Cleaner{})) // older builds journaled outside text raw
	}
	return evs, nil
}

// Mask hides the config's secrets (mask is typically Config.Mask) in evs,
// in place: a journal written by an older build may hold them.
func Mask(evs []room.Event, mask func(string) string) {
	c := textsafe.New(mask)
	for i := range evs {
		evs[i] = room.CleanEvent(evs[i], c)
	}
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

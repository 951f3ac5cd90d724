package room

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"warroom/backends/config"
)

// SilenceRequest asks for a silence: alerts the matcher selects are still
// shown but not routed for For (DefaultSilenceFor when zero).
type SilenceRequest struct {
	Matcher string        // mirror=tokyo,kind=mirror-lag
	For     time.Duration // at most MaxSilenceFor
	Reason  string        // required: the next person on call reads why
}

// Silence lengths: an hour unless told, a week at the most (longer is a
// silence nobody remembers setting).
const (
	DefaultSilenceFor = time.Hour
	MaxSilenceFor     = 7 * 24 * time.Hour
	maxSilenceReason  = 500
)

// Silence starts a silence for actor (who may acknowledge alerts) and
// returns its id once it is journaled.
func (r *Room) Silence(ctx context.Context, req SilenceRequest, actor Actor) (string, error) {
	if err := allow(actor, PermAck); err != nil {
		return "", err
	}
	m, err := config.ParseMatcher(req.Matcher)
	if err != nil {
		return "", err
	}
	reason := strings.TrimSpace(r.st.clean.Line(req.Reason))
	switch {
	case reason == "":
		return "", errors.New("a silence needs a reason: say why these alerts may be quiet (--reason \"planned rsync\")")
	case len(reason) > maxSilenceReason:
		return "", fmt.Errorf("the reason is longer than %d characters; say it in a line", maxSilenceReason)
	case req.For < 0:
		return "", fmt.Errorf("a silence cannot last %s; give a positive duration such as 2h", req.For)
	case req.For > MaxSilenceFor:
		return "", fmt.Errorf("a silence lasts at most 7d (168h), not %s; add a maintenance window to the config for longer", req.For)
	case req.For == 0:
		req.For = DefaultSilenceFor
	}
	var id string
	err = r.doMany(ctx, func() ([]Event, error) {
		now := r.clock.Now()
		id = "sil-" + strconv.Itoa(r.st.sil.next+1)
		end := now.Add(req.For)
		who := orSomeone(actor.Name)
		return []Event{{At: now, Kind: EvSilenceAdded, Subject: id, Actor: who, Level: "info",
			Text: fmt.Sprintf("%s silenced %s for %s (%s, until %s): %s", who, m.String(), req.For, id,
				end.Format("15:04:05"), reason),
			Fields: SilenceFacts{ID: id, Matcher: m.String(), Start: now, End: end, Reason: reason}.Fields()}}, nil
	}, nil)
	if err != nil {
		return "", err
	}
	return id, nil
}

// ExpireSilence ends a person's silence before its time; the config's
// maintenance windows end only by changing the config.
func (r *Room) ExpireSilence(ctx context.Context, id string, actor Actor) error {
	if err := allow(actor, PermAck); err != nil {
		return err
	}
	return r.do(ctx, func() (Event, error) {
		now := r.clock.Now()
		s, ok := r.st.sil.people[id]
		switch {
		case strings.HasPrefix(id, "maint-"):
			return Event{}, fmt.Errorf("%s is a maintenance window from the config (alerting.maintenance); change the config to end it", id)
		case !ok || !now.Before(s.view.End):
			return Event{}, fmt.Errorf("no active silence %q (it may have ended; warroom silence --list shows them)", id)
		}
		who := orSomeone(actor.Name)
		return Event{At: now, Kind: EvSilenceExpired, Subject: id, Actor: who, Level: "info",
			Text: fmt.Sprintf("%s ended silence %s (%s) by %s, %s early", who, id, s.view.Matcher, s.view.By,
				s.view.End.Sub(now).Round(time.Second)),
			Fields: SilenceFacts{ID: id, Matcher: s.view.Matcher, Start: s.view.Start, End: now}.Fields()}, nil
	})
}

// orSomeone names an actor without a name, as the timeline shows them.
func orSomeone(name string) string {
	if name == "" {
		return "someone"
	}
	return name
}

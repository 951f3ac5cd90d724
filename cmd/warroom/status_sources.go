package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/room"
)

// knownRecords is what the room has recorded, read without the journal's
// lock (a live room may hold it). No journal yet is not an error: the
// room never ran, so the config's roles are all there is. A journal that
// cannot be read is returned as the reason status cannot trust the roles.
func knownRecords(cfg *config.Config) (records []journal.Record, rolesFrom string, err error) {
	path := journalPath(cfg)
	if _, statErr := os.Stat(path); errors.Is(statErr, os.ErrNotExist) {
		return nil, "config (no journal yet at " + path + ")", nil
	}
	records, err = journal.Read(path)
	if err != nil {
		return nil, "config (the journal cannot be read)", err
	}
	return records, fmt.Sprintf("journal (%d events)", len(records)), nil
}

// balancerView is what the failover executor reads back from the world:
// which mirrors the load balancer really sends traffic to.
type balancerView struct {
	Executor string   `json:"executor"`
	Kind     string   `json:"kind"`
	Serving  []string `json:"serving"`
	Error    string   `json:"error,omitempty"`
	// Disagrees: the room's active mirrors are not what the balancer serves.
	Disagrees bool `json:"disagrees"`
}

// readBalancerTimeout bounds the read-back: a hung load balancer API must
// not hold a status check (cron, monitoring) forever.
const readBalancerTimeout = 5 * time.Second

// readBalancer asks the failover executor what it serves, when it is of a
// kind that can say (haproxy, dns); nil when none is configured or it cannot.
func readBalancer(ctx context.Context, cfg *config.Config, snap *room.Snapshot) *balancerView {
	if cfg.Actions.Failover == "" {
		return nil
	}
	x, ok := buildExecutors(cfg, io.Discard)[cfg.Actions.Failover]
	if !ok {
		return nil
	}
	rd, ok := x.(actions.Reader)
	if !ok {
		return nil
	}
	v := &balancerView{Executor: x.Name(), Kind: x.Kind()}
	ctx, cancel := context.WithTimeout(ctx, readBalancerTimeout)
	defer cancel()
	serving, err := rd.Active(ctx)
	if err != nil {
		v.Error = cfg.Mask(err.Error())
		return v
	}
	slices.Sort(serving)
	v.Serving = serving
	v.Disagrees = !slices.Equal(serving, activeNames(snap))
	return v
}

// activeNames are the mirrors the room holds active, sorted.
func activeNames(snap *room.Snapshot) []string {
	var out []string
	for _, m := range snap.Mirrors {
		if m.Role == "active" {
			out = append(out, m.Name)
		}
	}
	slices.Sort(out)
	return out
}

// servesDown reports a mirror the balancer sends traffic to that is down.
func (v *balancerView) servesDown(snap *room.Snapshot) []string {
	var out []string
	for _, m := range snap.Mirrors {
		if m.State == room.StateDown && slices.Contains(v.Serving, m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// critical: traffic goes to a mirror that is down, or not where the room
// believes it goes. An unreadable balancer is shown, not paged on.
func (v *balancerView) critical(snap *room.Snapshot) bool {
	return v != nil && v.Error == "" && (v.Disagrees || len(v.servesDown(snap)) > 0)
}

// lines says what the balancer serves and what is wrong with it.
func (v *balancerView) lines(snap *room.Snapshot) []string {
	head := fmt.Sprintf("load balancer (%s, %s)", v.Executor, v.Kind)
	if v.Error != "" {
		return []string{fmt.Sprintf("warning  %s: cannot read what it serves: %s", head, v.Error)}
	}
	out := []string{fmt.Sprintf("info     %s serves %s", head, orNone(v.Serving))}
	if v.Disagrees {
		out = append(out, fmt.Sprintf("critical %s serves %s but the room has %s active", head, orNone(v.Serving), orNone(activeNames(snap))))
	}
	if down := v.servesDown(snap); len(down) > 0 {
		out = append(out, fmt.Sprintf("critical %s sends traffic to %s, which is down", head, strings.Join(down, ", ")))
	}
	return out
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no mirror"
	}
	return strings.Join(names, ", ")
}

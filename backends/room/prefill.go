package room

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"warroom/backends/notify"
)

// Prefill fills an announcement's fields from the room, in the template's
// language lang ("zh", else English): the open incident's id, title, level
// and commander, the scope from the mirrors that are down, the measures
// from the actions that succeeded, the next update from the cadence.
// People edit them before sending.
func Prefill(s *Snapshot, lang string) notify.Fields {
	w := prefillWords(lang)
	f := notify.Fields{Site: s.Site, Time: s.At, Contact: s.Contact}
	if inc := s.Incident; inc != nil {
		f.Incident, f.Title, f.Commander = inc.ID, inc.Title, inc.Commander
		f.Level = fmt.Sprintf(w.level, inc.Level)
		f.Phase = PhaseFor(inc.Status)
	}
	var down []string
	regions := map[string]bool{}
	for _, m := range s.Mirrors {
		if m.State == StateDown {
			down = append(down, m.Name)
			if m.Region != "" {
				regions[m.Region] = true
			}
		}
	}
	f.DownMirrors = strings.Join(down, w.list)
	f.Regions = strings.Join(slices.Sorted(maps.Keys(regions)), w.list)
	switch {
	case len(down) == 0:
		f.Scope = w.noneDown
	case f.Regions != "":
		f.Scope = fmt.Sprintf(w.downIn, len(down), len(s.Mirrors), f.DownMirrors, f.Regions)
	default:
		f.Scope = fmt.Sprintf(w.down, len(down), len(s.Mirrors), f.DownMirrors)
	}
	var measures []string
	for _, a := range s.Actions {
		if a.State == ActionSucceeded {
			measures = append(measures, w.measure(a.Request, a.EndedAt.UTC().Format("15:04")+" UTC"))
		}
	}
	f.Measures = strings.Join(measures, w.sep)
	if f.Measures == "" {
		f.Measures = w.investigating
	}
	if s.Cadence > 0 {
		f.NextUpdate = s.At.Add(s.Cadence).UTC().Format("15:04") + " UTC"
	}
	f.ExpectedRecovery = w.toConfirm
	return f
}

// PhaseFor is the announcement phase that says an incident status: the
// template a composer should offer first.
func PhaseFor(status string) string {
	switch status {
	case StatusIdentified:
		return "identified"
	case StatusMitigated:
		return "monitoring"
	case StatusResolved, StatusClosed:
		return "resolved"
	}
	return "investigating"
}

// words are the phrases Prefill writes, in one language.
type words struct {
	level, list, sep, noneDown, downIn, down, investigating, toConfirm string
	measure                                                            func(r Request, at string) string
}

func prefillWords(lang string) words {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return words{level: "%d 级", list: "、", sep: "；",
			noneDown:      "没有镜像中断；部分用户的下载可能变慢或不是最新",
			downIn:        "%[2]d 个镜像中 %[1]d 个中断（%[3]s），地区：%[4]s",
			down:          "%[2]d 个镜像中 %[1]d 个中断（%[3]s）",
			investigating: "正在排查原因", toConfirm: "待确认",
			measure: func(r Request, at string) string {
				switch r.Kind {
				case Failover:
					return fmt.Sprintf("%s 已将流量从 %s 切换到 %s", at, r.From, r.To)
				case Failback:
					return fmt.Sprintf("%s 已将流量从 %s 切回 %s", at, r.From, r.To)
				case Rollback:
					return fmt.Sprintf("%s 已将 %s 回滚到 %s", at, r.Target, r.Version)
				}
				return at + " " + r.String()
			}}
	}
	return words{level: "level %d", list: ", ", sep: "; ",
		noneDown: "no mirror is down; some users may see slow or stale downloads",
		downIn:   "%d of %d mirrors down (%s) in %s", down: "%d of %d mirrors down (%s)",
		investigating: "investigating the cause", toConfirm: "to be confirmed",
		measure: func(r Request, at string) string { return r.String() + " at " + at }}
}

// UpdateOverdue reports how late the next public update is (0 if not late).
func (s *Snapshot) UpdateOverdue() time.Duration {
	if s.NextUpdateDue.IsZero() || !s.At.After(s.NextUpdateDue) {
		return 0
	}
	return s.At.Sub(s.NextUpdateDue)
}

package drill

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"warroom/backends/problems"
	"warroom/backends/yamlnode"
)

// Limits that keep a hostile or mistaken file from costing much.
const (
	maxFileSize = 1 << 20
	maxFaults   = 1000
)

var topKeys = []string{"name", "description", "duration", "live", "goals", "faults"}

// wantTop says what a scenario file holds, for whole-file problems.
const wantTop = "want name:, duration:, goals: and faults:"

// Load reads and parses a scenario file.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("drill: read scenario: %w (give the path of a scenario YAML file, e.g. examples/drills/regional-outage.yaml)", err)
	}
	return Parse(path, data)
}

// Parse reads a scenario. file names it in errors. Every problem found is
// reported at once, each a *FieldError naming file, line and field.
func Parse(file string, data []byte) (*Scenario, error) {
	errs := &problems.List{File: file}
	if len(data) > maxFileSize {
		errs.Add(0, "", "file is %d bytes: a scenario is at most %d; is this the right file?", len(data), maxFileSize)
		return nil, errs.Err()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		errs.Add(0, "", "empty file: %s", wantTop)
		return nil, errs.Err()
	}
	root := yamlnode.Document(data, errs, wantTop)
	if root == nil {
		return nil, errs.Err()
	}
	d := newDecoder(errs)
	s := d.scenario(root)
	s.File = file
	s.lines = d.lines
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// scenario decodes the top-level map, then checks the rules that span
// fields (times within the duration, goals that can be reached).
func (d *decoder) scenario(root *yaml.Node) *Scenario {
	s := &Scenario{}
	pairs, ok := d.pairs(root, "", "a map with name:, duration:, goals: and faults:", topKeys)
	if !ok {
		return s
	}
	got := map[string]bool{}
	durOK := false
	var goalsOK, faultsOK bool
	for _, p := range pairs {
		got[p.key] = true
		switch p.key {
		case "name":
			s.Name, _ = d.str(p, "a name for the drill")
		case "description":
			if !isNull(p.val) {
				s.Description, _ = d.str(p, "one line saying what breaks")
			}
		case "duration":
			s.Duration, durOK = d.dur(p, false)
		case "live":
			s.Live, _ = d.boolean(p)
		case "goals":
			s.Goals, goalsOK = d.goals(p)
		case "faults":
			s.Faults, faultsOK = d.faults(p)
		}
	}
	for _, k := range []string{"name", "duration", "goals", "faults"} {
		if !got[k] {
			d.errs.Add(root.Line, k, "missing: %s", missingHint(k))
		}
	}
	if durOK && faultsOK {
		d.checkTimes(s)
	}
	if durOK && goalsOK && faultsOK {
		d.checkGoals(s)
	}
	return s
}

func missingHint(key string) string {
	switch key {
	case "name":
		return "add name: (e.g. name: regional-outage)"
	case "duration":
		return "add the time limit (e.g. duration: 15m)"
	case "goals":
		return "add goals: with at least one of " + oneOf(GoalNames()) + " (e.g. detect: 1m)"
	}
	return "add faults: with at least one fault (e.g. - {at: 0s, kind: mirror-down, mirror: tokyo})"
}

// goals decodes "name: target" pairs and returns them in GoalNames order.
func (d *decoder) goals(p pair) ([]Goal, bool) {
	pairs, ok := d.pairs(p.val, p.path, "a map of goal: target (e.g. detect: 1m)", GoalNames())
	if !ok {
		return nil, false
	}
	if len(pairs) == 0 {
		d.errs.Add(p.line, p.path, "no goals: give at least one of %s", oneOf(GoalNames()))
		return nil, false
	}
	byName := map[string]Goal{}
	all := true
	for _, g := range pairs {
		t, ok := d.dur(g, false)
		all = all && ok
		byName[g.key] = Goal{Name: g.key, Within: t, Line: g.line}
	}
	var out []Goal
	for _, name := range GoalNames() {
		if g, ok := byName[name]; ok {
			out = append(out, g)
		}
	}
	return out, all
}

// faults decodes the list of faults.
func (d *decoder) faults(p pair) ([]Fault, bool) {
	n := p.val
	if n == nil || n.Kind != yaml.SequenceNode {
		d.errs.Add(p.line, p.path, "want a list of faults (each starting with \"- at:\"), got %s", describe(n))
		return nil, false
	}
	if len(n.Content) == 0 {
		d.errs.Add(p.line, p.path, "no faults: a drill needs at least one")
		return nil, false
	}
	if len(n.Content) > maxFaults {
		d.errs.Add(p.line, p.path, "%d faults: at most %d", len(n.Content), maxFaults)
		return nil, false
	}
	items, ok := d.Items(n, p.path)
	if !ok {
		return nil, false
	}
	out := make([]Fault, 0, len(items))
	all := true
	for i, it := range items {
		f, ok := d.fault(it, yamlnode.Index(p.path, i))
		all = all && ok
		out = append(out, f)
	}
	return out, all
}

// checkTimes: every fault starts before the drill ends.
func (d *decoder) checkTimes(s *Scenario) {
	for i, f := range s.Faults {
		if f.At >= s.Duration {
			path := fmt.Sprintf("faults[%d].at", i)
			d.errs.Add(d.line(path, f.Line), path, "%v is not before the drill's end (duration: %v): move it earlier or lengthen the drill", f.At, s.Duration)
		}
	}
}

// checkGoals: each target fits in the time the drill leaves after its first
// fault, and recovery is possible (every fault is removed before the end).
func (d *decoder) checkGoals(s *Scenario) {
	left := s.Duration - s.firstAt()
	for _, g := range s.Goals {
		if g.Within > left {
			d.errs.Add(g.Line, "goals."+g.Name, "%v can never be met: goals count from the first fault, and the drill ends %v after it; lower the target or raise duration", g.Within, left)
		}
	}
	if _, ok := s.goal(GoalRecover); !ok {
		return
	}
	for i, f := range s.Faults {
		path := fmt.Sprintf("faults[%d].for", i)
		switch {
		case f.For == 0:
			d.errs.Add(f.Line, path, "missing, so this fault lasts until the drill ends and goals.recover can never be reached: say how long it lasts (e.g. for: 10m)")
		case f.At+f.For >= s.Duration:
			d.errs.Add(d.line(path, f.Line), path, "the fault ends at %v, not before the drill's end (%v), so goals.recover can never be reached: shorten it", f.At+f.For, s.Duration)
		}
	}
}

// line is the line of a field's key, or fallback when it was not written.
func (d *decoder) line(path string, fallback int) int {
	if l, ok := d.lines[path]; ok {
		return l
	}
	return fallback
}

var faultKeys = []string{"at", "for", "kind", "mirror", "region", "delay", "behind", "period", "percent", "channel"}

// fieldExample shows how to write a kind-specific field in messages.
var fieldExample = map[string]string{
	"mirror": "mirror: tokyo", "region": "region: ap-east", "delay": "delay: 3s",
	"behind": "behind: 10m", "percent": "percent: 95", "period": "period: 20s", "channel": "channel: slack",
}

// fault decodes one fault and checks its fields against its kind.
func (d *decoder) fault(n *yaml.Node, path string) (Fault, bool) {
	var f Fault
	if n != nil {
		f.Line = n.Line
	}
	before := d.errs.Len()
	pairs, ok := d.pairs(n, path, "a map with at:, kind: and the kind's fields", faultKeys)
	if !ok {
		return f, false
	}
	set := map[string]pair{}
	for _, p := range pairs {
		set[p.key] = p
		switch p.key {
		case "at":
			f.At, _ = d.dur(p, true)
		case "for":
			f.For, _ = d.dur(p, false)
		case "kind":
			f.Kind, _ = d.str(p, "a fault kind ("+oneOf(Kinds())+")")
		case "mirror":
			f.Mirror, _ = d.str(p, "a mirror name")
		case "region":
			f.Region, _ = d.str(p, "a region name")
		case "channel":
			f.Channel, _ = d.str(p, "a channel name")
		case "delay":
			f.Delay, _ = d.dur(p, false)
		case "behind":
			f.Behind, _ = d.dur(p, false)
		case "period":
			f.Period, _ = d.dur(p, false)
		case "percent":
			f.Percent, _ = d.percent(p)
		}
	}
	kp, hasKind := set["kind"]
	rule, known := kindRules()[f.Kind]
	switch {
	case !hasKind:
		d.errs.Add(f.Line, path+".kind", "missing: say what breaks, one of %s", oneOf(Kinds()))
	case f.Kind != "" && !known:
		d.errs.Add(kp.line, kp.path, "unknown kind %s%s; want %s", problems.Quote(f.Kind), problems.Suggest(f.Kind, Kinds()), oneOf(Kinds()))
	case known:
		for _, need := range rule.needs {
			if _, ok := set[need]; !ok {
				d.errs.Add(f.Line, path+"."+need, "missing: a %s fault needs it (e.g. %s)", f.Kind, fieldExample[need])
			}
		}
		for _, p := range pairs {
			if p.key == "at" || p.key == "for" || p.key == "kind" || contains(rule.needs, p.key) || contains(rule.may, p.key) {
				continue
			}
			d.errs.Add(p.line, p.path, "not used by %s faults; remove it (%s)", f.Kind, takes(f.Kind, rule))
		}
	}
	if f.Kind == KindFlapping && f.Period == 0 {
		f.Period = DefaultFlapPeriod
	}
	return f, d.errs.Len() == before
}

// takes says which fields a kind uses, for messages.
func takes(kind string, r kindRule) string {
	fields := append(append([]string{}, r.needs...), r.may...)
	if len(fields) == 0 {
		return kind + " takes only at:, for: and kind:"
	}
	return kind + " takes " + strings.Join(fields, ":, ") + ":"
}

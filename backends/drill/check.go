package drill

import (
	"fmt"
	"sort"

	"warroom/backends/problems"
)

// Check validates the scenario against a fleet (mirror name → region): every
// mirror and region a fault names must exist. All problems are reported at
// once, with the file and line of the name.
func (s *Scenario) Check(mirrors map[string]string) error {
	errs := &problems.List{File: s.File}
	names, regions := fleetNames(mirrors)
	for i, f := range s.Faults {
		if f.Mirror != "" {
			if _, ok := mirrors[f.Mirror]; !ok {
				path := fmt.Sprintf("faults[%d].mirror", i)
				errs.Add(s.lineOf(path, f.Line), path, "no mirror %s in this fleet%s; its mirrors are %s",
					problems.Quote(f.Mirror), problems.Suggest(f.Mirror, names), listOrNone(names))
			}
		}
		if f.Region != "" && !contains(regions, f.Region) {
			path := fmt.Sprintf("faults[%d].region", i)
			errs.Add(s.lineOf(path, f.Line), path, "no mirror of this fleet is in region %s%s; its regions are %s",
				problems.Quote(f.Region), problems.Suggest(f.Region, regions), listOrNone(regions))
		}
	}
	return errs.Err()
}

// lineOf is the line of a field's key, or fallback for scenarios built in Go.
func (s *Scenario) lineOf(path string, fallback int) int {
	if l, ok := s.lines[path]; ok {
		return l
	}
	return fallback
}

// fleetNames returns the sorted mirror names and distinct regions.
func fleetNames(mirrors map[string]string) (names, regions []string) {
	seen := map[string]bool{}
	for name, region := range mirrors {
		names = append(names, name)
		if region != "" && !seen[region] {
			seen[region] = true
			regions = append(regions, region)
		}
	}
	sort.Strings(names)
	sort.Strings(regions)
	return names, regions
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none (is the fleet configured?)"
	}
	const show = 12
	if len(list) > show {
		return oneOf(append(list[:show:show], fmt.Sprintf("%d more", len(list)-show)))
	}
	return oneOf(list)
}

// touched lists the mirrors a fault breaks in the fleet, sorted; nil for
// faults that break no mirror. Without a fleet a region expands to nothing.
func touched(f Fault, mirrors map[string]string) []string {
	switch {
	case !f.TouchesMirrors():
		return nil
	case f.Mirror != "":
		return []string{f.Mirror}
	}
	var out []string
	for name, region := range mirrors {
		if region == f.Region {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

package sim

import (
	"strings"
	"testing"
)

func TestNamesUniqueAndConsistentWithRegion(t *testing.T) {
	known := cities()
	ps := place(120, DefaultRegions(), 5)
	seen := map[string]bool{}
	suffixed := 0
	for _, p := range ps {
		if seen[p.name] {
			t.Errorf("name %q used twice", p.name)
		}
		seen[p.name] = true
		base := p.name
		if i := strings.LastIndexByte(p.name, '-'); i > 0 && strings.Trim(p.name[i+1:], "0123456789") == "" {
			base = p.name[:i]
			suffixed++
		}
		found := false
		for _, c := range known[p.region] {
			found = found || c == base
		}
		if !found {
			t.Errorf("%q (city %q) is not a city of region %q", p.name, base, p.region)
		}
	}
	if suffixed == 0 {
		t.Errorf("120 mirrors but no numbered names")
	}
	if !seen["tokyo-2"] {
		t.Errorf("no tokyo-2 among 120 mirrors")
	}
}

func TestNamesSpreadOverRegionsAndFollowSeed(t *testing.T) {
	a, b := place(7, DefaultRegions(), 1), place(7, DefaultRegions(), 1)
	regions := map[string]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("same seed, mirror %d: %v vs %v", i, a[i], b[i])
		}
		regions[a[i].region] = true
	}
	if len(regions) != 7 {
		t.Errorf("7 mirrors cover %d regions, want all 7", len(regions))
	}
	c := place(7, DefaultRegions(), 2)
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Errorf("seeds 1 and 2 gave the same fleet")
	}
}

func TestCustomRegionLendsItsName(t *testing.T) {
	ps := place(3, []string{"lab"}, 0)
	want := []string{"lab", "lab-2", "lab-3"}
	for i, p := range ps {
		if p.name != want[i] || p.region != "lab" {
			t.Errorf("mirror %d: %+v, want %s in lab", i, p, want[i])
		}
	}
}

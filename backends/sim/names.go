package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// DefaultRegions are used when Options.Regions is empty.
func DefaultRegions() []string {
	return []string{"eu-central", "eu-west", "us-east", "us-west", "ap-northeast", "ap-southeast", "sa-east"}
}

// cities lists the mirror names known for each default region. A region
// without cities here lends its own name to its mirrors.
func cities() map[string][]string {
	return map[string][]string{
		"eu-central":   {"frankfurt", "zurich", "vienna", "warsaw", "prague", "munich"},
		"eu-west":      {"paris", "london", "dublin", "amsterdam", "brussels", "madrid"},
		"us-east":      {"virginia", "ohio", "new-york", "atlanta", "boston", "miami"},
		"us-west":      {"oregon", "california", "seattle", "las-vegas", "phoenix"},
		"ap-northeast": {"tokyo", "osaka", "seoul", "sapporo", "busan"},
		"ap-southeast": {"singapore", "jakarta", "sydney", "kuala-lumpur", "bangkok", "manila"},
		"sa-east":      {"sao-paulo", "rio", "buenos-aires", "santiago", "montevideo"},
	}
}

type placement struct{ name, region string }

// place names n mirrors, spreading them over regions round-robin. The order
// of regions and of cities within each is shuffled by seed; past the list,
// names repeat with a number: "tokyo-2".
func place(n int, regions []string, seed int64) []placement {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6e616d6573))
	known := cities()
	order := append([]string(nil), regions...)
	r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	pools := make([][]string, len(order))
	longest := 0
	for i, reg := range order {
		pool := append([]string(nil), known[reg]...)
		if len(pool) == 0 {
			pool = []string{reg}
		}
		r.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
		pools[i] = pool
		longest = max(longest, len(pool))
	}
	var list []placement
	for depth := range longest {
		for i, pool := range pools {
			if depth < len(pool) {
				list = append(list, placement{pool[depth], order[i]})
			}
		}
	}
	out := make([]placement, n)
	for i := range out {
		p := list[i%len(list)]
		if round := i / len(list); round > 0 {
			p.name += "-" + strconv.Itoa(round+1)
		}
		out[i] = p
	}
	return out
}

// checkRegions rejects region names that cannot become host names.
func checkRegions(regions []string) error {
	seen := map[string]bool{}
	for _, reg := range regions {
		if seen[reg] {
			return fmt.Errorf("sim: region %q listed twice: list each region once", reg)
		}
		seen[reg] = true
		if reg == "" || reg == "origin" {
			return fmt.Errorf("sim: region %q is reserved or empty: choose another name", reg)
		}
		for _, c := range reg {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("sim: region %q: want lower-case letters, digits and '-' only", reg)
			}
		}
	}
	return nil
}

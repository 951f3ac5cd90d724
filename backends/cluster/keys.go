package cluster

import (
	"fmt"
	"strconv"
	"strings"
)

// prefix is the root of one site's keys: "/warroom/<site>/".
func prefix(site string) string { return "/warroom/" + site + "/" }

// checkName refuses names that would break the key layout.
func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("cluster: %s is empty", what)
	}
	if strings.ContainsAny(s, "/\x00") {
		return fmt.Errorf("cluster: %s %q may not contain '/' or NUL", what, s)
	}
	return nil
}

// seqKey is a journal record's key; zero-padded so keys sort by seq.
func seqKey(pfx string, seq uint64) string {
	return fmt.Sprintf("%sjournal/%020d", pfx, seq)
}

// parseSeqKey returns the seq in a journal record key.
func parseSeqKey(pfx string, key []byte) (uint64, error) {
	s, ok := strings.CutPrefix(string(key), pfx+"journal/")
	if !ok || len(s) != 20 {
		return 0, fmt.Errorf("cluster: %q is not a journal record key", key)
	}
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil || seq == 0 {
		return 0, fmt.Errorf("cluster: %q is not a journal record key", key)
	}
	return seq, nil
}

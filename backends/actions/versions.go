package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// parseVersions reads a list step's output: a JSON array of
// {"id","label","at"} or lines "id [label...]" (blank and # lines skipped).
// When every version has a date they are sorted newest first; otherwise the
// program's order is kept.
func parseVersions(b []byte) ([]Version, error) {
	t := bytes.TrimSpace(b)
	var vs []Version
	if len(t) > 0 && t[0] == '[' {
		var raw []struct {
			ID    json.RawMessage `json:"id"`
			Label string          `json:"label"`
			At    json.RawMessage `json:"at"`
		}
		if err := json.Unmarshal(t, &raw); err != nil {
			return nil, fmt.Errorf("not a JSON array of {id, label, at}: %v", err)
		}
		for i, r := range raw {
			id, err := jsonID(r.ID)
			if err != nil {
				return nil, fmt.Errorf("entry %d: id: %v", i+1, err)
			}
			at, err := jsonTime(r.At)
			if err != nil {
				return nil, fmt.Errorf("entry %d (%s): at: %v", i+1, id, err)
			}
			vs = append(vs, Version{ID: id, Label: r.Label, At: at})
		}
	} else {
		for _, l := range strings.Split(string(t), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			id, label := l, ""
			if i := strings.IndexAny(l, " \t"); i >= 0 {
				id, label = l[:i], l[i+1:]
			}
			vs = append(vs, Version{ID: id, Label: strings.TrimSpace(label)})
		}
	}
	dated := len(vs) > 0
	for _, v := range vs {
		dated = dated && !v.At.IsZero()
	}
	if dated {
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].At.After(vs[j].At) })
	}
	return vs, nil
}

func jsonID(r json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(r, &s); err == nil {
		if s == "" {
			return "", fmt.Errorf("empty")
		}
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(r, &n); err == nil {
		return n.String(), nil
	}
	if len(r) == 0 {
		return "", fmt.Errorf("missing")
	}
	return "", fmt.Errorf("%s is not a string or number", r)
}

// jsonTime accepts RFC 3339, "2006-01-02 15:04:05", a date, or epoch seconds.
func jsonTime(r json.RawMessage) (time.Time, error) {
	if len(r) == 0 || string(r) == "null" {
		return time.Time{}, nil
	}
	var n json.Number
	if err := json.Unmarshal(r, &n); err == nil {
		f, err := strconv.ParseFloat(n.String(), 64)
		if err != nil {
			return time.Time{}, err
		}
		return time.Unix(int64(f), 0).UTC(), nil
	}
	var s string
	if err := json.Unmarshal(r, &s); err != nil {
		return time.Time{}, fmt.Errorf("%s is not a time", r)
	}
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want RFC 3339 (2026-11-20T10:00:00Z), a date or epoch seconds", s)
}

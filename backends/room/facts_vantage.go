package room

import "encoding/json"

// keyVantages holds mirror.state's evidence per vantage (with the keys in
// fields.go, it is a name journals keep forever).
const keyVantages = "vantages"

// votes is the evidence of a mirror.state judged over several vantages,
// as a JSON list in one field: each vote has four texts and a flag, more
// than a separator-joined list can carry safely.
type votes struct {
	k string
	v *[]Vote
}

// voteJSON is a vote as journaled; these names stay forever.
type voteJSON struct {
	Node    string `json:"node"`
	Region  string `json:"region,omitempty"`
	State   State  `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Counted bool   `json:"counted"`
}

func (s votes) put(f map[string]string) {
	if len(*s.v) == 0 {
		return
	}
	out := make([]voteJSON, len(*s.v))
	for i, v := range *s.v {
		out[i] = voteJSON(v)
	}
	b, _ := json.Marshal(out) // strings and bools only: cannot fail
	f[s.k] = string(b)
}

func (s votes) get(f map[string]string) {
	*s.v = nil
	var in []voteJSON
	if json.Unmarshal([]byte(f[s.k]), &in) != nil {
		return
	}
	for _, v := range in {
		*s.v = append(*s.v, Vote(v))
	}
}

package config

import "time"

// Actions configures failover, failback and rollback: the executors that
// do the switching, which of them failover uses, the rollback targets and
// the rules that propose actions.
type Actions struct {
	ReadOnly  bool          // every action hidden and refused
	Confirm   string        // type-name (default): type the target's name | yes: press y
	Timeout   time.Duration // default timeout of every executor, default 60s
	Executors []Executor
	Failover  string // name of the executor failover and failback run, "" = none
	Rollback  []RollbackTarget
	Rules     []Rule

	// Approvals says, per action (failover, failback, rollback), at which
	// incident levels an operator's request waits for a commander's
	// approval. With no incident open, a non-empty list applies.
	Approvals      map[string][]int
	ApprovalExpiry time.Duration // an unanswered request expires, default 10m
	// Pen: only the person holding the pen may run actions; a commander or
	// the holder hands it over.
	Pen bool
	// FailbackSettle: how long the original primary must have been healthy
	// (up, not flapping, under the error threshold, not drifted) and caught
	// up before failback is offered, default 2m: a mirror that has just
	// answered again often fails again, and moving traffic twice costs more
	// than waiting.
	FailbackSettle time.Duration
}

// Confirm modes.
const (
	ConfirmTypeName = "type-name"
	ConfirmYes      = "yes"
)

// Executor is one named way of acting on the world. Exactly one of the kind
// fields is set.
type Executor struct {
	Name    string
	Timeout time.Duration // default Actions.Timeout
	HAProxy *HAProxyExecutor
	DNS     *DNSExecutor
	Exec    *ExecExecutor
	HTTP    *HTTPExecutor
	Line    int
}

// Kind names the executor's kind: haproxy, dns, exec or http.
func (e Executor) Kind() string {
	switch {
	case e.HAProxy != nil:
		return "haproxy"
	case e.DNS != nil:
		return "dns"
	case e.Exec != nil:
		return "exec"
	case e.HTTP != nil:
		return "http"
	}
	return ""
}

// HAProxyExecutor switches traffic through HAProxy's runtime API.
type HAProxyExecutor struct {
	Address string            // unix socket path ("/run/haproxy/admin.sock") or host:port for TCP
	Backend string            // the backend whose servers are the mirrors
	Servers map[string]string // mirror name → server name; default: the mirror's name
	Mode    string            // state (default): ready / maint | drain: ready / drain | weight: weight 100 / 0
}

// DNSExecutor switches traffic by an RFC 2136 update of one record.
type DNSExecutor struct {
	Server string            // host:port of the primary, e.g. 127.0.0.1:53
	Zone   string            // e.g. example.org. (trailing dot added if missing)
	Record string            // e.g. mirror.example.org.
	Type   string            // A | AAAA | CNAME, default CNAME
	TTL    int               // default 60
	Values map[string]string // mirror name → record value; default: the mirror URL's host
	TSIG   *TSIG             // nil: unsigned updates
}

// TSIG is a transaction signature key (RFC 8945).
type TSIG struct {
	Name      string // key name, e.g. warroom.
	Algorithm string // hmac-sha256 (default), hmac-sha512, hmac-sha1
	Secret    string // base64; usually ${ENV}
}

// ExecExecutor runs a program. Arguments and environment values are
// text/templates over .Action .Target .From .To .Version .Instances
// .Incident .Actor.
type ExecExecutor struct {
	Command []string          // argv; no shell
	List    []string          // argv printing rollback versions: JSON [{id,label,at}] or lines "id [label]"
	Verify  []string          // optional argv whose exit 0 confirms the switch (read-back)
	Env     map[string]string // added to a minimal environment
	Dir     string
}

// HTTPExecutor sends one templated request. URL, header values and body are
// text/templates like ExecExecutor's arguments.
type HTTPExecutor struct {
	Method       string // default POST
	URL          string
	Headers      map[string]string
	Body         string
	ExpectStatus []int  // default [200, 201, 202, 204]
	List         string // optional URL answering the rollback versions as JSON [{id,label,at}]
}

// RollbackTarget is something a release can be rolled back on.
type RollbackTarget struct {
	Name      string
	Executor  string   // exec or http executor
	Instances []string // rolled back in batches when Batches is set
	Batches   []int    // cumulative percentages of Instances, e.g. [10, 40, 100]; empty = all at once
	Mirrors   []string // mirrors watched afterwards until they report the version
	// Soak is the wait after each batch but the last before a person
	// decides to continue or abort; 0 = go straight on.
	Soak time.Duration
	Line int
}

// Rule turns a sustained condition into a proposed action.
type Rule struct {
	Name    string
	When    string        // active-down | error-rate | lag
	For     time.Duration // how long the condition must hold, default 30s
	Above   float64       // error-rate: share of failed probes (0.05); lag: seconds
	Propose string        // failover | rollback
	Target  string        // rollback: the target's name
	Auto    bool          // run without a person's confirmation
	Line    int
}

// Rule conditions.
const (
	WhenActiveDown = "active-down"
	WhenErrorRate  = "error-rate"
	WhenLag        = "lag"
)

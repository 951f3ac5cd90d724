package config

import "time"

// Defaults of the actions: and notify: sections.
const (
	DefaultActionTimeout = 60 * time.Second
	DefaultRuleFor       = 30 * time.Second
	DefaultCadence       = 30 * time.Minute
	DefaultPostTimeout   = 10 * time.Second
	DefaultDNSTTL        = 60
	DefaultApprovalTTL   = 10 * time.Minute
	// DefaultFailbackSettle is eight probes at the default 15 s interval.
	DefaultFailbackSettle = 2 * time.Minute
)

// applyDefaults fills what the actions: section left out.
func (a *Actions) applyDefaults() {
	a.Confirm = or(a.Confirm, ConfirmTypeName)
	orDur(&a.Timeout, DefaultActionTimeout)
	orDur(&a.ApprovalExpiry, DefaultApprovalTTL)
	orDur(&a.FailbackSettle, DefaultFailbackSettle)
	for i := range a.Executors {
		e := &a.Executors[i]
		orDur(&e.Timeout, a.Timeout)
		switch {
		case e.HAProxy != nil:
			e.HAProxy.Mode = or(e.HAProxy.Mode, "state")
		case e.DNS != nil:
			e.DNS.Type = or(e.DNS.Type, "CNAME")
			if e.DNS.TTL == 0 {
				e.DNS.TTL = DefaultDNSTTL
			}
			if e.DNS.TSIG != nil {
				e.DNS.TSIG.Algorithm = or(e.DNS.TSIG.Algorithm, "hmac-sha256")
			}
		case e.HTTP != nil:
			e.HTTP.Method = or(e.HTTP.Method, "POST")
			if len(e.HTTP.ExpectStatus) == 0 {
				e.HTTP.ExpectStatus = []int{200, 201, 202, 204}
			}
		}
	}
	for i := range a.Rules {
		orDur(&a.Rules[i].For, DefaultRuleFor)
	}
}

// applyDefaults fills what the notify: section left out.
func (n *Notify) applyDefaults() {
	orDur(&n.Cadence, DefaultCadence)
	for i := range n.Channels {
		c := &n.Channels[i]
		orDur(&c.Timeout, DefaultPostTimeout)
		if c.Format == "" {
			c.Format = defaultFormat[c.Kind]
		}
		c.applyAlertDefaults()
	}
}

var defaultFormat = map[string]string{
	ChannelDingTalk: "markdown",
	ChannelWeCom:    "markdown",
	ChannelFeishu:   "card",
}

package actions

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// Check verifies the executor against its server, changing nothing: every
// mirror has a value of its own; the server is primary for the zone (a
// signed SOA query, which tests the key) and the zone is an apex there; an
// update is allowed (one whose only content is a prerequisite changes
// nothing whatever the answer); the record lies in the zone, not below a
// delegation; and it answers a mirror's value now. Each problem is one error.
func (d *dnsExec) Check(ctx context.Context) error {
	errs := d.checkValues()
	if err := d.checkZone(ctx); err != nil {
		return errors.Join(append(errs, err)...) // the rest would fail alike
	}
	errs = append(errs, d.checkUpdate(ctx), d.checkRecord(ctx))
	return errors.Join(errs...)
}

// checkValues names each mirror failover cannot write (no value fits the
// type) and each value two mirrors share: switching between those moves
// no traffic, yet read-back confirms it.
func (d *dnsExec) checkValues() []error {
	var errs []error
	for _, m := range slices.Sorted(maps.Keys(d.noValue)) {
		errs = append(errs, d.errorf("mirror %q has no %s value (%s): failover to it cannot be done; set values[%q]", m, d.typ, d.noValue[m], m))
	}
	owners := map[string][]string{}
	for _, m := range slices.Sorted(maps.Keys(d.values)) {
		owners[d.values[m]] = append(owners[d.values[m]], m)
	}
	for _, v := range slices.Sorted(maps.Keys(owners)) {
		if ms := owners[v]; len(ms) > 1 {
			errs = append(errs, d.errorf("mirrors %s share the %s value %s: a failover between them moves no traffic; give each its own in values", strings.Join(ms, ", "), d.typ, v))
		}
	}
	return errs
}

// checkZone asks for the zone's SOA, signed, and wants it at the zone's
// name: a zone set below the apex passes a query but fails every update.
func (d *dnsExec) checkZone(ctx context.Context) error {
	r, err := d.exchange(ctx, question(d.zone, dns.TypeSOA), true)
	if r != nil && r.Rcode == dns.RcodeRefused {
		return d.errorf("server %s refuses queries for zone %s: it does not serve that zone (or allow-query leaves warroom out): point server at the zone's primary", d.server, d.zone)
	}
	if err != nil && (r == nil || r.Rcode != dns.RcodeNameError) {
		return d.errorf("server %s, zone %s: SOA query: %w", d.server, d.zone, err)
	}
	if !r.Authoritative {
		return d.errorf("server %s is not authoritative for zone %s: point server at the zone's primary", d.server, d.zone)
	}
	for _, rr := range r.Answer {
		if rr.Header().Rrtype == dns.TypeSOA && strings.EqualFold(rr.Header().Name, d.zone) {
			return nil
		}
	}
	if apex := d.zoneAbove(ctx, d.zone); apex != "" {
		return d.errorf("zone %s is no zone on server %s: the name lies in zone %s; set zone to %s", d.zone, d.server, apex, apex)
	}
	return d.errorf("server %s answers no SOA for zone %s: point server at the zone's primary", d.server, d.zone)
}

// zoneAbove names the nearest zone above name that the server answers an
// SOA for; "" if none.
func (d *dnsExec) zoneAbove(ctx context.Context, name string) string {
	for _, i := range dns.Split(name)[1:] {
		r, err := d.exchange(ctx, question(name[i:], dns.TypeSOA), false)
		if err != nil {
			continue
		}
		for _, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA && strings.EqualFold(rr.Header().Name, name[i:]) {
				return canonical(name[i:])
			}
		}
	}
	return ""
}

// checkUpdate sends an update whose only content is a prerequisite: any
// prerequisite answer means updates from warroom reach the zone.
func (d *dnsExec) checkUpdate(ctx context.Context) error {
	u := new(dns.Msg)
	u.SetUpdate(d.zone)
	u.NameNotUsed([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: d.record}}})
	r, err := d.exchange(ctx, u, true)
	if r != nil {
		switch r.Rcode {
		case dns.RcodeSuccess, dns.RcodeYXDomain, dns.RcodeNameError, dns.RcodeYXRrset, dns.RcodeNXRrset:
			return nil
		}
	}
	if err != nil {
		return d.errorf("server %s, zone %s: test update (prerequisite only, changes nothing): %w", d.server, d.zone, err)
	}
	return nil
}

// checkRecord reads the record as resolvers do and wants it in the zone
// (not delegated away) with values that are all mirrors': a value no mirror
// stands for takes traffic warroom does not watch.
func (d *dnsExec) checkRecord(ctx context.Context) error {
	r, err := d.query(ctx, d.rrtype)
	switch {
	case r != nil && r.Rcode == dns.RcodeNameError:
		return d.errorf("record %s does not exist on server %s: no mirror gets traffic through it; add it to zone %s with the active mirror's value", d.record, d.server, d.zone)
	case err != nil:
		return d.errorf("server %s: query %s %s: %w", d.server, d.record, d.typ, err)
	case !r.Authoritative:
		for _, rr := range r.Ns {
			if ns, ok := rr.(*dns.NS); ok {
				return d.errorf("record %s lies below a delegation (zone %s, name server %s), not in zone %s: set zone and server to that zone's primary", d.record, canonical(ns.Hdr.Name), canonical(ns.Ns), d.zone)
			}
		}
		return d.errorf("server %s does not answer authoritatively for record %s", d.server, d.record)
	}
	vals, others := d.parse(r)
	if len(vals) == 0 {
		if len(others) == 0 {
			others = d.typesAt(ctx)
		}
		if len(others) == 0 {
			return d.errorf("record %s has no %s on server %s: no mirror gets traffic through it; add one with the active mirror's value", d.record, d.typ, d.server)
		}
		return d.errorf("record %s has %s but no %s on server %s: a CNAME shares its name with no other data, so a failover's update would not take; set type to %s, or remove the %s", d.record, strings.Join(others, ", "), d.typ, d.server, others[0], strings.Join(others, ", "))
	}
	var errs []error
	for _, v := range vals {
		if _, ok := d.mirrorOf(v); !ok {
			errs = append(errs, d.errorf("record %s answers %s %s, which no mirror stands for: traffic goes where warroom does not watch; add that mirror to mirrors, or map a mirror to it in values", d.record, d.typ, v))
		}
	}
	return errors.Join(errs...)
}

// typesAt lists the record types at the record's name (an ANY query); none
// if the server will not say.
func (d *dnsExec) typesAt(ctx context.Context) []string {
	r, err := d.query(ctx, dns.TypeANY)
	if err != nil {
		return nil
	}
	_, others := d.parse(r)
	return slices.DeleteFunc(others, func(t string) bool { return t == "RRSIG" || t == "NSEC" })
}

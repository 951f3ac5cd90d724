package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// update builds the compare-and-set: replace the record's RRset with to,
// on the RFC 2136 prerequisite (2.4.2, RRset exists, value dependent) that
// it is exactly from. The server checks it as it applies the update, so a
// record someone moved since the plan is left as they set it.
func (d *dnsExec) update(to, from string) (*dns.Msg, error) {
	rr := func(v string) (dns.RR, error) {
		r, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", d.record, d.ttl, d.typ, v))
		if err != nil {
			return nil, d.errorf("record %s %s %s: %v", d.record, d.typ, v, err)
		}
		return r, nil
	}
	add, err := rr(to)
	if err != nil {
		return nil, err
	}
	was, err := rr(from)
	if err != nil {
		return nil, err
	}
	m := new(dns.Msg)
	m.SetUpdate(d.zone)
	m.Used([]dns.RR{was})
	m.RemoveRRset([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: d.record, Rrtype: d.rrtype, Class: dns.ClassINET}}})
	m.Insert([]dns.RR{add})
	return m, nil
}

// moved is the error of an update whose prerequisite failed: the record
// no longer points at from (mirror fromMirror) alone; it says what it
// points at now, as far as a query tells.
func (d *dnsExec) moved(ctx context.Context, fromMirror, from string) error {
	have := "no " + d.typ
	if vals, err := d.answer(ctx); err != nil {
		have = "unknown (" + err.Error() + ")"
	} else if len(vals) > 0 {
		named := make([]string, len(vals))
		for i, v := range vals {
			named[i] = v
			if m, ok := d.mirrorOf(v); ok {
				named[i] += " (mirror " + m + ")"
			}
		}
		have = strings.Join(named, ", ")
	}
	return d.errorf("the record no longer points at %s (someone else moved it): %s %s is %s now; nothing was changed",
		fromMirror+" ("+from+")", d.record, d.typ, have)
}

package actions

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"warroom/backends/config"
)

// dnsExec moves traffic by replacing one record's RRset (RFC 2136).
type dnsExec struct {
	name     string
	server   string
	zone     string
	record   string
	typ      string
	rrtype   uint16
	ttl      uint32
	values   map[string]string // mirror → canonical value
	explicit map[string]bool   // values set in the config, not defaulted
	noValue  map[string]string // mirror → why it has no value (for Check)
	tsig     *tsigKey
	mask     func(string) string
}

type tsigKey struct{ name, algo, secret string }

func newDNS(name string, c config.DNSExecutor, mirrors map[string]config.Mirror, mask func(string) string) (*dnsExec, error) {
	d := &dnsExec{name: name, server: c.Server, typ: strings.ToUpper(c.Type), ttl: uint32(c.TTL),
		values: map[string]string{}, explicit: map[string]bool{}, noValue: map[string]string{}, mask: mask}
	if d.typ == "" {
		d.typ = "CNAME"
	}
	if c.TTL == 0 {
		d.ttl = 60
	}
	switch d.typ {
	case "A":
		d.rrtype = dns.TypeA
	case "AAAA":
		d.rrtype = dns.TypeAAAA
	case "CNAME":
		d.rrtype = dns.TypeCNAME
	default:
		return nil, d.errorf("type %q: want A, AAAA or CNAME", c.Type)
	}
	if c.TTL < 0 {
		return nil, d.errorf("ttl %d: want 0 (default 60) or more seconds", c.TTL)
	}
	if _, _, err := net.SplitHostPort(c.Server); err != nil {
		return nil, d.errorf("server %q: want host:port of the primary, e.g. 127.0.0.1:53", c.Server)
	}
	if c.Zone == "" || c.Record == "" {
		return nil, d.errorf("zone %q, record %q: both are needed", c.Zone, c.Record)
	}
	d.zone, d.record = canonical(c.Zone), canonical(c.Record)
	if !dns.IsSubDomain(d.zone, d.record) {
		return nil, d.errorf("record %s is not inside zone %s", d.record, d.zone)
	}
	for m, v := range c.Values {
		cv, err := d.value(v)
		if err != nil {
			return nil, d.errorf("values[%q]: %v", m, err)
		}
		d.values[m], d.explicit[m] = cv, true
	}
	for m, mc := range mirrors {
		switch _, ok := d.values[m]; {
		case ok:
		case mc.URL == nil:
			d.noValue[m] = "it has no URL"
		default:
			cv, err := d.value(mc.URL.Hostname())
			if err != nil {
				d.noValue[m] = "its URL's host " + err.Error() // a host that does not fit the type is no value
				continue
			}
			d.values[m] = cv
		}
	}
	if c.TSIG != nil {
		k, err := newTSIG(*c.TSIG)
		if err != nil {
			return nil, d.errorf("%v", err)
		}
		d.tsig = k
	}
	return d, nil
}

// newTSIG checks a key; errors never include the secret.
func newTSIG(t config.TSIG) (*tsigKey, error) {
	if t.Name == "" {
		return nil, errors.New(`tsig.name is empty: want the key's name, e.g. "warroom."`)
	}
	algos := map[string]string{"": dns.HmacSHA256, "hmac-sha256": dns.HmacSHA256, "hmac-sha512": dns.HmacSHA512, "hmac-sha1": dns.HmacSHA1}
	algo, ok := algos[strings.TrimSuffix(strings.ToLower(t.Algorithm), ".")]
	if !ok {
		return nil, fmt.Errorf("tsig.algorithm %q: want hmac-sha256 (default), hmac-sha512 or hmac-sha1", t.Algorithm)
	}
	raw, err := base64.StdEncoding.DecodeString(t.Secret)
	if err != nil || len(raw) == 0 {
		why := "it is empty"
		if err != nil {
			why = "it is not base64: " + err.Error()
		}
		return nil, fmt.Errorf("tsig.secret of key %s does not decode (%s): want the base64 secret as in `tsig-keygen` output", canonical(t.Name), why)
	}
	return &tsigKey{name: canonical(t.Name), algo: algo, secret: t.Secret}, nil
}

func canonical(name string) string { return dns.CanonicalName(strings.TrimSpace(name)) }

// value checks and canonicalises a record value for the executor's type.
func (d *dnsExec) value(v string) (string, error) {
	v = strings.TrimSpace(v)
	if d.rrtype == dns.TypeCNAME {
		if _, ok := dns.IsDomainName(v); !ok || v == "" || net.ParseIP(v) != nil {
			return "", fmt.Errorf("%q is not a host name for a CNAME", v)
		}
		return canonical(v), nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil || (d.rrtype == dns.TypeA) != a.Is4() {
		return "", fmt.Errorf("%q is not an IPv%s address for %s", v, map[bool]string{true: "4", false: "6"}[d.rrtype == dns.TypeA], d.typ)
	}
	return a.String(), nil
}

func (d *dnsExec) Name() string { return d.name }
func (d *dnsExec) Kind() string { return "dns" }

func (d *dnsExec) errorf(format string, args ...any) error {
	return errorf("dns", d.name, d.mask, format, args...)
}

// target returns the values of op's ends: the record is to point at to,
// and only if it still points at from (the update's prerequisite).
func (d *dnsExec) target(op Op) (to, from string, err error) {
	if err := checkOp(op, false); err != nil {
		return "", "", d.errorf("%v", err)
	}
	to, ok := d.values[op.To]
	if !ok {
		return "", "", d.errorf("mirror %q has no %s value: set values[%q] (its URL's host does not fit)", op.To, d.typ, op.To)
	}
	from, ok = d.values[op.From]
	if !ok {
		return "", "", d.errorf("mirror %q has no %s value, so the update cannot require that the record still points at it: set values[%q]", op.From, d.typ, op.From)
	}
	return to, from, nil
}

func (d *dnsExec) Plan(op Op) ([]string, error) {
	v, from, err := d.target(op)
	if err != nil {
		return nil, err
	}
	sig := "unsigned"
	if d.tsig != nil {
		sig = "TSIG " + d.tsig.name
	}
	p := "dns " + d.server + ": "
	return []string{
		d.mask(fmt.Sprintf("%supdate %s %s %s if it is still %s (TTL %d, %s)", p, d.record, d.typ, v, from, d.ttl, sig)),
		d.mask(fmt.Sprintf("%squery %s %s (confirm %s)", p, d.record, d.typ, v)),
	}, nil
}

func (d *dnsExec) client() *dns.Client {
	c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	if d.tsig != nil {
		c.TsigSecret = map[string]string{d.tsig.name: d.tsig.secret}
	}
	return c
}

// exchange sends m (signed if a key is set, and sign) and checks the rcode.
func (d *dnsExec) exchange(ctx context.Context, m *dns.Msg, sign bool) (*dns.Msg, error) {
	if sign && d.tsig != nil {
		m.SetTsig(d.tsig.name, d.tsig.algo, 300, time.Now().Unix())
	}
	c := d.client()
	r, _, err := c.ExchangeContext(ctx, m, d.server)
	if err == nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, m, d.server)
	}
	if r != nil && r.Rcode != dns.RcodeSuccess {
		return r, rcodeError(r)
	}
	if err != nil {
		if errors.Is(err, dns.ErrSig) || errors.Is(err, dns.ErrTime) {
			return nil, fmt.Errorf("the answer's TSIG signature does not verify (%v): check the key on both sides and the clocks", err)
		}
		return nil, ctxErr(ctx, err)
	}
	return r, nil
}

// rcodeError names the rcode and what usually causes it.
func rcodeError(r *dns.Msg) error {
	name := dns.RcodeToString[r.Rcode]
	if t := r.IsTsig(); t != nil && t.Error != 0 {
		name += " (TSIG " + dns.RcodeToString[int(t.Error)] + ")"
	}
	switch r.Rcode {
	case dns.RcodeRefused, dns.RcodeNotAuth:
		return fmt.Errorf("server answered %s: TSIG key or allow-update wrong", name)
	case dns.RcodeNotZone:
		return fmt.Errorf("server answered %s: the record is not in a zone this server is primary for", name)
	}
	return fmt.Errorf("server answered %s", name)
}

func (d *dnsExec) Run(ctx context.Context, op Op, out func(string)) (string, error) {
	v, from, err := d.target(op)
	if err != nil {
		return "", err
	}
	m, err := d.update(v, from)
	if err != nil {
		return "", err
	}
	out(d.mask(fmt.Sprintf("dns %s: update %s %s %s if it is still %s (TTL %d)", d.server, d.record, d.typ, v, from, d.ttl)))
	if r, err := d.exchange(ctx, m, true); err != nil {
		if r != nil && (r.Rcode == dns.RcodeNXRrset || r.Rcode == dns.RcodeYXRrset) {
			return "", d.moved(ctx, op.From, from)
		}
		return "", d.errorf("update %s %s at %s: %w", d.record, d.typ, d.server, err)
	}
	out(d.mask(fmt.Sprintf("dns %s: update accepted; query %s %s", d.server, d.record, d.typ)))
	var have []string
	err = poll(ctx, func() (bool, error) {
		a, err := d.answer(ctx)
		have = a
		return err == nil && len(a) == 1 && a[0] == v, err
	})
	evidence := fmt.Sprintf("%s %s %s", d.record, d.typ, strings.Join(have, " "))
	if len(have) == 0 {
		evidence = fmt.Sprintf("%s %s: no answer", d.record, d.typ)
	}
	if err != nil {
		return evidence, d.errorf("read back from %s: want %s, have %s: %w", d.server, v, evidence, ctxErr(ctx, err))
	}
	evidence += " (mirror " + op.To + ")"
	out(d.mask(evidence))
	return evidence, nil
}

// query asks the server itself (no recursion, unsigned) about the record.
func (d *dnsExec) query(ctx context.Context, typ uint16) (*dns.Msg, error) {
	return d.exchange(ctx, question(d.record, typ), false)
}

// question asks for name's typ records of the server itself (no recursion).
func question(name string, typ uint16) *dns.Msg {
	q := new(dns.Msg)
	q.SetQuestion(name, typ)
	q.RecursionDesired = false
	return q
}

// answer queries the server for the record's values.
func (d *dnsExec) answer(ctx context.Context) ([]string, error) {
	r, err := d.query(ctx, d.rrtype)
	if err != nil {
		if r != nil && r.Rcode == dns.RcodeNameError {
			return nil, nil
		}
		return nil, fmt.Errorf("query %s %s: %w", d.record, d.typ, err)
	}
	vals, _ := d.parse(r)
	return vals, nil
}

// parse splits r's answers at the record into values of the executor's type
// (sorted, canonical as values are) and the types of the others there.
func (d *dnsExec) parse(r *dns.Msg) (vals, others []string) {
	for _, rr := range r.Answer {
		h := rr.Header()
		if !strings.EqualFold(h.Name, d.record) {
			continue
		}
		if h.Rrtype != d.rrtype {
			others = append(others, dns.TypeToString[h.Rrtype])
			continue
		}
		switch x := rr.(type) {
		case *dns.CNAME:
			vals = append(vals, canonical(x.Target))
		case *dns.A:
			a, _ := netip.AddrFromSlice(x.A)
			vals = append(vals, a.Unmap().String())
		case *dns.AAAA:
			// netip, as value() uses: net.IP prints ::ffff:a.b.c.d as a.b.c.d.
			a, _ := netip.AddrFromSlice(x.AAAA)
			vals = append(vals, a.String())
		}
	}
	sort.Strings(vals)
	return vals, slices.Compact(slices.Sorted(slices.Values(others)))
}

// mirrorOf names the mirror whose value v is (the first by name if several).
func (d *dnsExec) mirrorOf(v string) (string, bool) {
	for _, m := range slices.Sorted(maps.Keys(d.values)) {
		if d.values[m] == v {
			return m, true
		}
	}
	return "", false
}

// Active maps the record's current values to mirrors; a value no mirror
// has is returned as it is.
func (d *dnsExec) Active(ctx context.Context) ([]string, error) {
	vals, err := d.answer(ctx)
	if err != nil {
		return nil, d.errorf("%v", err)
	}
	var out []string
	for _, v := range vals {
		if m, ok := d.mirrorOf(v); ok {
			v = m
		}
		out = append(out, v)
	}
	return out, nil
}

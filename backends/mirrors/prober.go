package mirrors

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
)

// Probe defaults.
const (
	DefaultUserAgent  = "warroom-probe"
	DefaultFreshEvery = 4    // every 4th probe of a mirror dials anew
	DefaultPoolUpTo   = 2000 // mirrors whose connections stay pooled
	DefaultTimeout    = 5 * time.Second
	maxRedirects      = 3
	healthDrainLimit  = 16 << 10 // health bodies are drained this far so the connection can be reused
)

// ProberOptions tune a Prober. The zero value is usable.
type ProberOptions struct {
	// Clock stamps Observation.Start. Latency is always measured with the
	// real monotonic clock: it is a property of the network, not of the
	// schedule. Default: the real clock.
	Clock clockwork.Clock
	// Speed says the probed world runs this many times faster than real
	// time (a drill at --speed on the simulated fleet, whose delays wait on
	// the same fast clock): the timeout is cut and latencies multiplied by
	// it, so both stay in that world's time. Default 1.
	Speed int
	// FreshEvery: every Nth probe of a mirror uses new connections instead
	// of the shared pool. Pooled probes are cheap (about 45 µs on loopback)
	// but hide DNS, TCP-accept and TLS-handshake failures and never see a
	// renewed certificate; a fresh probe sees all of these and costs a dial
	// and a handshake (about 1–2 ms of CPU for TLS). The default of 4 bounds
	// how long such a failure stays hidden to four intervals (one minute at
	// 15 s) for about a quarter of the handshake cost. 1 = always fresh;
	// negative = never.
	FreshEvery int
	// PoolUpTo: the most mirrors whose connections are kept between
	// probes. An idle pooled connection costs about 15 kB (two goroutines
	// of net/http and their buffers), 150 MB at 10,000 mirrors: more than
	// the rest of the room. Once more mirrors than this have been probed,
	// every probe dials anew and closes its connection after its own
	// requests, which costs a dial a probe. Default DefaultPoolUpTo;
	// negative = no bound.
	PoolUpTo int
	// MaxIdleConnsPerHost: idle connections kept per host:port. A probe
	// uses one connection at a time, so 2 covers a host serving two
	// configured mirrors. Default 2.
	MaxIdleConnsPerHost int
	// DialTimeout bounds the TCP connect; the probe's own timeout still
	// applies. Default 5s.
	DialTimeout time.Duration
	// UserAgent is sent with every request. Default "warroom-probe".
	UserAgent string
	// Header is sent with every request too (the cluster demo names each
	// node's region in X-Warroom-Region, so its simulated fleet can fail a
	// mirror for one region only). Not changed after NewProber.
	Header http.Header
}

// Prober runs single probes. It holds one shared connection pool (one
// http.Transport, plus a second one for mirrors that set Health.Insecure,
// since TLS verification is a property of the transport). It is safe for
// concurrent use by many goroutines.
type Prober struct {
	clock      clockwork.Clock
	speed      time.Duration
	freshEvery int
	poolUpTo   int
	userAgent  string
	header     http.Header
	// dialTimeout bounds Reachable's connect.
	dialTimeout time.Duration
	// lost hears of a mirror that closed a kept connection (see watch.go);
	// NewScheduler sets it before any probe runs.
	lost func(mirror string)

	secure, insecure *http.Transport
	secureC, insecC  *http.Client

	mu     sync.Mutex
	counts map[string]uint64 // probes per mirror, for FreshEvery
	// unpooled: more than poolUpTo mirrors were probed; every probe is fresh.
	unpooled bool
}

// NewProber builds a prober; call Close when done to drop idle connections.
func NewProber(opts ProberOptions) *Prober {
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.FreshEvery == 0 {
		opts.FreshEvery = DefaultFreshEvery
	}
	if opts.PoolUpTo == 0 {
		opts.PoolUpTo = DefaultPoolUpTo
	}
	if opts.MaxIdleConnsPerHost <= 0 {
		opts.MaxIdleConnsPerHost = 2
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 5 * time.Second
	}
	if opts.Speed < 1 {
		opts.Speed = 1
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	p := &Prober{
		clock:      opts.Clock,
		speed:      time.Duration(opts.Speed),
		freshEvery: opts.FreshEvery,
		poolUpTo:   opts.PoolUpTo,
		userAgent:  opts.UserAgent,
		header:     opts.Header.Clone(),
		counts:     make(map[string]uint64),
	}
	p.dialTimeout = opts.DialTimeout / p.speed
	dial := p.watchDial((&net.Dialer{Timeout: opts.DialTimeout, KeepAlive: 30 * time.Second}).DialContext)
	p.secure, p.insecure = newTransport(opts, dial, false), newTransport(opts, dial, true)
	p.secureC = newClient(p.secure)
	p.insecC = newClient(p.insecure)
	return p
}

func newTransport(opts ProberOptions, dial func(context.Context, string, string) (net.Conn, error), insecure bool) *http.Transport {
	return &http.Transport{
		Proxy:       nil, // probes go to the mirror itself, never via a proxy from the environment
		DialContext: dial,
		// MaxIdleConns 0 = no global cap: 1,000 mirrors keep 1,000 idle
		// connections, which is the point of pooling.
		MaxIdleConns:          0,
		MaxIdleConnsPerHost:   opts.MaxIdleConnsPerHost,
		IdleConnTimeout:       5 * time.Minute, // longer than any sensible interval
		TLSHandshakeTimeout:   opts.DialTimeout,
		ResponseHeaderTimeout: 0, // the probe context bounds it
		ExpectContinueTimeout: 0,
		DisableCompression:    true, // bodies are tiny; hash what the server sends
		ForceAttemptHTTP2:     false,
		TLSNextProto:          map[string]func(string, *tls.Conn) http.RoundTripper{}, // HTTP/1.1 only
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12},
		// Every pooled connection keeps both buffers while idle: 1 kB each
		// instead of 4 kB saves 6 MB per 1,000 mirrors. Requests are a few
		// hundred bytes; longer header lines and bodies read through.
		ReadBufferSize:  connBufferSize,
		WriteBufferSize: connBufferSize,
	}
}

const connBufferSize = 1 << 10

var errRedirectLoop = fmt.Errorf("redirect loop: more than %d redirects", maxRedirects)

func newClient(t http.RoundTripper) *http.Client {
	return &http.Client{
		Transport: t,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return errRedirectLoop
			}
			return nil
		},
	}
}

// Close drops idle pooled connections.
func (p *Prober) Close() {
	p.secure.CloseIdleConnections()
	p.insecure.CloseIdleConnections()
}

// Probe checks one mirror: the health request, then — only if the health
// request got an HTTP answer — the lag source, the manifest and the syncing
// marker, one after another on the same connection. The whole probe is
// bounded by m.Health.Timeout. It never panics on hostile responses.
//
// The requests run on a goroutine of their own: the HTTP client grows a
// stack to several kB, and the caller (the scheduler's goroutine of this
// mirror, parked for the rest of the interval) would keep it, 10,000
// times over; an ended goroutine's stack goes back to the runtime.
func (p *Prober) Probe(ctx context.Context, m config.Mirror) Observation {
	done := make(chan Observation, 1)
	go func() { done <- p.probe(ctx, m) }()
	return <-done
}

func (p *Prober) probe(ctx context.Context, m config.Mirror) Observation {
	o := Observation{Mirror: m.Name, Start: p.clock.Now()}
	if m.URL == nil {
		o.Err = "no URL configured"
		return o
	}
	h := m.Health
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	pctx, cancel := context.WithTimeout(ctx, timeout/p.speed)
	defer cancel()
	pctx = context.WithValue(pctx, mirrorKey{}, m.Name) // for watchDial

	c, done := p.client(m)
	defer done()
	r := requester{c: c, ua: p.userAgent, extra: p.header, ctx: pctx, parent: ctx, timeout: timeout, mirror: m}

	method := h.Method
	if method == "" {
		method = http.MethodGet
	}
	began := time.Now()
	resp, err := r.do(method, orDefault(h.Path, "/"))
	if err != nil {
		o.Err = hideQuery(r.reason(err), m)
		return o
	}
	o.Latency = time.Since(began) * p.speed
	o.Status = resp.StatusCode
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		o.TLSExpiry = resp.TLS.PeerCertificates[0].NotAfter
	}
	_, _ = io.CopyN(io.Discard, resp.Body, healthDrainLimit)
	resp.Body.Close()
	if !expected(resp.StatusCode, h.ExpectStatus) {
		o.Err = statusReason(resp.StatusCode)
	}
	o.Sync = p.readSync(&r, m)
	o.Sync.Err = hideQuery(o.Sync.Err, m)
	return o
}

// client picks the pooled client, or — every FreshEvery-th probe of a
// mirror, and every probe once the fleet is over PoolUpTo — a client on a
// private transport whose connections are closed afterwards.
func (p *Prober) client(m config.Mirror) (*http.Client, func()) {
	shared, c := p.secure, p.secureC
	if m.Health.Insecure {
		shared, c = p.insecure, p.insecC
	}
	p.mu.Lock()
	n := p.counts[m.Name]
	p.counts[m.Name] = n + 1
	over := p.poolUpTo > 0 && len(p.counts) > p.poolUpTo
	crossed := over && !p.unpooled
	p.unpooled = over
	p.mu.Unlock()
	if crossed { // those pooled while the fleet was being counted
		p.secure.CloseIdleConnections()
		p.insecure.CloseIdleConnections()
	}
	if !over && (p.freshEvery < 0 || n == 0 || n%uint64(p.freshEvery) != 0) {
		return c, func() {} // the first probe dials anyway
	}
	t := shared.Clone()
	return newClient(t), t.CloseIdleConnections
}

func expected(status int, want []int) bool {
	if len(want) == 0 {
		return status == http.StatusOK
	}
	for _, w := range want {
		if w == status {
			return true
		}
	}
	return false
}

// statusReason words an unexpected status the way mirrorbits does.
func statusReason(status int) string {
	if status == http.StatusNotFound {
		return "file not found"
	}
	return fmt.Sprintf("got status %d", status)
}

// readSync reads the lag source, manifest and syncing marker. Errors are
// collected into SyncInfo.Err, naming the mirror and each failing source.
func (p *Prober) readSync(r *requester, m config.Mirror) SyncInfo {
	var s SyncInfo
	var errs []string
	fail := func(path string, err error) {
		errs = append(errs, sourceName(path)+": "+err.Error())
	}
	now := p.clock.Now()
	switch m.Lag.Kind {
	case config.LagNone:
	case config.LagBeacon:
		if b, err := r.fetch(m.Lag.Path); err != nil {
			fail(m.Lag.Path, err)
		} else if t, err := ParseBeacon(b, now); err != nil {
			fail(m.Lag.Path, err)
		} else {
			s.Beacon = t
		}
	case config.LagTrace:
		if b, err := r.fetch(m.Lag.Path); err != nil {
			fail(m.Lag.Path, err)
		} else if t, err := ParseTrace(b, now); err != nil {
			fail(m.Lag.Path, err)
		} else {
			s.Beacon, s.Serial = t.Beacon, t.Serial
		}
	case config.LagJSON:
		if b, err := r.fetch(m.Lag.Path); err != nil {
			fail(m.Lag.Path, err)
		} else if t, err := ParseJSON(b, m.Lag, now); err != nil {
			fail(m.Lag.Path, err)
		} else {
			s.Beacon, s.Serial, s.Version = t.Beacon, t.Serial, t.Version
		}
	case config.LagLastModified:
		if v, err := r.header(m.Lag.Path, "Last-Modified"); err != nil {
			fail(m.Lag.Path, err)
		} else if t, err := ParseLastModified(v, now); err != nil {
			fail(m.Lag.Path, err)
		} else {
			s.Beacon = t
		}
	default:
		errs = append(errs, fmt.Sprintf("lag kind %q unknown: want beacon, trace, last-modified or json", m.Lag.Kind))
	}
	if m.Manifest != "" {
		if b, err := r.fetch(m.Manifest); err != nil {
			fail(m.Manifest, err)
		} else {
			sum := sha256.Sum256(b)
			s.Manifest = hex.EncodeToString(sum[:])
		}
	}
	if m.Syncing != "" {
		if syncing, err := r.exists(m.Syncing); err != nil {
			fail(m.Syncing, err)
		} else {
			s.Syncing = syncing
		}
	}
	if len(errs) > 0 {
		s.Err = fmt.Sprintf("mirror %q: %s", m.Name, strings.Join(errs, "; "))
	}
	return s
}

// sourceName is how a source path is named in errors: "lastsync",
// "project/trace/master".
func sourceName(p string) string {
	if s := strings.Trim(p, "/"); s != "" {
		return s
	}
	return "/"
}

// requester issues a probe's requests under one deadline.
type requester struct {
	c       *http.Client
	ua      string
	extra   http.Header
	ctx     context.Context // the probe's deadline
	parent  context.Context // the caller's, to tell shutdown from timeout
	timeout time.Duration
	mirror  config.Mirror
}

func (r *requester) do(method, path string) (*http.Response, error) {
	// Resolve keeps the base URL's query: a mirror's ?token= goes with every request.
	req, err := http.NewRequestWithContext(r.ctx, method, r.mirror.Resolve(path).String(), nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range r.extra {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", r.ua)
	return r.c.Do(req)
}

// fetch GETs path and returns at most MaxSourceBytes of a 2xx body.
func (r *requester) fetch(path string) ([]byte, error) {
	resp, err := r.do(http.MethodGet, path)
	if err != nil {
		return nil, errors.New(r.reason(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		_, _ = io.CopyN(io.Discard, resp.Body, healthDrainLimit)
		return nil, errors.New(statusReason(resp.StatusCode))
	}
	b, err := readLimited(resp.Body, resp.ContentLength)
	if err != nil {
		if errors.Is(err, errTooBig) {
			return nil, err
		}
		return nil, errors.New(r.reason(err))
	}
	return b, nil
}

// readLimited reads a body of at most MaxSourceBytes, sizing the buffer from
// Content-Length when the server sent a believable one.
func readLimited(body io.Reader, contentLength int64) ([]byte, error) {
	size := int64(512)
	if contentLength >= 0 && contentLength <= MaxSourceBytes {
		size = contentLength + 1 // +1 so the EOF read needs no growth
	}
	buf := make([]byte, 0, size)
	lr := io.LimitReader(body, MaxSourceBytes+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(buf) > MaxSourceBytes {
		return nil, errTooBig
	}
	return buf, nil
}

// header HEADs path and returns one response header.
func (r *requester) header(path, name string) (string, error) {
	resp, err := r.do(http.MethodHead, path)
	if err != nil {
		return "", errors.New(r.reason(err))
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", errors.New(statusReason(resp.StatusCode))
	}
	return resp.Header.Get(name), nil
}

// exists HEADs path: 2xx is true, 404/410 false, anything else an error.
func (r *requester) exists(path string) (bool, error) {
	resp, err := r.do(http.MethodHead, path)
	if err != nil {
		return false, errors.New(r.reason(err))
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 2:
		return true, nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return false, nil
	default:
		return false, errors.New(statusReason(resp.StatusCode))
	}
}

// hideQuery masks the values of the mirror URL's query (an access token)
// wherever an error quotes them: errors reach screens and the journal.
func hideQuery(s string, m config.Mirror) string {
	if s == "" || m.URL == nil || m.URL.RawQuery == "" {
		return s
	}
	for _, kv := range strings.Split(m.URL.RawQuery, "&") {
		_, v, ok := strings.Cut(kv, "=")
		if !ok {
			v = kv
		}
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, config.Redacted)
		}
	}
	return s
}

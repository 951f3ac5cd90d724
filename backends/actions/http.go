package actions

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"warroom/backends/config"
)

// httpExec sends one templated request per action.
type httpExec struct {
	name    string
	method  string
	url     tmpl
	headers []envVar // name → value template
	body    tmpl
	expect  []int
	list    *tmpl
	client  *http.Client
	mask    func(string) string
}

func newHTTP(name string, c config.HTTPExecutor, mask func(string) string) (*httpExec, error) {
	h := &httpExec{name: name, method: strings.ToUpper(c.Method), expect: c.ExpectStatus, mask: mask}
	if h.method == "" {
		h.method = http.MethodPost
	}
	if len(h.expect) == 0 {
		h.expect = []int{200, 201, 202, 204}
	}
	if strings.ContainsAny(h.method, " \t/:") {
		return nil, h.errorf("method %q: want an HTTP method such as POST", c.Method)
	}
	if c.URL == "" {
		return nil, h.errorf("url is empty")
	}
	var err error
	if h.url, err = compile("url", c.URL); err != nil {
		return nil, h.errorf("%v", err)
	}
	if h.body, err = compile("body", c.Body); err != nil {
		return nil, h.errorf("%v", err)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
		if k == "" || strings.ContainsAny(k, " \t:\r\n") {
			return nil, h.errorf("headers %q: not a header name", k)
		}
		t, err := compile(fmt.Sprintf("headers[%s]", k), c.Headers[k])
		if err != nil {
			return nil, h.errorf("%v", err)
		}
		h.headers = append(h.headers, envVar{k, t})
	}
	if c.List != "" {
		t, err := compile("list", c.List)
		if err != nil {
			return nil, h.errorf("%v", err)
		}
		h.list = &t
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // switching traffic must not depend on a proxy from the environment
	h.client = &http.Client{Transport: tr, CheckRedirect: sameHost}
	return h, nil
}

// sameHost follows redirects only within the first request's scheme and host.
func sameHost(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		return fmt.Errorf("redirect to another host (%s://%s) refused", req.URL.Scheme, req.URL.Host)
	}
	if len(via) >= 5 {
		return fmt.Errorf("stopped after %d redirects", len(via))
	}
	return nil
}

func (h *httpExec) Name() string { return h.name }
func (h *httpExec) Kind() string { return "http" }

func (h *httpExec) errorf(format string, args ...any) error {
	return errorf("http", h.name, h.mask, format, args...)
}

// request renders op into method, URL, headers and body.
func (h *httpExec) request(ctx context.Context, method string, u tmpl, op Op, withBody bool) (*http.Request, string, error) {
	raw, err := u.render(op)
	if err != nil {
		return nil, "", err
	}
	pu, err := url.Parse(raw)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return nil, "", fmt.Errorf("%s: %q is not an http(s) URL with a host", u.field, h.mask(raw))
	}
	body := ""
	if withBody {
		if body, err = h.body.render(op); err != nil {
			return nil, "", err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, raw, strings.NewReader(body))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", u.field, err)
	}
	for _, hd := range h.headers {
		v, err := hd.val.render(op)
		if err != nil {
			return nil, "", err
		}
		req.Header.Set(hd.name, v)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	return req, body, nil
}

func (h *httpExec) Plan(op Op) ([]string, error) {
	if err := checkOp(op, true); err != nil {
		return nil, h.errorf("%v", err)
	}
	req, body, err := h.request(context.Background(), h.method, h.url, op, true)
	if err != nil {
		return nil, h.errorf("%v", err)
	}
	var extra []string
	if len(h.headers) > 0 {
		names := make([]string, len(h.headers))
		for i, hd := range h.headers {
			names[i] = hd.name
		}
		extra = append(extra, "headers "+strings.Join(names, ", "))
	}
	if body != "" {
		extra = append(extra, fmt.Sprintf("body %d bytes", len(body)))
	}
	line := "http: " + req.Method + " " + req.URL.String()
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, "; ") + ")"
	}
	return []string{h.mask(line), h.mask("http: expect status " + statuses(h.expect))}, nil
}

func statuses(s []int) string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = strconv.Itoa(c)
	}
	return strings.Join(out, "/")
}

func (h *httpExec) Run(ctx context.Context, op Op, out func(string)) (string, error) {
	if err := checkOp(op, true); err != nil {
		return "", h.errorf("%v", err)
	}
	req, _, err := h.request(ctx, h.method, h.url, op, true)
	if err != nil {
		return "", h.errorf("%v", err)
	}
	target := req.Method + " " + req.URL.String()
	out(h.mask("http: " + target))
	resp, err := h.client.Do(req)
	if err != nil {
		return "", h.errorf("%s: %w", target, ctxErr(ctx, err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if err != nil {
		return "", h.errorf("%s: read answer: %w", target, ctxErr(ctx, err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // lets the connection be reused
	status := "HTTP " + resp.Status
	out(h.mask(status))
	text := strings.TrimSpace(string(b))
	for _, l := range strings.Split(text, "\n") {
		if l != "" {
			out(h.mask(l))
		}
	}
	conf := status
	if text != "" {
		conf += ": " + text
	}
	if !slices.Contains(h.expect, resp.StatusCode) {
		return "", h.errorf("%s answered %s, want %s", target, conf, statuses(h.expect))
	}
	return h.mask(conf), nil
}

// List GETs the list URL and parses the versions like exec's list.
func (h *httpExec) List(ctx context.Context, op Op) ([]Version, error) {
	if h.list == nil {
		return nil, h.errorf("no list URL: set list to a URL answering the versions as JSON")
	}
	req, _, err := h.request(ctx, http.MethodGet, *h.list, op, false)
	if err != nil {
		return nil, h.errorf("%v", err)
	}
	target := "GET " + req.URL.String()
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, h.errorf("list: %s: %w", target, ctxErr(ctx, err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, h.errorf("list: %s: read answer: %w", target, ctxErr(ctx, err))
	}
	if resp.StatusCode/100 != 2 {
		return nil, h.errorf("list: %s answered HTTP %s: %s", target, resp.Status, clip(strings.TrimSpace(string(b)), 200))
	}
	v, err := parseVersions(b)
	if err != nil {
		return nil, h.errorf("list: %s: %v", target, err)
	}
	return v, nil
}

// Check renders every template with a sample op and resolves the hosts;
// it sends no request, since any request may act.
func (h *httpExec) Check(ctx context.Context) error {
	op := sampleOp()
	us := []tmpl{h.url}
	if h.list != nil {
		us = append(us, *h.list)
	}
	for _, u := range us {
		req, _, err := h.request(ctx, h.method, u, op, u.field == "url")
		if err != nil {
			return h.errorf("%v", err)
		}
		host := req.URL.Hostname()
		if net.ParseIP(host) == nil {
			if _, err := net.DefaultResolver.LookupHost(ctx, host); err != nil {
				return h.errorf("%s: host %s does not resolve: %v", u.field, host, ctxErr(ctx, err))
			}
		}
	}
	return nil
}

package actions_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// recorder is an httptest server remembering the last request.
type recorder struct {
	mu                 sync.Mutex
	method, path, auth string
	body               string
	status             int
	answer             string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.method, r.path, r.auth, r.body = req.Method, req.URL.RequestURI(), req.Header.Get("Authorization"), string(b)
	status, answer := r.status, r.answer
	r.mu.Unlock()
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

func TestHTTPRunSendsTemplatedRequest(t *testing.T) {
	rec := &recorder{status: 202, answer: "switching to osaka\nqueued"}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	token := "tok-123"
	x := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{
		Method:  "put",
		URL:     srv.URL + "/switch/{{.Target}}?to={{.To}}",
		Headers: map[string]string{"Authorization": "Bearer " + token},
		Body:    `{"from":"{{.From}}","to":"{{.To}}","by":"{{.Actor}}"}`,
	}}, nil, maskOf(token))
	var out lines
	conf, err := x.Run(t.Context(), failover("tokyo", "osaka"), out.out)
	if err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.method != "PUT" || rec.path != "/switch/mirrors?to=osaka" || rec.auth != "Bearer "+token || rec.body != `{"from":"tokyo","to":"osaka","by":"ana"}` {
		t.Fatalf("server got %s %s auth %q body %q", rec.method, rec.path, rec.auth, rec.body)
	}
	if conf != "HTTP 202 Accepted: switching to osaka\nqueued" {
		t.Fatalf("confirmation %q", conf)
	}
	if !strings.Contains(out.String(), "HTTP 202 Accepted\nswitching to osaka\nqueued") {
		t.Fatalf("output %q", out.String())
	}
}

func TestHTTPUnexpectedStatus(t *testing.T) {
	rec := &recorder{status: 500, answer: "backend exploded"}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	x := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: srv.URL + "/s"}}, nil, nil)
	_, err := x.Run(t.Context(), failover("a", "b"), func(string) {})
	wantErr(t, err, `http executor "api"`, "POST "+srv.URL+"/s", "500 Internal Server Error", "backend exploded", "want 200/201/202/204")

	only := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: srv.URL + "/s", ExpectStatus: []int{500}}}, nil, nil)
	if _, err := only.Run(t.Context(), failover("a", "b"), func(string) {}); err != nil {
		t.Fatalf("expect_status 500: %v", err)
	}
}

func TestHTTPTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	x := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: srv.URL}}, nil, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := x.Run(ctx, failover("a", "b"), func(string) {})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("returned after %v", d)
	}
}

func TestHTTPRefusesRedirectToAnotherHost(t *testing.T) {
	other := httptest.NewServer(&recorder{status: 200})
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL+"/elsewhere", http.StatusTemporaryRedirect))
	defer srv.Close()
	x := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: srv.URL}}, nil, nil)
	_, err := x.Run(t.Context(), failover("a", "b"), func(string) {})
	wantErr(t, err, "redirect to another host")
}

func TestHTTPList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/versions/web" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, `[{"id":"old","at":"2026-01-01T00:00:00Z"},{"id":"new","label":"fix","at":"2026-02-01T00:00:00Z"}]`)
	}))
	defer srv.Close()
	x := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: srv.URL, List: srv.URL + "/versions/{{.Target}}"}}, nil, nil)
	v, err := x.(actions.Lister).List(t.Context(), rollback(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 2 || v[0].ID != "new" || v[0].Label != "fix" || v[1].ID != "old" {
		t.Fatalf("List = %+v, want new then old", v)
	}
	missing := mustNew(t, config.Executor{Name: "api", HTTP: &config.HTTPExecutor{URL: srv.URL, List: srv.URL + "/nope"}}, nil, nil)
	_, err = missing.(actions.Lister).List(t.Context(), rollback(""))
	wantErr(t, err, "list", "404")
}

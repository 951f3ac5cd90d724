// Package traffic reads what users get from an HAProxy backend: per server
// request rate, 5xx share and response time, from the runtime API's
// `show stat` counters taken at intervals.
package traffic

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ServerStat is one server's line of `show stat`: cumulative counters
// (-1 when HAProxy leaves the field empty, as in TCP mode) and rtime.
type ServerStat struct {
	Proxy, Server string
	Requests      int64    // req_tot, else stot (sessions) on HAProxy without it
	Resp          [6]int64 // hrsp_1xx … hrsp_5xx, hrsp_other
	RTimeMS       int64    // rtime: mean response time of the last 1024 requests, ms
	Status        string   // UP, DOWN, MAINT, no check …
}

// respColumns are the response-class counters, in Resp's order.
var respColumns = [6]string{"hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"}

// typeServer is show stat's type column for a server line.
const typeServer = "2"

// ParseStat reads a `show stat` reply: a "# " header line naming the
// columns, then CSV lines. Columns are found by name, so HAProxy versions
// that add or move columns read the same. Only server lines are kept.
func ParseStat(reply string) ([]ServerStat, error) {
	first, _, _ := strings.Cut(reply, "\n")
	first = strings.TrimSpace(first)
	if !strings.HasPrefix(first, "# ") {
		if first == "" {
			return nil, errors.New("HAProxy answered nothing")
		}
		return nil, fmt.Errorf("HAProxy answered %q, not show stat's header line", clip(first))
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(reply, "# ")))
	r.FieldsPerRecord = -1 // checked below, naming the line
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("header line: %v", err)
	}
	col := map[string]int{}
	for i, name := range head {
		if _, dup := col[name]; !dup && name != "" {
			col[name] = i
		}
	}
	for _, n := range []string{"pxname", "svname", "stot", "rtime", "status", "type"} {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("header line lacks column %s: not HAProxy's show stat format", n)
		}
	}
	var out []ServerStat
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < len(head) {
			return nil, fmt.Errorf("line %d: %d fields, the header names %d", line, len(rec), len(head))
		}
		if rec[col["type"]] != typeServer {
			continue
		}
		s, err := serverStat(rec, col)
		if err != nil {
			return nil, fmt.Errorf("line %d (%s/%s): %v", line, clip(rec[col["pxname"]]), clip(rec[col["svname"]]), err)
		}
		out = append(out, s)
	}
}

func serverStat(rec []string, col map[string]int) (ServerStat, error) {
	s := ServerStat{Proxy: rec[col["pxname"]], Server: rec[col["svname"]], Status: rec[col["status"]]}
	num := func(name string) (int64, error) {
		i, ok := col[name]
		if !ok || rec[i] == "" {
			return -1, nil
		}
		n, err := strconv.ParseInt(rec[i], 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%s %q is not a count", name, clip(rec[i]))
		}
		return n, nil
	}
	var err error
	if s.Requests, err = num("req_tot"); err != nil {
		return s, err
	}
	if s.Requests < 0 {
		if s.Requests, err = num("stot"); err != nil {
			return s, err
		}
	}
	for i, c := range respColumns {
		if _, ok := col[c]; !ok {
			continue // a class this HAProxy does not count: none of it
		}
		if s.Resp[i], err = num(c); err != nil {
			return s, err
		}
	}
	s.RTimeMS, err = num("rtime")
	return s, err
}

// clip keeps outside text in error messages short.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

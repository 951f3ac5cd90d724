package mirrors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"warroom/backends/config"
)

// MaxSourceBytes is the most the prober reads of a lag file or a manifest. A
// sync beacon is a few bytes and a trace a few hundred; anything bigger is a
// misconfigured path (an HTML index, an ISO) and is refused, not parsed.
const MaxSourceBytes = 64 << 10

// futureSlack is how far ahead of the prober's clock a sync time may be
// before it is rejected: clocks disagree by seconds, not by days.
const futureSlack = 24 * time.Hour

// minPlausible is the earliest sync time accepted. Placeholders (0, year 0,
// 1970) are not sync times and would otherwise read as 50 years of lag.
var minPlausible = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// ParseBeacon reads a beacon file (Arch lastsync, mirrorbits trace): Unix
// epoch seconds, surrounding whitespace ignored.
func ParseBeacon(b []byte, now time.Time) (time.Time, error) {
	if err := checkText(b); err != nil {
		return time.Time{}, err
	}
	s := strings.TrimSpace(string(b))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return time.Time{}, fmt.Errorf("parse %s: number out of range: want seconds since epoch", snippet(s))
		}
		return time.Time{}, fmt.Errorf("parse %s: want seconds since epoch", snippet(s))
	}
	return epochTime(n, 0, now)
}

// ParseTrace reads a Debian trace file in either format: ftpsync's, whose
// first line is `date -u` output, or the archive master's, which starts
// straight with "Key: value" lines. The sync time is the Date: line
// (RFC 2822), or the `date -u` first line when Date: is missing or
// unreadable; the serial is "Archive serial:" (0 when absent).
func ParseTrace(b []byte, now time.Time) (SyncInfo, error) {
	var s SyncInfo
	if err := checkText(b); err != nil {
		return s, err
	}
	lines := strings.Split(string(b), "\n")
	first := strings.TrimSpace(lines[0])
	var firstTime, dateTime time.Time
	dateLine := ""
	if t, err := time.Parse(time.UnixDate, first); err == nil {
		firstTime = t
		lines = lines[1:]
	}
	for _, line := range lines {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "Date":
			dateLine = val
			dateTime = parseTraceDate(val)
		case "Archive serial":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n <= 0 {
				//nolint:staticcheck // ST1005: "Archive serial" is the trace field's own name
				return s, fmt.Errorf("Archive serial %s: want a positive number like 2026082201", snippet(val))
			}
			s.Serial = n
		}
	}
	t := dateTime
	if t.IsZero() {
		t = firstTime
	}
	if t.IsZero() {
		return s, noTraceTime(first, dateLine)
	}
	if err := checkTime(t, now); err != nil {
		return s, err
	}
	s.Beacon = t
	return s, nil
}

// noTraceTime says what a trace without a readable sync time lacked, and
// what each format would have had.
func noTraceTime(first, dateLine string) error {
	const want = "want a `Date: Sat, 22 Aug 2026 14:04:20 +0000` line, or `date -u` output (Sat Aug 22 14:04:20 UTC 2026) as the first line"
	if dateLine != "" {
		return fmt.Errorf("no sync time: Date: %s is not an RFC 2822 date: %s", snippet(dateLine), want)
	}
	return fmt.Errorf("no sync time: no Date: line, and first line %s is not `date -u` output: %s", snippet(first), want)
}

// parseTraceDate accepts the layouts ftpsync has written over the years.
func parseTraceDate(v string) time.Time {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, time.UnixDate, time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// ParseLastModified reads an HTTP Last-Modified header value.
func ParseLastModified(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, errors.New("no Last-Modified header: choose a file the server dates")
	}
	if len(v) > 128 || !utf8.ValidString(v) {
		return time.Time{}, fmt.Errorf("Last-Modified %s: not an HTTP date", snippet(v))
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("Last-Modified %s: not an HTTP date", snippet(v))
	}
	return t, checkTime(t, now)
}

// ParseJSON reads a JSON status document. Field names come from l (dotted
// paths reach into nested objects); the time may be RFC 3339 or epoch
// seconds, the serial a number or a numeric string. At least one of time and
// serial must be present.
func ParseJSON(b []byte, l config.Lag, now time.Time) (SyncInfo, error) {
	var s SyncInfo
	if len(b) > MaxSourceBytes {
		return s, errTooBig
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return s, fmt.Errorf("not a JSON object: %v", shortJSONErr(err))
	}
	timeField := orDefault(l.TimeField, "time")
	serialField := orDefault(l.SerialField, "serial")
	versionField := orDefault(l.VersionField, "version")

	if v, ok := lookup(doc, timeField); ok && v != nil {
		t, err := jsonTime(v, now)
		if err != nil {
			return s, fmt.Errorf("field %q: %w", timeField, err)
		}
		s.Beacon = t
	}
	if v, ok := lookup(doc, serialField); ok && v != nil {
		n, err := jsonSerial(v)
		if err != nil {
			return s, fmt.Errorf("field %q: %w", serialField, err)
		}
		s.Serial = n
	}
	if v, ok := lookup(doc, versionField); ok && v != nil {
		switch x := v.(type) {
		case string:
			s.Version = truncate(x, 64)
		case json.Number:
			s.Version = truncate(x.String(), 64)
		}
	}
	if s.Beacon.IsZero() && s.Serial == 0 {
		return s, fmt.Errorf("no %q or %q field: set lag.time_field or lag.serial_field", timeField, serialField)
	}
	return s, nil
}

func jsonTime(v any, now time.Time) (time.Time, error) {
	switch x := v.(type) {
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return time.Time{}, fmt.Errorf("parse %s: want RFC 3339 time or epoch seconds", snippet(x))
		}
		return t, checkTime(t, now)
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return epochTime(n, 0, now)
		}
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f > math.MaxInt64/2 || f < math.MinInt64/2 {
			return time.Time{}, fmt.Errorf("parse %s: number out of range: want epoch seconds", snippet(x.String()))
		}
		sec, frac := math.Modf(f)
		return epochTime(int64(sec), int64(frac*1e9), now)
	default:
		return time.Time{}, errors.New("want RFC 3339 string or epoch seconds")
	}
}

func jsonSerial(v any) (int64, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	default:
		return 0, errors.New("want a number")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("parse %s: want a positive whole number", snippet(s))
	}
	return n, nil
}

// lookup follows a dotted path ("status.serial") through nested objects.
func lookup(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, part := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = obj[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

var errTooBig = fmt.Errorf("larger than %d KiB: point the path at the sync file itself", MaxSourceBytes>>10)

// checkText refuses what cannot be a text sync file before parsing it.
func checkText(b []byte) error {
	if len(b) > MaxSourceBytes {
		return errTooBig
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty file")
	}
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		return errors.New("binary content (NUL bytes or invalid UTF-8): not a sync file")
	}
	return nil
}

// epochTime turns epoch seconds into a time, refusing implausible values
// before they can overflow time arithmetic.
func epochTime(sec, nsec int64, now time.Time) (time.Time, error) {
	if sec < 0 {
		return time.Time{}, fmt.Errorf("negative time %d: want seconds since epoch", sec)
	}
	if sec > now.Unix()+int64(futureSlack/time.Second) {
		if sec > 1e11 {
			return time.Time{}, fmt.Errorf("time %d is in the future (milliseconds?): want seconds since epoch", sec)
		}
		return time.Time{}, fmt.Errorf("time %s is in the future (prober clock %s): check the origin's clock",
			time.Unix(sec, 0).UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return time.Unix(sec, nsec).UTC(), checkTime(time.Unix(sec, 0), now)
}

// checkTime rejects placeholder and far-future sync times.
func checkTime(t, now time.Time) error {
	if t.Before(minPlausible) {
		return fmt.Errorf("time %s is before 2000: not a sync time", t.UTC().Format(time.RFC3339))
	}
	if t.After(now.Add(futureSlack)) {
		return fmt.Errorf("time %s is in the future (prober clock %s): check the origin's clock",
			t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// snippet quotes the start of hostile input safely for an error message.
func snippet(s string) string { return strconv.Quote(truncate(s, 32)) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// shortJSONErr keeps decoder errors on one short line.
func shortJSONErr(err error) string {
	return truncate(strings.TrimPrefix(err.Error(), "json: "), 80)
}

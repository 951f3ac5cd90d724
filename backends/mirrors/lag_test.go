package mirrors

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
)

var testNow = time.Date(2026, 8, 22, 15, 0, 0, 0, time.UTC)

func TestParseBeacon(t *testing.T) {
	huge := strings.Repeat("1", MaxSourceBytes+1)
	tests := []struct {
		name, in string
		want     time.Time
		err      string // substring; "" = success
	}{
		{"plain", "1787407460", time.Unix(1787407460, 0), ""},
		{"whitespace", " \t1787407460\r\n\n", time.Unix(1787407460, 0), ""},
		{"letters", "abc", time.Time{}, `parse "abc": want seconds since epoch`},
		{"empty", "", time.Time{}, "empty file"},
		{"blank", " \n\t", time.Time{}, "empty file"},
		{"negative", "-5", time.Time{}, "negative time -5"},
		{"zero", "0", time.Time{}, "before 2000"},
		{"far future", "4102444800", time.Time{}, "in the future"},
		{"milliseconds", "1787407460000", time.Time{}, "milliseconds?"},
		{"overflow", "99999999999999999999999", time.Time{}, "out of range"},
		{"max int64", "9223372036854775807", time.Time{}, "in the future"},
		{"min int64", "-9223372036854775808", time.Time{}, "negative"},
		{"float", "1787407460.5", time.Time{}, "want seconds since epoch"},
		{"two numbers", "1787407460 1787407460", time.Time{}, "want seconds since epoch"},
		{"nul", "1787407460\x00", time.Time{}, "binary content"},
		{"binary", "\xff\xfe\x00\x01", time.Time{}, "binary content"},
		{"invalid utf8", "17874\xc3", time.Time{}, "binary content"},
		{"html", "<html><body>404</body></html>", time.Time{}, `parse "<html><body>404</body></html>"`},
		{"huge", huge, time.Time{}, "larger than 64 KiB"},
		{"long garbage quoted short", strings.Repeat("x", 1000), time.Time{}, `"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"`},
		{"a day ahead is fine", "1787490000", time.Unix(1787490000, 0), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseBeacon([]byte(tc.in), testNow)
			checkErr(t, err, tc.err)
			if tc.err == "" && !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

const goodTrace = `Sat Aug 22 14:04:20 UTC 2026
Date: Sat, 22 Aug 2026 14:04:20 +0000
Date-Started: Sat, 22 Aug 2026 14:01:02 +0000
Archive serial: 2026082201
Creator: ftpsync 20180513
Running on host: origin.example.org
`

// masterTrace is the archive master's own format: no `date -u` line.
const masterTrace = `Date: Sat, 22 Aug 2026 14:04:20 +0000
Date-Started: Sat, 22 Aug 2026 14:01:02 +0000
Archive serial: 2026082201
Creator: dak
Running on host: master.example.org
`

func TestParseTrace(t *testing.T) {
	at := time.Date(2026, 8, 22, 14, 4, 20, 0, time.UTC)
	tests := []struct {
		name, in string
		want     time.Time
		serial   int64
		err      string
	}{
		{"ftpsync", goodTrace, at, 2026082201, ""},
		{"crlf", strings.ReplaceAll(goodTrace, "\n", "\r\n"), at, 2026082201, ""},
		{"first line only", "Sat Aug 22 14:04:20 UTC 2026\n", at, 0, ""},
		{"single digit day", "Sun Aug  2 14:04:20 UTC 2026\n", time.Date(2026, 8, 2, 14, 4, 20, 0, time.UTC), 0, ""},
		{"date line wins", "Sat Aug 22 10:00:00 UTC 2026\nDate: Sat, 22 Aug 2026 14:04:20 +0000\n", at, 0, ""},
		{"bad date line falls back", "Sat Aug 22 14:04:20 UTC 2026\nDate: yesterday\n", at, 0, ""},
		{"archive master", masterTrace, at, 2026082201, ""},
		{"archive master crlf", strings.ReplaceAll(masterTrace, "\n", "\r\n"), at, 2026082201, ""},
		{"archive master bad date", "Date: yesterday\nArchive serial: 2026082201\n", time.Time{}, 0,
			"no sync time: Date: \"yesterday\" is not an RFC 2822 date: want a `Date: Sat, 22 Aug 2026 14:04:20 +0000` line, or `date -u`"},
		{"no date at all", "hello\nArchive serial: 2026082201\n", time.Time{}, 0,
			"no sync time: no Date: line, and first line \"hello\" is not `date -u` output: want a `Date:"},
		{"bad serial", "Sat Aug 22 14:04:20 UTC 2026\nArchive serial: 20x6\n", time.Time{}, 0, `Archive serial "20x6"`},
		{"negative serial", "Sat Aug 22 14:04:20 UTC 2026\nArchive serial: -1\n", time.Time{}, 0, "want a positive number"},
		{"serial overflow", "Sat Aug 22 14:04:20 UTC 2026\nArchive serial: 99999999999999999999999\n", time.Time{}, 0, "Archive serial"},
		{"year 0", "Sat Jan  1 00:00:00 UTC 0000\n", time.Time{}, 0, "before 2000"},
		{"far future", "Sat Aug 22 14:04:20 UTC 2126\n", time.Time{}, 0, "in the future"},
		{"empty", "", time.Time{}, 0, "empty file"},
		{"nul bytes", "Sat Aug 22 14:04:20 UTC 2026\n\x00\x00", time.Time{}, 0, "binary content"},
		{"huge", goodTrace + strings.Repeat("Creator: x\n", MaxSourceBytes/10), time.Time{}, 0, "larger than 64 KiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTrace([]byte(tc.in), testNow)
			checkErr(t, err, tc.err)
			if tc.err != "" {
				return
			}
			if !got.Beacon.Equal(tc.want) || got.Serial != tc.serial {
				t.Errorf("got beacon %v serial %d, want %v %d", got.Beacon, got.Serial, tc.want, tc.serial)
			}
		})
	}
}

func TestParseLastModified(t *testing.T) {
	tests := []struct {
		name, in string
		want     time.Time
		err      string
	}{
		{"http date", "Sat, 22 Aug 2026 14:04:20 GMT", time.Date(2026, 8, 22, 14, 4, 20, 0, time.UTC), ""},
		{"rfc850", "Saturday, 22-Aug-26 14:04:20 GMT", time.Date(2026, 8, 22, 14, 4, 20, 0, time.UTC), ""},
		{"missing", "", time.Time{}, "no Last-Modified header"},
		{"garbage", "yesterday", time.Time{}, `Last-Modified "yesterday": not an HTTP date`},
		{"epoch", "Thu, 01 Jan 1970 00:00:00 GMT", time.Time{}, "before 2000"},
		{"future", "Sat, 22 Aug 2126 14:04:20 GMT", time.Time{}, "in the future"},
		{"huge", strings.Repeat("a", 10000), time.Time{}, "not an HTTP date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLastModified(tc.in, testNow)
			checkErr(t, err, tc.err)
			if tc.err == "" && !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	at := time.Date(2026, 8, 22, 14, 4, 20, 0, time.UTC)
	def := config.Lag{Kind: config.LagJSON}
	custom := config.Lag{Kind: config.LagJSON, TimeField: "status.synced", SerialField: "rev", VersionField: "tag"}
	tests := []struct {
		name    string
		in      string
		lag     config.Lag
		want    time.Time
		serial  int64
		version string
		err     string
	}{
		{"sim", `{"time":"2026-08-22T14:04:20Z","serial":2026082201,"version":"1.0.1"}`, def, at, 2026082201, "1.0.1", ""},
		{"epoch number", `{"time":1787407460}`, def, time.Unix(1787407460, 0), 0, "", ""},
		{"epoch float", `{"time":1787407460.5}`, def, time.Unix(1787407460, 5e8), 0, "", ""},
		{"serial string", `{"serial":"2026082201"}`, def, time.Time{}, 2026082201, "", ""},
		{"numeric version", `{"serial":7,"version":3.14}`, def, time.Time{}, 7, "3.14", ""},
		{"nested custom fields", `{"status":{"synced":"2026-08-22T16:04:20+02:00"},"rev":12,"tag":"v12"}`, custom, at, 12, "v12", ""},
		{"null time ignored", `{"time":null,"serial":5}`, def, time.Time{}, 5, "", ""},
		{"neither field", `{"other":1}`, def, time.Time{}, 0, "", `no "time" or "serial" field`},
		{"not object", `[1,2,3]`, def, time.Time{}, 0, "", "not a JSON object"},
		{"not json", `abc`, def, time.Time{}, 0, "", "not a JSON object"},
		{"empty", ``, def, time.Time{}, 0, "", "not a JSON object"},
		{"bad time", `{"time":"yesterday"}`, def, time.Time{}, 0, "", `field "time": parse "yesterday": want RFC 3339`},
		{"time bool", `{"time":true}`, def, time.Time{}, 0, "", `field "time": want RFC 3339 string or epoch seconds`},
		{"year 0", `{"time":"0000-01-01T00:00:00Z"}`, def, time.Time{}, 0, "", "before 2000"},
		{"future", `{"time":"2126-01-01T00:00:00Z"}`, def, time.Time{}, 0, "", "in the future"},
		{"negative epoch", `{"time":-1}`, def, time.Time{}, 0, "", "negative time"},
		{"overflow epoch", `{"time":1e400}`, def, time.Time{}, 0, "", "out of range"},
		{"huge epoch int", `{"time":99999999999999999999}`, def, time.Time{}, 0, "", "out of range"},
		{"negative serial", `{"serial":-3}`, def, time.Time{}, 0, "", `field "serial": parse "-3": want a positive whole number`},
		{"fraction serial", `{"serial":1.5}`, def, time.Time{}, 0, "", "want a positive whole number"},
		{"object serial", `{"serial":{}}`, def, time.Time{}, 0, "", `field "serial": want a number`},
		{"huge", `{"time":"` + strings.Repeat("x", MaxSourceBytes) + `"}`, def, time.Time{}, 0, "", "larger than 64 KiB"},
		{"binary", "\x00\x01\x02", def, time.Time{}, 0, "", "not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseJSON([]byte(tc.in), tc.lag, testNow)
			checkErr(t, err, tc.err)
			if tc.err != "" {
				return
			}
			if !got.Beacon.Equal(tc.want) || got.Serial != tc.serial || got.Version != tc.version {
				t.Errorf("got %v/%d/%q, want %v/%d/%q", got.Beacon, got.Serial, got.Version, tc.want, tc.serial, tc.version)
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("want error containing %q, got none", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

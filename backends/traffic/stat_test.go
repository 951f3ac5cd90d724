package traffic

import (
	"os"
	"strings"
	"testing"
)

// A reply captured from HAProxy 2.6 (`show stat mirrors 4 -1`).
func TestParseStatReadsHAProxysReply(t *testing.T) {
	b, err := os.ReadFile("testdata/show_stat_2.6.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseStat(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d servers, want 2: %+v", len(got), got)
	}
	tokyo := got[0]
	if tokyo.Proxy != "mirrors" || tokyo.Server != "tokyo" || tokyo.Requests != 2 || tokyo.Resp[1] != 2 || tokyo.Resp[4] != 0 || tokyo.RTimeMS != 2 || tokyo.Status != "no check" {
		t.Errorf("tokyo = %+v", tokyo)
	}
}

// Columns are found by name: another order (or more columns) reads the same.
func TestParseStatFindsColumnsByName(t *testing.T) {
	reply := "# svname,extra,type,rtime,hrsp_5xx,pxname,hrsp_2xx,stot,status,\n" +
		"FRONTEND,x,0,,,fe,10,10,OPEN,\n" +
		"web1,x,2,41,3,be,7,12,UP,\n" +
		"BACKEND,x,1,41,3,be,7,12,UP,\n"
	got, err := ParseStat(reply)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("want only the server line, got %+v", got)
	}
	s := got[0]
	// No req_tot column: stot stands in; classes without a column count none.
	if s.Server != "web1" || s.Proxy != "be" || s.Requests != 12 || s.Resp[4] != 3 || s.Resp[1] != 7 || s.Resp[0] != 0 || s.RTimeMS != 41 {
		t.Errorf("got %+v", s)
	}
}

func TestParseStatBadInputSaysWhatAndWhere(t *testing.T) {
	head := "# pxname,svname,stot,rtime,status,type,hrsp_5xx\n"
	for name, tc := range map[string]struct{ reply, want string }{
		"empty":          {"", "answered nothing"},
		"error reply":    {"Unknown command. Please enter one of the following commands only:\n", `answered "Unknown command.`},
		"missing column": {"# pxname,svname,stot,status,type\n", "lacks column rtime"},
		"short line":     {head + "be,web1,3\n", "line 2: 3 fields, the header names 7"},
		"not a number":   {head + "be,web1,3,x1,UP,2,0\n", `line 2 (be/web1): rtime "x1" is not a count`},
		"negative":       {head + "be,web1,3,1,UP,2,-4\n", `hrsp_5xx "-4" is not a count`},
		"bad quoting":    {head + "be,\"web1,3,1,UP,2,0\n", "line"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseStat(tc.reply)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func FuzzParseStat(f *testing.F) {
	b, _ := os.ReadFile("testdata/show_stat_2.6.csv")
	f.Add(string(b))
	f.Add("# pxname,svname,stot,rtime,status,type\nbe,a,1,2,UP,2\n")
	f.Fuzz(func(t *testing.T, s string) { _, _ = ParseStat(s) })
}

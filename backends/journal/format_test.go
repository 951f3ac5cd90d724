package journal

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
)

func TestLineRoundTrip(t *testing.T) {
	objs := []string{
		`{"kind":"alert.raised","text":"tokyo down"}`,
		`{}`,
		`{ }`,
		`{"nested":{"_seq":1,"_crc":"x"},"arr":[{"_seq":2}]}`,
		`{"text":"has \"_seq\":9 and ,\"_crc\":\"00000000\"} inside"}`,
		`{"uni":"日本語 \u2028"}`,
		`{"a" : 1 , "b" : [ 1 , 2 ] }`,
	}
	for i, o := range objs {
		seq := uint64(i*1000 + 1)
		if err := checkObject([]byte(o)); err != nil {
			t.Fatalf("checkObject(%s): %v", o, err)
		}
		line := appendLine(nil, []byte(o), seq)
		if line[len(line)-1] != '\n' || strings.Count(string(line), "\n") != 1 {
			t.Fatalf("line for %s is not one line: %q", o, line)
		}
		gotSeq, data, why := parseLine(line[:len(line)-1])
		if why != "" {
			t.Fatalf("parseLine(%s): %s", line, why)
		}
		if gotSeq != seq || string(data) != o {
			t.Fatalf("round trip of %s: got seq %d data %s", o, gotSeq, data)
		}
	}
}

// TestLineRule checks the documented rule byte for byte, including the
// package doc's example.
func TestLineRule(t *testing.T) {
	body := `{"kind":"alert.raised","text":"tokyo down","_seq":42`
	sum := crc32.Checksum([]byte(body), crc32.MakeTable(crc32.Castagnoli))
	want := fmt.Sprintf(`%s,"_crc":"%08x"}`+"\n", body, sum)
	got := appendLine(nil, []byte(`{"kind":"alert.raised","text":"tokyo down"}`), 42)
	if string(got) != want {
		t.Fatalf("line:\n got %s\nwant %s", got, want)
	}
	if want != `{"kind":"alert.raised","text":"tokyo down","_seq":42,"_crc":"bc113303"}`+"\n" {
		t.Errorf("the package doc's example is stale; the line is %s", want)
	}
	if got := string(appendLine(nil, []byte(`{}`), 7)); !strings.HasPrefix(got, `{"_seq":7,"_crc":"`) {
		t.Errorf("empty object line = %s", got)
	}
}

func TestCheckObjectRejects(t *testing.T) {
	cases := map[string]string{
		"array":            `[1,2]`,
		"string":           `"x"`,
		"leading space":    ` {"a":1}`,
		"trailing newline": "{\"a\":1}\n",
		"inner newline":    "{\"a\":\n1}",
		"inner CR":         "{\"a\":\r1}",
		"invalid":          `{"a":}`,
		"trailing comma":   `{"a":1,}`,
		"two objects":      `{"a":1}{"b":2}`,
		"reserved seq":     `{"a":1,"_seq":3}`,
		"reserved crc":     `{"_crc":"x"}`,
		"escaped reserved": `{"\u005fseq":1}`,
		"empty":            ``,
		"too long":         `{"a":"` + strings.Repeat("x", MaxLineBytes) + `"}`,
	}
	for name, o := range cases {
		err := checkObject([]byte(o))
		if !errors.Is(err, ErrInvalidRecord) {
			t.Errorf("%s: checkObject(%.40q) = %v, want ErrInvalidRecord", name, o, err)
		}
	}
}

func TestParseLineRejects(t *testing.T) {
	good := string(appendLine(nil, []byte(`{"a":1}`), 5))
	good = good[:len(good)-1]
	cases := map[string]string{
		"empty":          ``,
		"half":           good[:len(good)/2],
		"no brace":       "x" + good[1:],
		"flipped byte":   strings.Replace(good, `"a":1`, `"a":2`, 1),
		"upper hex":      strings.ToUpper(good),
		"seq changed":    strings.Replace(good, `"_seq":5`, `"_seq":6`, 1),
		"no seq":         withCRC(`{"a":1`),
		"leading zero":   withCRC(`{"a":1,"_seq":05`),
		"zero seq":       withCRC(`{"a":1,"_seq":0`),
		"huge seq":       withCRC(`{"a":1,"_seq":99999999999999999999`),
		"bad json":       withCRC(`{"a":,"_seq":5`),
		"missing comma":  withCRC(`{"a":1"_seq":5`),
		"zeros":          "\x00\x00\x00",
		"suffix missing": good[:len(good)-crcSuffixLen],
	}
	for name, l := range cases {
		if _, _, why := parseLine([]byte(l)); why == "" {
			t.Errorf("%s: parseLine(%q) accepted it", name, l)
		}
	}
}

// withCRC completes body with a correct checksum, to build lines whose only
// fault lies elsewhere.
func withCRC(body string) string {
	sum := crc32.Checksum([]byte(body), crc32.MakeTable(crc32.Castagnoli))
	return fmt.Sprintf(`%s,"_crc":"%08x"}`, body, sum)
}

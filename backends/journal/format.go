package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
)

// MaxLineBytes is the longest record line (without its newline) the journal
// writes or reads. Append rejects objects that would make a longer line; on
// Open a longer line is damage.
const MaxLineBytes = 1 << 20

// The fixed parts of a line; see the package doc for the rule.
const (
	seqKey    = `"_seq":`
	crcPrefix = `,"_crc":"`
	crcTail   = `"}`
	// crcSuffixLen is the length of `,"_crc":"xxxxxxxx"}`.
	crcSuffixLen = len(crcPrefix) + 8 + len(crcTail)
	// maxOverhead bounds what appendLine adds to the caller's object.
	maxOverhead = 1 + len(seqKey) + 20 + crcSuffixLen
)

// castagnoli is read-only after package initialisation.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrInvalidRecord is wrapped by Append's error when an object cannot be
// journaled; the journal stays usable.
var ErrInvalidRecord = errors.New("invalid journal record")

// checkObject says why obj cannot be journaled, or returns nil.
func checkObject(obj []byte) error {
	if len(obj) < 2 || obj[0] != '{' || obj[len(obj)-1] != '}' {
		return fmt.Errorf("%w: want a JSON object starting with '{' and ending with '}' (no surrounding whitespace), got %q", ErrInvalidRecord, clip(obj))
	}
	if i := bytes.IndexAny(obj, "\r\n"); i >= 0 {
		return fmt.Errorf("%w: raw line break at byte %d: marshal with encoding/json (it escapes them) so the record stays on one line", ErrInvalidRecord, i)
	}
	if len(obj)+maxOverhead > MaxLineBytes {
		return fmt.Errorf("%w: %d bytes is over the %d-byte line limit: shorten the record", ErrInvalidRecord, len(obj), MaxLineBytes-maxOverhead)
	}
	if !json.Valid(obj) {
		return fmt.Errorf("%w: not valid JSON: %q", ErrInvalidRecord, clip(obj))
	}
	if key, ok := reservedKey(obj); ok {
		return fmt.Errorf("%w: top-level key %q is reserved for the journal: rename it", ErrInvalidRecord, key)
	}
	return nil
}

// CheckRecord says why obj cannot be journaled (wrapping ErrInvalidRecord),
// or returns nil: a replicated journal checks each record before it is sent,
// so every node's local copy can store it.
func CheckRecord(obj []byte) error { return checkObject(obj) }

// reservedKey reports whether the valid JSON object obj has a top-level key
// "_seq" or "_crc". It walks the bytes once and decodes only keys that hold an
// escape, so the common case allocates nothing.
func reservedKey(obj []byte) (string, bool) {
	depth := 0
	expectKey := false
	for i := 0; i < len(obj); i++ {
		switch c := obj[i]; c {
		case '{':
			depth++
			expectKey = depth == 1
		case '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1
		case '"':
			end := stringEnd(obj, i)
			if expectKey && depth == 1 {
				if key, ok := isReserved(obj[i : end+1]); ok {
					return key, true
				}
				expectKey = false
			}
			i = end
		}
	}
	return "", false
}

// stringEnd returns the index of the closing quote of the string opening at i.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(b) - 1
}

// isReserved reports whether the quoted JSON string q decodes to a reserved key.
func isReserved(q []byte) (string, bool) {
	if bytes.IndexByte(q, '\\') < 0 {
		s := q[1 : len(q)-1]
		if string(s) == "_seq" || string(s) == "_crc" {
			return string(s), true
		}
		return "", false
	}
	var s string
	if json.Unmarshal(q, &s) != nil {
		return "", false
	}
	return s, s == "_seq" || s == "_crc"
}

// appendLine appends obj's journal line for seq (with its newline) to buf.
// obj must have passed checkObject.
func appendLine(buf, obj []byte, seq uint64) []byte {
	start := len(buf)
	buf = append(buf, obj[:len(obj)-1]...)
	if !emptyObject(obj) {
		buf = append(buf, ',')
	}
	buf = append(buf, seqKey...)
	buf = strconv.AppendUint(buf, seq, 10)
	sum := crc32.Checksum(buf[start:], castagnoli)
	buf = append(buf, crcPrefix...)
	buf = appendHex8(buf, sum)
	buf = append(buf, crcTail...)
	return append(buf, '\n')
}

func appendHex8(buf []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		buf = append(buf, digits[(v>>uint(shift))&0xf])
	}
	return buf
}

// emptyObject reports whether obj ('{' ... '}') has only whitespace inside.
func emptyObject(obj []byte) bool {
	return len(bytes.TrimSpace(obj[1:len(obj)-1])) == 0
}

// parseLine checks one line (without its newline) and returns its seq and the
// caller's object as a new slice. why is empty when the line is good.
func parseLine(line []byte) (seq uint64, data []byte, why string) {
	if len(line) == 0 {
		return 0, nil, "empty line"
	}
	if line[0] != '{' {
		return 0, nil, "does not start with '{'"
	}
	n := len(line)
	if n < 1+len(seqKey)+1+crcSuffixLen {
		return 0, nil, "too short for a record"
	}
	suffix := line[n-crcSuffixLen:]
	if !bytes.HasPrefix(suffix, []byte(crcPrefix)) || !bytes.HasSuffix(suffix, []byte(crcTail)) {
		return 0, nil, `no "_crc" at the end`
	}
	want, ok := parseHex8(suffix[len(crcPrefix) : len(crcPrefix)+8])
	if !ok {
		return 0, nil, `"_crc" is not 8 lower-case hex digits`
	}
	body := line[:n-crcSuffixLen]
	if got := crc32.Checksum(body, castagnoli); got != want {
		return 0, nil, fmt.Sprintf("checksum mismatch (stored %08x, computed %08x)", want, got)
	}
	d := len(body)
	for d > 0 && body[d-1] >= '0' && body[d-1] <= '9' {
		d--
	}
	digits := body[d:]
	if len(digits) == 0 || len(digits) > 20 || digits[0] == '0' {
		return 0, nil, `"_seq" is not a positive decimal number`
	}
	seq, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil {
		return 0, nil, `"_seq" is out of range`
	}
	head := body[:d]
	if !bytes.HasSuffix(head, []byte(seqKey)) {
		return 0, nil, `no "_seq" before "_crc"`
	}
	head = head[:len(head)-len(seqKey)]
	// The separator is a ',' unless the caller's object was empty.
	switch {
	case head[len(head)-1] == ',':
		head = head[:len(head)-1]
	case len(bytes.TrimSpace(head[1:])) != 0:
		return 0, nil, `no ',' before "_seq"`
	}
	data = make([]byte, len(head)+1)
	copy(data, head)
	data[len(head)] = '}'
	if !json.Valid(data) {
		return 0, nil, "record is not a valid JSON object"
	}
	return seq, data, ""
}

func parseHex8(b []byte) (uint32, bool) {
	var v uint32
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint32(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | uint32(c-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// clip shortens b for an error message.
func clip(b []byte) []byte {
	if len(b) > 60 {
		return append(b[:60:60], "..."...)
	}
	return b
}

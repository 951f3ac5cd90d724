package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
)

// ErrCorrupt is wrapped by the error Open returns when the journal is damaged
// in a way a crash cannot explain.
var ErrCorrupt = errors.New("journal is corrupt")

// CorruptError says where a journal is damaged and why Open left it alone.
type CorruptError struct {
	Path   string
	Line   int   // 1-based line number of the first damaged line
	Offset int64 // byte offset where that line starts
	Reason string
	// Detail says why this is not a torn tail: "a good record follows at
	// line 9" or "line 3 is valid JSON but not a journal record".
	Detail string
}

func (e *CorruptError) Error() string {
	base := filepath.Base(e.Path)
	return fmt.Sprintf("journal %s: line %d (byte offset %d) is damaged (%s), and %s, so this is not a torn tail from a crash; "+
		"nothing was changed: move the file aside (mv %s %s.damaged) to start a new journal, or repair that line by hand",
		e.Path, e.Line, e.Offset, e.Reason, e.Detail, base, base)
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// scanResult is what a read of the whole journal found.
type scanResult struct {
	records []Record
	lastSeq uint64
	goodEnd int64 // offset just past the last good record: where a torn tail is cut
	size    int64 // bytes read
	// Set when a torn tail follows the good records; it starts at goodEnd.
	tornLine   int
	tornReason string
}

// rawLine is one line as the scanner saw it. text is only valid until the
// next read and is nil for a line longer than MaxLineBytes.
type rawLine struct {
	text     []byte // without the newline
	n        int64  // bytes consumed, newline included
	complete bool   // ended with a newline
	tooLong  bool
	allZero  bool // every byte before the newline is NUL
	first    byte // the first byte (0 for an empty line)
}

// lineReader splits a stream into lines without holding more than
// MaxLineBytes+1 bytes, however long a line is.
type lineReader struct{ br *bufio.Reader }

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, MaxLineBytes+1)}
}

// next returns the next line; io.EOF when nothing is left.
func (lr *lineReader) next() (rawLine, error) {
	chunk, err := lr.br.ReadSlice('\n')
	l := rawLine{n: int64(len(chunk)), allZero: true}
	if len(chunk) > 0 {
		l.first = chunk[0]
	}
	for err == bufio.ErrBufferFull {
		l.tooLong = true
		l.allZero = l.allZero && isZeros(chunk)
		chunk, err = lr.br.ReadSlice('\n')
		l.n += int64(len(chunk))
	}
	switch {
	case err == io.EOF && l.n == 0:
		return l, io.EOF
	case err != nil && err != io.EOF:
		return l, err
	}
	l.complete = err == nil
	body := chunk
	if l.complete {
		body = chunk[:len(chunk)-1]
	}
	l.allZero = l.allZero && isZeros(body)
	if !l.tooLong {
		l.text = body
	}
	return l, nil
}

func isZeros(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// scan reads a journal from the start, keeps its good records and decides
// whether what follows them is a torn tail (returned for cutting) or damage
// that a crash cannot explain (a *CorruptError).
func scan(r io.Reader, path string) (scanResult, error) {
	var res scanResult
	lr := newLineReader(r)
	var off int64
	lineNo := 0
	for {
		l, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, fmt.Errorf("journal %s: read at byte offset %d: %w", path, off, err)
		}
		lineNo++
		if res.tornLine == 0 {
			seq, data, why := checkLine(l)
			if why == "" && res.lastSeq != 0 && seq != res.lastSeq+1 {
				why = fmt.Sprintf("seq %d follows seq %d", seq, res.lastSeq)
			}
			if why == "" {
				res.records = append(res.records, Record{Seq: seq, Data: data})
				res.lastSeq = seq
				res.goodEnd = off + l.n
			} else {
				res.tornLine, res.tornReason = lineNo, why
				if l.first != '{' && !l.allZero {
					// Every line the journal writes starts with '{', and a
					// torn write keeps a prefix; unwritten space reads as zeros.
					return res, &CorruptError{Path: path, Line: lineNo, Offset: off, Reason: why,
						Detail: "it starts with neither '{' nor zero bytes"}
				}
			}
		}
		if res.tornLine != 0 {
			if detail := explainsNotTorn(l, lineNo, lineNo == res.tornLine); detail != "" {
				return res, &CorruptError{Path: path, Line: res.tornLine, Offset: res.goodEnd,
					Reason: res.tornReason, Detail: detail}
			}
		}
		off += l.n
	}
	res.size = off
	return res, nil
}

// checkLine is parseLine for a rawLine.
func checkLine(l rawLine) (uint64, []byte, string) {
	switch {
	case l.tooLong && l.allZero:
		return 0, nil, fmt.Sprintf("%d zero bytes", l.n)
	case l.tooLong:
		return 0, nil, fmt.Sprintf("line longer than %d bytes", MaxLineBytes)
	case !l.complete && l.allZero:
		return 0, nil, fmt.Sprintf("%d zero bytes", l.n)
	case !l.complete:
		return 0, nil, "no newline at the end (cut short)"
	case l.allZero && len(l.text) > 0:
		return 0, nil, fmt.Sprintf("%d zero bytes", len(l.text))
	}
	return parseLine(l.text)
}

// explainsNotTorn looks at the first damaged line (first) or a line after it
// and says why it cannot be part of a torn tail, or returns "".
func explainsNotTorn(l rawLine, lineNo int, first bool) string {
	if !l.complete || l.tooLong {
		return ""
	}
	if _, _, why := parseLine(l.text); why == "" && !first {
		return fmt.Sprintf("a good record follows at line %d", lineNo)
	}
	// A crash never leaves a whole line without the journal's fields: such a
	// line was written by something else (a hand edit, another program).
	t := bytes.TrimSpace(l.text)
	if len(t) > 0 && !hasCRCSuffix(t) && json.Valid(t) {
		return fmt.Sprintf("line %d is valid JSON but not a journal record (no valid \"_seq\"/\"_crc\"): was the file edited or written by another program?", lineNo)
	}
	return ""
}

// hasCRCSuffix reports whether line ends like a journal record, whatever its
// checksum says.
func hasCRCSuffix(line []byte) bool {
	n := len(line)
	return n >= crcSuffixLen && bytes.HasPrefix(line[n-crcSuffixLen:], []byte(crcPrefix)) && bytes.HasSuffix(line, []byte(crcTail))
}

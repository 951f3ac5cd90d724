package sshroom

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// replyFilter takes a terminal's answers to terminalQuery out of its input
// until the answers are complete or it is past until. Bubble Tea v1 would
// read an OSC 11 answer as alt+] and a run of letters and digits: keys.
type replyFilter struct {
	until time.Time
	held  []byte // the start of an answer that a read cut off
	// holdEsc holds a lone ESC at the end of a read too, as it may start
	// an answer: while the program does not run yet, nobody waits for it.
	holdEsc bool
	bg      string // the OSC 11 answer ("rgb:RRRR/GGGG/BBBB"), "" without one
	done    bool   // the DA1 answer came: nothing more to expect
}

// maxReply bounds what is held as the start of an answer.
const maxReply = 64

func (f *replyFilter) strip(b []byte, now time.Time) []byte {
	if len(f.held) > 0 {
		b = append(f.held, b...)
		f.held = nil
	}
	if f.done || now.After(f.until) {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0x1b)
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		b = b[i:]
		n, cut := f.reply(b)
		switch {
		case n > 0:
			b = b[n:]
		case cut:
			f.held = append([]byte(nil), b...)
			return out
		default: // an escape that starts no answer: a key
			out = append(out, b[0])
			b = b[1:]
		}
	}
	return out
}

// reply measures an answer at the start of b (which starts with ESC): its
// length, or cut when b may be the start of one that a read cut off. A
// lone ESC is the Esc key, never held.
func (f *replyFilter) reply(b []byte) (n int, cut bool) {
	mayBe := func(prefix string) bool {
		return len(b) >= 2 && len(b) < len(prefix) && strings.HasPrefix(prefix, string(b))
	}
	switch {
	case bytes.HasPrefix(b, []byte("\x1b]11;")):
		body := b[5:]
		for j := range body {
			switch {
			case body[j] == 0x07:
				f.bg = string(body[:j])
				return 5 + j + 1, false
			case body[j] == 0x1b && j+1 < len(body) && body[j+1] == '\\':
				f.bg = string(body[:j])
				return 5 + j + 2, false
			}
		}
		return 0, len(b) < maxReply
	case bytes.HasPrefix(b, []byte("\x1b[?")):
		j := 3
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == ';') {
			j++
		}
		if j == len(b) {
			return 0, len(b) < maxReply
		}
		if b[j] == 'c' {
			f.done = true
			return j + 1, false
		}
		return 0, false
	}
	return 0, (f.holdEsc && len(b) == 1) || mayBe("\x1b]11;") || mayBe("\x1b[?")
}

// release ends holding a lone ESC and hands it back: the program that
// starts now may be waiting for the Esc key.
func (f *replyFilter) release() []byte {
	f.holdEsc = false
	if string(f.held) != "\x1b" {
		return nil
	}
	f.held = nil
	return []byte{0x1b}
}

// dark says whether the answered background is dark; true without an answer.
func (f *replyFilter) dark() bool {
	rgb, ok := strings.CutPrefix(f.bg, "rgb:")
	parts := strings.Split(rgb, "/")
	if !ok || len(parts) != 3 {
		return true
	}
	var lum float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(parts[i], 16, 16)
		if err != nil || len(parts[i]) == 0 || len(parts[i]) > 4 {
			return true
		}
		lum += weight * float64(v) / float64(uint64(1)<<(4*len(parts[i]))-1)
	}
	return lum < 0.5
}

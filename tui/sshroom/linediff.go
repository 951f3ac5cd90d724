package sshroom

import (
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/charmbracelet/x/ansi"
)

// lineDiffs makes the bytes that turn one frame into the next on a
// terminal of w×h cells, and keeps them for the server's other sessions:
// sessions showing the same frames (the app shares them) move between the
// same two strings, so one diff serves them all.
type lineDiffs struct {
	mu      sync.Mutex
	entries map[diffKey]*diffEntry

	made, shared uint64
}

// diffKey names two frames by their strings' memory: the entry holds both
// strings, so their memory is not reused while the entry lives. Equal
// frames at other addresses only miss the cache.
type diffKey struct {
	prev, next uintptr
	pn, nn     int
	w, h       int
}

type diffEntry struct {
	prev, next string
	done       chan struct{} // closed once out is made: sessions asking meanwhile wait for it
	out        []byte
}

// maxDiffs bounds the cache (an entry keeps two frames, ~10 kB each at
// 120×40); it is cleared when full. Sessions of one size move together,
// so a few entries per size and snapshot are what is used.
const maxDiffs = 256

func newLineDiffs() *lineDiffs { return &lineDiffs{entries: map[diffKey]*diffEntry{}} }

// get returns the bytes from prev ("" = a blank screen) to next. The
// result is shared: callers must not change it.
func (d *lineDiffs) get(prev, next string, w, h int) []byte {
	k := diffKey{prev: uintptr(unsafe.Pointer(unsafe.StringData(prev))), pn: len(prev),
		next: uintptr(unsafe.Pointer(unsafe.StringData(next))), nn: len(next), w: w, h: h}
	d.mu.Lock()
	if e, ok := d.entries[k]; ok {
		d.shared++
		d.mu.Unlock()
		<-e.done // a snapshot reaches every session at once: one makes the diff
		return e.out
	}
	if len(d.entries) >= maxDiffs {
		clear(d.entries)
	}
	e := &diffEntry{prev: prev, next: next, done: make(chan struct{})}
	d.entries[k] = e
	d.made++
	d.mu.Unlock()
	defer close(e.done) // waiters never hang
	e.out = lineDiff(prev, next, w, h)
	return e.out
}

// Stats says how many diffs were made and how many were served from the cache.
func (d *lineDiffs) stats() (made, shared uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.made, d.shared
}

// lineDiff writes each line of next that differs from prev's line at its
// row, with the cursor placed absolutely (no newline, which the emulated
// PTY would rewrite), lines cut to w cells and the rest of a short line
// erased, and erases below the frame when it is shorter than the last.
// Like Bubble Tea, a frame taller than h keeps its bottom lines.
func lineDiff(prev, next string, w, h int) []byte {
	nl := lastLines(next, h)
	var pl []string
	if prev != "" {
		pl = lastLines(prev, h)
	}
	var b []byte
	for i, line := range nl {
		if i < len(pl) && pl[i] == line {
			continue
		}
		line = ansi.Truncate(line, w, "")
		b = append(b, "\x1b["...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ";1H"...)
		b = append(b, line...)
		if ansi.StringWidth(line) < w {
			b = append(b, "\x1b[K"...) // at full width the cursor waits on the last cell: erasing would clear it
		}
	}
	if prev == "" || len(pl) > len(nl) {
		if len(nl) < h {
			b = append(b, "\x1b["...)
			b = strconv.AppendInt(b, int64(len(nl)+1), 10)
			b = append(b, ";1H\x1b[J"...)
		}
	}
	return b
}

func lastLines(s string, h int) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[len(lines)-h:]
	}
	return lines
}

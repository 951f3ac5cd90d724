package panes

// The largest size any pane draws, whatever size it is given. A terminal's
// size comes from its client (an SSH pty-req or window-change carries any
// 32-bit number), so it is untrusted: 500×300 cells is more than anyone
// reads (a 4K screen at an 8×16-pixel font is 480×135), and a full frame
// at that size stays at a few megabytes.
const (
	MaxWidth  = 500
	MaxHeight = 300
)

// Bound clamps a size to MaxWidth×MaxHeight; where a size enters (the
// SSH session, the app's window size) and every pane's View use it.
func Bound(w, h int) (int, int) { return min(w, MaxWidth), min(h, MaxHeight) }

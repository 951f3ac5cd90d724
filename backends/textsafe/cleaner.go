package textsafe

// Cleaner cleans outside text and masks secrets in it. The zero value only
// strips controls.
type Cleaner struct {
	mask func(string) string
}

// New returns a Cleaner that masks with mask (typically Config.Mask); nil
// masks nothing.
func New(mask func(string) string) Cleaner { return Cleaner{mask: mask} }

// Line is textsafe.Line, then masked. Controls go first, so a secret split
// by an escape sequence is whole again before masking.
func (c Cleaner) Line(s string) string { return c.masked(Line(s)) }

// Block is textsafe.Block, then masked.
func (c Cleaner) Block(s string) string { return c.masked(Block(s)) }

// Fields cleans every value of m (as blocks: a value may be multi-line),
// returning m itself when nothing changed and a new map otherwise.
func (c Cleaner) Fields(m map[string]string) map[string]string {
	var out map[string]string
	for k, v := range m {
		cv := c.Block(v)
		if cv == v {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(m))
			for k2, v2 := range m {
				out[k2] = v2
			}
		}
		out[k] = cv
	}
	if out == nil {
		return m
	}
	return out
}

func (c Cleaner) masked(s string) string {
	if c.mask == nil || s == "" {
		return s
	}
	return c.mask(s)
}

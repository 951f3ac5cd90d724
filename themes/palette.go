package themes

// palette is a theme's colours as ANSI 256 codes ("" = terminal default).
// Themes are picked explicitly, so no adaptive colours are needed.
type palette struct {
	text, muted, title, border, borderFocused string
	header, selFg, selBg                      string
	ok, warn, crit, info, accent              string
	helpKey, helpDesc, bannerFg, bannerBg     string
	// critReverse shows critical as reverse video (high contrast).
	critReverse bool
}

// palettes are the built-in themes, by name. A function, not a package
// variable, so nothing global can be changed by a caller.
func palettes() map[string]palette {
	return map[string]palette{
		"dark": {
			text: "252", muted: "244", title: "250", border: "240", borderFocused: "75",
			header: "109", selFg: "231", selBg: "24",
			ok: "78", warn: "214", crit: "203", info: "75", accent: "141",
			helpKey: "75", helpDesc: "245", bannerFg: "231", bannerBg: "24",
		},
		"light": {
			text: "235", muted: "242", title: "237", border: "248", borderFocused: "25",
			header: "24", selFg: "16", selBg: "153",
			ok: "28", warn: "130", crit: "160", info: "25", accent: "91",
			helpKey: "25", helpDesc: "240", bannerFg: "231", bannerBg: "25",
		},
		// high-contrast uses only black, white, bright yellow and bright red.
		"high-contrast": {
			text: "15", muted: "15", title: "15", border: "15", borderFocused: "11",
			header: "15", selFg: "0", selBg: "15",
			ok: "15", warn: "11", crit: "9", info: "15", accent: "11",
			helpKey: "11", helpDesc: "15", bannerFg: "0", bannerBg: "11",
			critReverse: true,
		},
	}
}

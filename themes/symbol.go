package themes

// Symbol is the one-cell glyph for a state or flag, so state reads without
// colour (NO_COLOR, colour-blind users, a bad terminal): "up" ●,
// "degraded" and "partial" ◐, "down" ✖, "unknown" ?, "warning" ▲, "critical" ✖,
// "acked" ✓, "drift" ≠, "syncing" ⟳, "active" ★, "escalated" ⇑ (paged
// past its ack deadline), "silenced" ⊘. Unknown kinds give "·".
func Symbol(kind string) string {
	switch kind {
	case "up", "ok":
		return "●"
	case "degraded", "partial": // partial: down from some regions only
		return "◐"
	case "down", "critical":
		return "✖"
	case "unknown":
		return "?"
	case "warning":
		return "▲"
	case "acked":
		return "✓"
	case "drift":
		return "≠"
	case "syncing":
		return "⟳"
	case "active":
		return "★"
	case "escalated":
		return "⇑"
	case "silenced":
		return "⊘"
	case "shrinking": // a lag catching up
		return "↘"
	case "growing":
		return "↗"
	}
	return "·"
}

// SymbolKinds lists the kinds Symbol knows, for tests and docs.
func SymbolKinds() []string {
	return []string{"up", "ok", "degraded", "partial", "down", "unknown", "warning", "critical", "acked", "drift", "syncing", "active", "escalated", "silenced", "shrinking", "growing"}
}

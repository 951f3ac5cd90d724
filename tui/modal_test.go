package tui

// The open modal of each type, for tests: nil when none is open.
func dlgOf(m *Model) *dialog { return openOf[*dialog](&m.modals) }

func cmpOf(m *Model) *composer { return openOf[*composer](&m.modals) }

// Package themes holds the colour palettes (dark, light, high contrast) and
// builds their styles for one lipgloss renderer, so every SSH session gets
// colours for its own terminal. State is never shown by colour alone: Symbol
// gives the glyph that goes with every level.
package themes

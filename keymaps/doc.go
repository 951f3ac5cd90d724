// Package keymaps holds the key binding sets (default, vim), applies
// per-action overrides from the config, and names every action for help.
package keymaps

package keymaps

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// BindingError is one problem with the keys given to one action, so the
// caller can say where in its file that action's keys were written.
type BindingError struct {
	Action string // the overridden action at fault (of a clash, the first overridden one)
	Msg    string // one sentence saying what to do
}

func (e *BindingError) Error() string { return "keymap: " + e.Msg }

// Override rebinds actions from the config: overrides maps an action name
// ("next_pane") to its new keys, replacing the old ones. Every problem is
// reported at once (unknown action, empty list, unknown key name, a key left
// on two actions), each a *BindingError; on error the keymap is unchanged.
func (k *Keymap) Override(overrides map[string][]string) error {
	c := *k // bindings are replaced, never mutated in place, so a shallow copy is safe
	byName := map[string]Action{}
	var valid []string
	for _, a := range c.Actions() {
		byName[a.Name] = a
		valid = append(valid, a.Name)
	}
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)

	var errs []error
	for _, name := range names {
		a, ok := byName[name]
		if !ok {
			errs = append(errs, &BindingError{name, fmt.Sprintf("unknown action %q: valid actions are %s", name, strings.Join(valid, ", "))})
			continue
		}
		keys, err := normalise(name, overrides[name])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a.Binding.SetKeys(keys...)
		a.Binding.SetHelp(helpKeys(keys), a.Binding.Help().Desc)
	}
	if len(errs) == 0 {
		for _, cl := range c.conflicts() {
			at := cl.actions[0]
			if i := slices.IndexFunc(cl.actions, func(a string) bool { _, ok := overrides[a]; return ok }); i >= 0 {
				at = cl.actions[i]
			}
			errs = append(errs, &BindingError{at, fmt.Sprintf("keymap %s: %s", c.Name, cl)})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	*k = c
	return nil
}

// normalise checks an action's new keys: at least one, each a key Bubble Tea
// can report, no repeats. "space" is accepted for " ".
func normalise(action string, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, &BindingError{action, fmt.Sprintf("action %q has no keys: give it at least one, or leave it out to keep its default", action)}
	}
	var out []string
	seen := map[string]bool{}
	var errs []error
	for _, k := range keys {
		if k == "space" {
			k = " "
		}
		if !validKey(k) {
			errs = append(errs, &BindingError{action, fmt.Sprintf("action %q: unknown key %q: use a single character or a name like ctrl+x, alt+x, f5, pgup, shift+tab", action, k)})
			continue
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, errors.Join(errs...)
}

// validKey reports whether Bubble Tea can produce k as a KeyMsg string.
func validKey(k string) bool {
	k = strings.TrimPrefix(k, "alt+")
	if utf8.RuneCountInString(k) == 1 {
		r, _ := utf8.DecodeRuneInString(k)
		return r >= ' ' && r != utf8.RuneError && r != 0x7f
	}
	return keyNames()[k]
}

// keyNames are the names Bubble Tea v1 gives to non-character keys.
func keyNames() map[string]bool {
	m := map[string]bool{}
	for _, n := range []string{
		"tab", "enter", "esc", "backspace", "shift+tab", "delete", "insert",
		"up", "down", "left", "right", "home", "end", "pgup", "pgdown",
		"ctrl+home", "ctrl+end", "shift+home", "shift+end", "ctrl+shift+home", "ctrl+shift+end",
		"ctrl+pgup", "ctrl+pgdown", "ctrl+up", "ctrl+down", "ctrl+left", "ctrl+right",
		"shift+up", "shift+down", "shift+left", "shift+right",
		"ctrl+shift+up", "ctrl+shift+down", "ctrl+shift+left", "ctrl+shift+right",
		"ctrl+@", `ctrl+\`, "ctrl+]", "ctrl+^", "ctrl+_",
	} {
		m[n] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		if c != 'i' && c != 'm' { // ctrl+i is tab, ctrl+m is enter
			m["ctrl+"+string(c)] = true
		}
	}
	for i := 1; i <= 20; i++ {
		m[fmt.Sprintf("f%d", i)] = true
	}
	return m
}

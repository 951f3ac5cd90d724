package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"warroom/backends/room"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"warroom/backends/config"
	"warroom/backends/problems"
	"warroom/keymaps"
	"warroom/themes"
)

// setup is a loaded config with the keymap and theme choices it implies.
type setup struct {
	cfg       *config.Config
	keymap    *keymaps.Keymap
	themeName string
	readOnly  bool
}

// roomFlags are the flags shared by every command that opens a room.
type roomFlags struct {
	config, theme, keymap string
	readOnly              bool
}

func (f *roomFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "config file (default $WARROOM_CONFIG or ~/.config/warroom/warroom.yaml)")
	fs.StringVar(&f.theme, "theme", "", "dark, light or high-contrast (overrides the config)")
	fs.StringVar(&f.keymap, "keymap", "", "default or vim (overrides the config)")
	fs.BoolVar(&f.readOnly, "readonly", false, "hide and refuse every action (failover, rollback)")
}

// configPath resolves which file to read.
func configPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if p := os.Getenv("WARROOM_CONFIG"); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "warroom.yaml"
	}
	return filepath.Join(home, ".config", "warroom", "warroom.yaml")
}

// loadFromArgs parses the shared room flags of a command and loads the config.
func loadFromArgs(name string, args []string, stderr io.Writer) (*setup, error) {
	var f roomFlags
	fs := newFlags(name, stderr)
	f.register(fs)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return load(f)
}

// load reads and checks the config, including what only the UI packages
// can judge: the keymap overrides and the theme name.
func load(f roomFlags) (*setup, error) {
	path := configPath(f.config)
	cfg, err := config.Load(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && f.config == "" {
			return nil, fmt.Errorf("%v\nno config yet? copy examples/warroom.yaml there, pass --config FILE, or try 'warroom demo'", err)
		}
		return nil, err
	}
	return finish(cfg, f)
}

// finish applies flag overrides and builds the keymap; errors name the file.
func finish(cfg *config.Config, f roomFlags) (*setup, error) {
	if f.theme != "" {
		cfg.Theme = f.theme
	}
	if f.keymap != "" {
		cfg.Keymap = f.keymap
	}
	where := cfg.Path
	if where == "" {
		where = "config"
	}
	var errs []error
	if _, err := themes.New(cfg.Theme, lipgloss.NewRenderer(io.Discard)); err != nil {
		errs = append(errs, fmt.Errorf("%s: theme: %v", where, err))
	}
	km, err := keymaps.ByName(cfg.Keymap)
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: keymap: %v", where, err))
	} else if err := km.Override(cfg.Keys); err != nil {
		errs = append(errs, keyErrors(cfg, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &setup{cfg: cfg, keymap: km, themeName: cfg.Theme, readOnly: f.readOnly}, nil
}

// renderer is the terminal's renderer, honouring NO_COLOR.
func renderer(w io.Writer) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(w)
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}

// localActor is the person at this keyboard as a commander; a command
// that reaches a room's journal or socket takes their role from the
// roster instead (localActorIn).
func localActor() room.Actor { return room.Actor{Name: localName(), Role: room.RoleCommander} }

// localName names the person at this keyboard for the journal.
func localName() string {
	for _, v := range []string{"WARROOM_USER", "USER", "LOGNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "local"
}

// keyErrors places the keymap's complaints about keys: on the lines of
// the actions they concern (file:line: keys.ACTION: …), in file order.
func keyErrors(cfg *config.Config, err error) error {
	list := problems.List{File: cfg.Path}
	for _, e := range unjoin(err) {
		var be *keymaps.BindingError
		if errors.As(e, &be) {
			field := "keys." + be.Action
			list.Add(cfg.Line(field), field, "%s", be.Msg)
		} else {
			list.Add(cfg.Line("keys"), "keys", "%s", e.Error())
		}
	}
	return list.Err()
}

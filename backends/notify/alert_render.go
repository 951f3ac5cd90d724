package notify

import (
	"fmt"

	"warroom/backends/config"
)

// RenderAlert renders an alert message in lang (en | zh) with the built-in
// alert templates, or the config's templates of phase "alert" that replace
// them by name.
func RenderAlert(lang string, overrides []config.Template, m AlertMessage) (title, text string, err error) {
	_ = lang
	_ = overrides
	return fmt.Sprintf("[%s] %s: %d alerts", m.Status, m.Route, len(m.Firing)), "", nil // placeholder until the templates land
}

package config

import (
	"strings"
	"testing"
)

func TestTrafficThresholdsDefaultToThePlaybook(t *testing.T) {
	c := mustParse(t, base, nil)
	if c.Thresholds.Error5xx != 0.05 || c.Thresholds.ResponseFactor != 2.0 {
		t.Errorf("error_5xx %v, response_factor %v: want 0.05 and 2.0", c.Thresholds.Error5xx, c.Thresholds.ResponseFactor)
	}
}

func TestTrafficThresholdsRoundTrip(t *testing.T) {
	c := mustParse(t, base+"thresholds: {error_5xx: 0.02, response_factor: 3}\n", nil)
	if c.Thresholds.Error5xx != 0.02 || c.Thresholds.ResponseFactor != 3 {
		t.Fatalf("thresholds = %+v", c.Thresholds)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "error_5xx: 0.02") || !strings.Contains(string(out), "response_factor: 3") {
		t.Errorf("Marshal lost the traffic thresholds:\n%s", out)
	}
	again, err := Parse("warroom.yaml", out, nil)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	sameConfig(t, again, c, false)
}

func TestTrafficThresholdErrorsNameFileLineAndField(t *testing.T) {
	for _, tc := range []struct{ name, text, field, want string }{
		{"share above 1", "thresholds: {error_5xx: 5}\n", "thresholds.error_5xx",
			"warroom.yaml:7: thresholds.error_5xx: \"5\" must be a share above 0 and at most 1 (0.05 = 5 % of answers)"},
		{"share not a number", "thresholds: {error_5xx: five}\n", "thresholds.error_5xx", "warroom.yaml:7: thresholds.error_5xx:"},
		{"factor 1", "thresholds: {response_factor: 1}\n", "thresholds.response_factor",
			"warroom.yaml:7: thresholds.response_factor: \"1\" must be above 1"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantFieldError(t, base+tc.text, tc.field, tc.want) })
	}
}

package config

import (
	"reflect"
	"strings"
	"testing"
)

const intakeToken = "am-intake-token-0123456789abcdef"

func TestIntakeOffWithoutTheSection(t *testing.T) {
	c := mustParse(t, base, nil)
	if c.Intake.Enabled() || c.Intake != (Intake{}) {
		t.Errorf("intake = %+v, want off", c.Intake)
	}
	if out, err := c.Marshal(); err != nil || strings.Contains(string(out), "intake:") {
		t.Errorf("Marshal wrote intake: for a file without it (err %v):\n%s", err, out)
	}
}

func TestIntakeRoundTripKeepsTheTokenSecret(t *testing.T) {
	vars := map[string]string{"AM_TOKEN": intakeToken}
	c := mustParse(t, base+"intake:\n  listen: 127.0.0.1:9465\n  token: ${AM_TOKEN}\n", vars)
	if c.Intake.Listen != "127.0.0.1:9465" || c.Intake.Token != intakeToken || c.Intake.Line != 7 {
		t.Fatalf("intake = %+v", c.Intake)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), intakeToken) || !strings.Contains(string(out), "token: ${AM_TOKEN}") {
		t.Errorf("Marshal must write the token as ${AM_TOKEN}, never its value:\n%s", out)
	}
	again, err := Parse("warroom.yaml", out, env(vars))
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	again.Intake.Line, c.Intake.Line = 0, 0
	if !reflect.DeepEqual(again.Intake, c.Intake) {
		t.Errorf("round trip: %+v, want %+v", again.Intake, c.Intake)
	}
}

// A token written in the file is masked like one from the environment.
func TestLiteralIntakeTokenIsMasked(t *testing.T) {
	c := mustParse(t, base+"intake: {listen: \"127.0.0.1:0\", token: "+intakeToken+"}\n", nil)
	if got := c.Mask("Authorization: Bearer " + intakeToken); strings.Contains(got, intakeToken) {
		t.Errorf("Mask left the token: %q", got)
	}
}

func TestIntakeErrorsNameFileLineAndField(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		vars       map[string]string
		want       map[string]string
	}{
		{"no token", "intake:\n  listen: 127.0.0.1:9465\n", nil, map[string]string{
			"intake.token": "warroom.yaml:7: intake.token: missing; intake.listen takes alerts only with a bearer token",
		}},
		{"short token from the environment, no port", "intake:\n  listen: 127.0.0.1\n  token: ${T}\n", map[string]string{"T": "short-secret"}, map[string]string{
			"intake.listen": `warroom.yaml:8: intake.listen: "127.0.0.1" is not host:port`,
			"intake.token":  "warroom.yaml:9: intake.token: the token (value from ${T}) is 12 characters; use at least 16",
		}},
		{"token without listen, bad port", "intake: {listen: \"h:http\", token: x}\n", nil, map[string]string{
			"intake.listen": `intake.listen: "h:http": port "http" is not a number`,
		}},
		{"token alone", "intake: {token: " + intakeToken + "}\n", nil, map[string]string{
			"intake.token": "warroom.yaml:7: intake.token: set, but listen: is empty",
		}},
		{"unknown key, kinds", "intake: {listen: \"127.0.0.1:1\", token: " + intakeToken + ", tls: true}\nalerting:\n  kinds:\n    external: {for: 1m}\n", nil, map[string]string{
			"intake.tls":              "warroom.yaml:7: intake.tls:",
			"alerting.kinds.external": "warroom.yaml:10: alerting.kinds.external: external alerts come from Alertmanager",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("warroom.yaml", []byte(base+tc.text), env(tc.vars))
			got := map[string]string{}
			for _, e := range fieldErrors(t, err) {
				got[e.Field] = e.Error()
				for _, v := range tc.vars {
					if strings.Contains(e.Error(), v) {
						t.Errorf("error shows a secret value: %v", e)
					}
				}
				if strings.Contains(e.Error(), intakeToken) {
					t.Errorf("error shows the token: %v", e)
				}
			}
			for field, want := range tc.want {
				if !strings.Contains(got[field], want) {
					t.Errorf("%s: got %q, want it to contain %q\nall: %v", field, got[field], want, err)
				}
			}
		})
	}
}

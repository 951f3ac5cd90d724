package config

import "math"

// The playbook's traffic limits: 5xx over 5 % of answers, response time
// over 200 % of its baseline.
const (
	DefaultError5xx       = 0.05
	DefaultResponseFactor = 2.0
)

func checkTraffic(k *checker, t *Thresholds) {
	const p = "thresholds"
	if !(t.Error5xx > 0 && t.Error5xx <= 1) {
		k.fail(join(p, "error_5xx"), "%s must be a share above 0 and at most 1 (0.05 = 5 %% of answers)", k.num(join(p, "error_5xx"), t.Error5xx))
	}
	if !(t.ResponseFactor > 1) || math.IsInf(t.ResponseFactor, 0) {
		k.fail(join(p, "response_factor"), "%s must be above 1 (2.0 = slow at twice the usual response time)", k.num(join(p, "response_factor"), t.ResponseFactor))
	}
}

package actions

import "context"

// HAProxyStat reads `show stat <backend> 4 -1` (the backend's servers, CSV)
// from the runtime API at address, dialled as the haproxy executor dials
// it: a unix socket path or host:port. The traffic meter parses the reply.
func HAProxyStat(ctx context.Context, address, backend string) (string, error) {
	return runtimeAPI{address}.do(ctx, "show stat "+backend+" 4 -1")
}

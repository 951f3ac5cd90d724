package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
)

// build compiles warroom/cmd/warroom into dir (the command runs inside
// the module, e.g. with go run).
func build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "warroom")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "warroom/cmd/warroom").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build warroom/cmd/warroom (run inside the module, or give -bin): %v\n%s", err, out)
	}
	return bin, nil
}

//go:build race

package journal

// raceBuild lets slow, repetitive tests do fewer rounds under -race.
const raceBuild = true

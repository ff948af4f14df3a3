//go:build race

package webhook_test

// raceEnabled: under the race detector, sync.Pool drops some of what it is
// given, so that allocation counts say nothing.
const raceEnabled = true

package callbacktest_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/oosc-dev/oosc/callback/callbacktest"
)

// FuzzParseScenario: any bytes either parse into a scenario that runs
// without a callback, or give a *ScenarioError; never a panic.
func FuzzParseScenario(f *testing.F) {
	if seed, err := os.ReadFile("../../cmd/oosc/testdata/scenarios/ride.json"); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{"service":{"numbers":[{"number":"+14155550100","reserved":true}],"defaultTtl":60},"steps":[{"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"anonymous","to":"+14155550100"}}]}`))
	f.Add([]byte(`{"steps":[{"at":"2026-01-05T10:00:00Z","create":{"uniqueName":"x","participants":[{"identifier":"whatsapp:+1415"}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := callbacktest.ParseScenario(data)
		if err != nil {
			var se *callbacktest.ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(sc.Steps) > 50 {
			return
		}
		sc.Callback = false
		if _, err := callbacktest.RunScenario(context.Background(), sc, callbacktest.Service{}); err != nil {
			var se *callbacktest.ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("run error of type %T: %v", err, err)
			}
		}
	})
}

package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
)

// callbackServer serves the quickstart's policy shape: reconnect, else a notice.
func callbackServer(t *testing.T, token string) string {
	t.Helper()
	h, err := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: callback.Verifier{AuthTokens: []string{token}}})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/out-of-session"
}

type stepLine struct {
	Step      int    `json:"step"`
	Op        string `json:"op"`
	Outcome   string `json:"outcome"`
	Codes     []int  `json:"codes"`
	Session   string `json:"session"`
	DeliverTo string `json:"deliverTo"`
	ShownFrom string `json:"shownFrom"`
	Cause     string `json:"cause"`
	Detail    string `json:"detail"`
}

// The scenario format, through oosc simulate --json: a ride, routing both
// ways, another proxy number, a number outside the pool, closing twice, a
// reconnect by auto-create used by the other side, expiry of the new
// Session by its ttl, a name in use, deletion, and a reserved number.
func TestSimulateRideScenario(t *testing.T) {
	u := callbackServer(t, "tok")
	code, out, errOut := oosc(t, "", "simulate", "--json", "--callback-url", u, "--auth-token", "tok", "testdata/scenarios/ride.json")
	require.Equal(t, exitOK, code, errOut)
	var got []stepLine
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var s stepLine
		require.NoError(t, json.Unmarshal([]byte(line), &s), line)
		require.NotNil(t, s.Codes, "codes is [] when empty: %s", line)
		got = append(got, s)
	}
	require.Len(t, got, 13)
	want := []struct {
		outcome string
		codes   []int
		cause   string
	}{
		{"ok", []int{}, ""},
		{"routed", []int{}, ""},
		{"routed", []int{}, ""},
		{"twiml", []int{}, "other-proxy-number"},
		{"ignored", []int{}, ""},
		{"ok", []int{}, ""},
		{"error", []int{80607}, ""},
		{"created", []int{}, "session-closed"},
		{"routed", []int{}, ""},
		{"created", []int{}, "session-expired"},
		{"error", []int{80603}, ""},
		{"ok", []int{}, ""},
		{"twiml", []int{}, "no-previous-session"},
	}
	for i, w := range want {
		assert.Equal(t, w.outcome, got[i].Outcome, "step %d: %+v", i, got[i])
		assert.Equal(t, w.codes, got[i].Codes, "step %d", i)
		assert.Equal(t, w.cause, got[i].Cause, "step %d", i)
		assert.Equal(t, i, got[i].Step)
	}
	assert.Equal(t, "+17075550102", got[1].DeliverTo)
	assert.Equal(t, "+14155550100", got[1].ShownFrom)
	assert.Equal(t, "+19515550101", got[2].DeliverTo)
	assert.Equal(t, "+17075550102", got[7].DeliverTo, "reconnected with the driver")
	assert.Equal(t, got[7].Session, got[8].Session, "the driver answers through the new Session")
	assert.Equal(t, "+19515550101", got[8].DeliverTo)

	// The same scenario gives the same output, and the text form has one line per step.
	_, again, _ := oosc(t, "", "simulate", "--json", "--callback-url", u, "--auth-token", "tok", "testdata/scenarios/ride.json")
	assert.Equal(t, out, again)
	_, text, _ := oosc(t, "", "simulate", "--callback-url", u, "--auth-token", "tok", "testdata/scenarios/ride.json")
	assert.Equal(t, 13, strings.Count(text, "\n"))
	assert.Contains(t, text, "6 close error codes=80607")
}

// A Service without a callback: every out-of-session contact is 80905, and
// the flags may be left out.
func TestSimulateWithoutCallback(t *testing.T) {
	sc := `{"service":{"numbers":[{"number":"+14155550100"}],"callback":false},
	  "steps":[{"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"+19515550101","to":"+14155550100"}}]}`
	code, out, errOut := oosc(t, sc, "simulate", "--json", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"outcome":"failed","codes":[80905]`)
	assert.Contains(t, out, `"cause":"no-previous-session"`)
}

// A scenario that cannot run is a usage error naming the step and the key.
func TestSimulateScenarioErrors(t *testing.T) {
	u := callbackServer(t, "tok")
	step := func(s string) string {
		return `{"service":{"numbers":[{"number":"+14155550100"}],"callback":true},"steps":[{"at":"2026-01-05T10:00:00Z","close":"x"},` + s + `]}`
	}
	tests := []struct{ name, scenario, says string }{
		{"unknown top key", `{"service":{},"step":[]}`, "scenario, step: unknown key"},
		{"unknown service key", `{"service":{"number":[]}}`, "service.number: unknown key"},
		{"unknown step key", step(`{"at":"2026-01-05T10:01:00Z","inbond":{}}`), "step 1, inbond: unknown key"},
		{"unknown inbound key", step(`{"at":"2026-01-05T10:01:00Z","inbound":{"channel":"sms","from":"+1","to":"+1","text":"x"}}`), "step 1, inbound.text: unknown key"},
		{"unknown participant key", step(`{"at":"2026-01-05T10:01:00Z","create":{"participants":[{"id":"+1"}]}}`), "step 1, create.participants[0].id: unknown key"},
		{"time going back", step(`{"at":"2026-01-05T09:00:00Z","close":"x"}`), "step 1, at: time goes back"},
		{"a bad channel", step(`{"at":"2026-01-05T10:01:00Z","inbound":{"channel":"fax","from":"+1","to":"+1"}}`), "step 1, inbound.channel"},
		{"a bad time", step(`{"at":"yesterday","close":"x"}`), "step 1, at"},
		{"ttl as a string", step(`{"at":"2026-01-05T10:01:00Z","create":{"ttl":"60"}}`), "step 1, create.ttl"},
		{"two operations", step(`{"at":"2026-01-05T10:01:00Z","close":"x","delete":"x"}`), "step 1: a step takes exactly one"},
		{"a bad pool number", `{"service":{"numbers":[{"number":"555"}]}}`, "service.numbers[0].number"},
		{"not JSON", `{`, "must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := oosc(t, tt.scenario, "simulate", "--callback-url", u, "--auth-token", "tok", "-")
			assert.Equal(t, exitUsage, code, out)
			assert.Contains(t, errOut, tt.says)
		})
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "s.json")
	require.NoError(t, os.WriteFile(f, []byte(`{"service":{"callback":true},"steps":[]}`), 0o644))
	code, _, errOut := oosc(t, "", "simulate", f)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--callback-url, --auth-token required")
	code, _, _ = oosc(t, "", "simulate", "--callback-url", "localhost:80", "--auth-token", "t", f)
	assert.Equal(t, exitUsage, code)
}

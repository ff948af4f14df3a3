package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

// exampleScenario is the module's complete example scenario file.
const exampleScenario = "../../examples/scenarios/ride.json"

// callbackServer serves the quickstart's policy shape: reconnect, else a notice.
func callbackServer(t *testing.T, token string) string {
	t.Helper()
	v, err := webhook.NewVerifier([]string{token}, nil)
	require.NoError(t, err)
	h, err := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: v})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/out-of-session"
}

// The example scenario through oosc simulate --json: JSON Lines, one
// object per step and nothing else, every expect held, exit 0; the same
// output twice; the text form one line per step.
func TestSimulateExampleScenario(t *testing.T) {
	u := callbackServer(t, "tok")
	code, out, errOut := cli(t, "", "simulate", "--json", "--callback-url", u, "--auth-token", "tok", exampleScenario)
	require.Equal(t, exitOK, code, errOut+out)
	var got []stepJSON
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, `{"summary":{"steps":18,"held":18,"failed":[]}}`, lines[len(lines)-1], "the summary is the last object")
	for _, line := range lines[:len(lines)-1] {
		var s stepJSON
		require.NoError(t, json.Unmarshal([]byte(line), &s), line)
		require.NotNil(t, s.Codes, "codes is [] when empty: %s", line)
		got = append(got, s)
	}
	require.Len(t, got, 18)
	for i, s := range got {
		assert.Equal(t, i, s.Step)
		require.NotNil(t, s.Expected, "step %d", i)
		assert.True(t, *s.Expected, "step %d: %s", i, s.Detail)
	}
	assert.Equal(t, "dropped", got[5].Outcome)
	assert.Equal(t, []oosc.Code{80607}, got[7].Codes)
	assert.Equal(t, got[11].Session, got[12].Session, "the driver answers through the new Session")
	assert.Equal(t, []eventJSON{{Code: 80904, Session: got[11].Session}}, got[13].Events)

	_, again, _ := cli(t, "", "simulate", "--json", "--callback-url", u, "--auth-token", "tok", exampleScenario)
	assert.Equal(t, out, again, "deterministic")
	code, text, _ := cli(t, "", "simulate", "--callback-url", u, "--auth-token", "tok", exampleScenario)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, 19, strings.Count(text, "\n"), "a line per step, and the summary")
	assert.True(t, strings.HasSuffix(text, "\n18 of 18 steps held\n"), text)
	assert.Contains(t, text, "7 close error codes=80607")
	assert.Contains(t, text, "expect=held")
}

// Revision 2's exit status: 1 on an unmet expect, 1 on an 80905 or 80913
// no expect announced, 0 when announced; 2 on a scenario error.
func TestSimulateExitStatus(t *testing.T) {
	const head = `{"service":{"numbers":[{"number":"+14155550100"}],"callback":false},"steps":[`
	call := `{"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"+19515550101","to":"+14155550100"}`
	tests := []struct {
		name, scenario string
		exit           int
	}{
		{"an 80905 without expect", head + call + `}]}`, exitInvalid},
		{"an 80905 announced", head + call + `,"expect":{"outcome":"failed","codes":[80905],"cause":"no-previous-session"}}]}`, exitOK},
		{"a wrong expect", head + call + `,"expect":{"outcome":"routed"}}]}`, exitInvalid},
		{"a wrong code", head + call + `,"expect":{"codes":[80913]}}]}`, exitInvalid},
		{"nothing to report", head + `{"at":"2026-01-05T10:00:00Z","create":{"uniqueName":"a"}}]}`, exitOK},
		{"a scenario error", head + `{"at":"2026-01-05T10:00:00Z","create":{"ttl":18446744074}}]}`, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.scenario, "simulate", "--json", "-")
			assert.Equal(t, tt.exit, code, out+errOut)
			if tt.exit != exitUsage {
				assert.Empty(t, errOut, "--json: nothing but the lines, and no note on stderr either")
			}
		})
	}
	code, out, _ := cli(t, head+call+`,"expect":{"outcome":"routed"}}]}`, "simulate", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "expect=FAILED")
	assert.Contains(t, out, `expect not met: outcome: want \"routed\", got \"failed\"`)
}

// The intercept callback from the command line, and the token from the
// environment.
func TestSimulateInterceptAndTokenFromEnv(t *testing.T) {
	blocked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	defer blocked.Close()
	sc := `{"service":{"numbers":[{"number":"+14155550100"}],"callback":true,"interceptCallback":true},"steps":[
	  {"at":"2026-01-05T10:00:00Z","create":{"uniqueName":"r","participants":[{"identifier":"+19515550101"},{"identifier":"+17075550102"}]}},
	  {"at":"2026-01-05T10:01:00Z","inbound":{"channel":"sms","from":"+19515550101","to":"+14155550100","body":"hi"},
	    "expect":{"outcome":"blocked","codes":[80909]}}]}`
	u := callbackServer(t, "env-token")
	code, out, errOut := cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "env-token"}, sc,
		"simulate", "--json", "--callback-url", u, "--intercept-url", blocked.URL, "-")
	assert.Equal(t, exitOK, code, out+errOut)
	code, _, errOut = cli(t, sc, "simulate", "--callback-url", u, "-")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--intercept-url required")
	code, _, errOut = cli(t, sc, "simulate", "--callback-url", u, "--intercept-url", blocked.URL, "-")
	assert.Equal(t, exitUsage, code, "no token anywhere")
	assert.Contains(t, errOut, "TWILIO_AUTH_TOKEN")
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
		{"ttl that overflows", step(`{"at":"2026-01-05T10:01:00Z","create":{"ttl":18446744074}}`), "step 1, create.ttl: 18446744074 seconds does not fit"},
		{"two operations", step(`{"at":"2026-01-05T10:01:00Z","close":"x","delete":"x"}`), "step 1: a step takes exactly one"},
		{"a bad pool number", `{"service":{"numbers":[{"number":"555"}]}}`, "service.numbers[0].number"},
		{"a duplicate key", `{"service":{},"service":{}}`, "scenario, service: is given twice"},
		{"trailing data", `{"service":{}} {}`, "data after the JSON object"},
		{"not JSON", `{`, "not JSON at line 1, column 2: unexpected end of input"},
		{"a syntax error", "{\"service\": {\n  \"numbers\": [}", "not JSON at line 2, column 15: invalid character '}'"},
		{"a syntax error inside a value", "{\"steps\": [\n  {\"at\": tru}]}", "not JSON at line 2, column 13: invalid character '}' in literal true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.scenario, "simulate", "--callback-url", u, "--auth-token", "tok", "-")
			assert.Equal(t, exitUsage, code, out)
			assert.Contains(t, errOut, tt.says)
			assert.Empty(t, out)
		})
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "s.json")
	require.NoError(t, os.WriteFile(f, []byte(`{"service":{"callback":true},"steps":[]}`), 0o644))
	code, _, errOut := cli(t, "", "simulate", f)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--callback-url required")
	code, _, _ = cli(t, "", "simulate", "--callback-url", "localhost:80", "--auth-token", "t", f)
	assert.Equal(t, exitUsage, code)
}

// Redirects are not followed: a 307 from the callback is a status outside
// 2xx (80913), and the signed request goes nowhere else.
func TestSimulateFollowsNoRedirect(t *testing.T) {
	reached := make(chan struct{}, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached <- struct{}{}
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<Response/>"))
	}))
	defer other.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	sc := `{"service":{"numbers":[{"number":"+14155550100"}],"callback":true},"steps":[
	  {"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"+19515550101","to":"+14155550100"}}]}`
	code, out, _ := cli(t, sc, "simulate", "--json", "--callback-url", redirect.URL, "--auth-token", "t", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, `"codes":[80913]`)
	assert.Empty(t, reached, "the signed callback went to the redirect's target")
}

// Issue 28: simulate ends with a summary naming the failing steps, as its
// last line and, with --json, as its last object.
func TestSimulateSummaryNamesFailingSteps(t *testing.T) {
	sc := `{"service":{"numbers":[{"number":"+14155550100"}],"callback":false},"steps":[
	  {"at":"2026-01-05T10:00:00Z","create":{"uniqueName":"r","participants":[{"identifier":"+19515550101"},{"identifier":"+17075550102"}]},"expect":{"outcome":"ok"}},
	  {"at":"2026-01-05T10:01:00Z","inbound":{"channel":"sms","from":"+19515550101","to":"+14155550100","body":"hi"},"expect":{"outcome":"created"}},
	  {"at":"2026-01-05T10:02:00Z","inbound":{"channel":"sms","from":"+19515550101","to":"+14155550100","body":"hi"},"expect":{"outcome":"routed","deliverTo":"+10000000000"}},
	  {"at":"2026-01-05T10:03:00Z","inbound":{"channel":"voice","from":"+16505550103","to":"+14155550100"}}]}`
	code, out, _ := cli(t, sc, "simulate", "-")
	assert.Equal(t, exitInvalid, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, "1 of 4 steps held; step 1 failed: expected created, got routed; step 2 failed: expected deliverTo +10000000000, got +17075550102; step 3 failed: logged [80905] with no expect",
		lines[len(lines)-1])

	code, out, errOut := cli(t, sc, "simulate", "--json", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, errOut)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5)
	var last struct {
		Summary struct {
			Steps, Held int
			Failed      []struct {
				Step int
				Why  string
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(lines[4]), &last))
	assert.Equal(t, 4, last.Summary.Steps)
	assert.Equal(t, 1, last.Summary.Held)
	require.Len(t, last.Summary.Failed, 3)
	assert.Equal(t, 1, last.Summary.Failed[0].Step)
	assert.Equal(t, "expected created, got routed", last.Summary.Failed[0].Why)
}

// Issue 28: a 403 from the out-of-session callback says that the token or
// the URL is the likely cause.
func TestSimulateForbiddenNamesTokenOrURL(t *testing.T) {
	u := callbackServer(t, "right")
	sc := `{"service":{"numbers":[{"number":"+14155550100"}],"callback":true},"steps":[
	  {"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"+19515550101","to":"+14155550100"},"expect":{"outcome":"twiml"}}]}`
	code, out, errOut := cli(t, sc, "simulate", "--callback-url", u, "--auth-token", "wrong", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, "0 of 1 steps held; step 0 failed: expected twiml, got failed")
	assert.Contains(t, errOut, "oosc simulate: the out-of-session callback answered 403: the auth token or the URL is the likely cause")
	code, out, errOut = cli(t, sc, "simulate", "--json", "--callback-url", u, "--auth-token", "wrong", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, out, `"hint":"the out-of-session callback answered 403: the auth token or the URL is the likely cause`)
	assert.NotEmpty(t, errOut)
	code, _, errOut = cli(t, sc, "simulate", "--callback-url", u, "--auth-token", "right", "-")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut, "no hint without a 403")
}

// A failed expect stands out on a terminal, and only there.
func TestSimulateColoursFailuresOnATerminal(t *testing.T) {
	sc := `{"service":{"numbers":[{"number":"+14155550100"}]},"steps":[
	  {"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"+19515550101","to":"+14155550100"},"expect":{"outcome":"routed"}}]}`
	_, out, _ := cli(t, sc, "simulate", "-")
	assert.NotContains(t, out, "\x1b[")
	saved := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	defer func() { isTerminal = saved }()
	_, out, _ = cli(t, sc, "simulate", "-")
	assert.Contains(t, out, "\x1b[1;31mexpect=FAILED\x1b[0m")
	assert.Contains(t, out, "\x1b[1;31m0 of 1 steps held; step 0 failed: expected routed, got failed\x1b[0m")
	_, out, _ = cliEnv(t, map[string]string{"NO_COLOR": "yes"}, sc, "simulate", "-")
	assert.NotContains(t, out, "\x1b[")
	_, out, _ = cli(t, sc, "simulate", "--json", "-")
	assert.NotContains(t, out, "\x1b[", "JSON is never coloured")
}

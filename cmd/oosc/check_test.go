package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
)

// oosc check fails an endpoint for each way Proxy would refuse its answers,
// and names the cause.
func TestCheckFailsBadEndpoints(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name    string
		h       http.HandlerFunc
		args    []string
		says    []string
		exitFor int
	}{
		{"text/xml", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.Write([]byte(`<Response><Message>hi</Message></Response>`))
		}, nil, []string{"FAIL 80905", "Proxy accepts TwiML only as application/xml"}, exitInvalid},
		{"a non-2xx status", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "oops", http.StatusInternalServerError)
		}, nil, []string{"500", "FAIL 80913"}, exitInvalid},
		{"invalid JSON", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"participantIdentifier":"+14155550181",}`))
		}, nil, []string{"FAIL 80905", "syntax"}, exitInvalid},
		{"a redirect", func(w http.ResponseWriter, r *http.Request) {
			// To a URL that answers well, were it followed: it must not be.
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusTemporaryRedirect)
		}, nil, []string{"307", "FAIL 80913"}, exitInvalid},
		{"nothing in time", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so that the server notices the client leave
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, []string{"--timeout", "200ms", "--scenario", "call-new"}, []string{"FAIL 80913", "no answer within 200ms"}, exitInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			defer srv.CloseClientConnections()
			args := append([]string{"check", "--url", srv.URL + "/oos", "--auth-token", "tok"}, tt.args...)
			code, out, errOut := cli(t, "", args...)
			assert.Equal(t, tt.exitFor, code, errOut)
			for _, s := range tt.says {
				assert.Contains(t, out, s)
			}
			assert.Contains(t, out, "SCENARIO")
			assert.Regexp(t, `0 of \d+ scenarios passed`, out)
		})
	}
}

func TestCheckPassesAGoodEndpoint(t *testing.T) {
	u := callbackServer(t, "tok")
	code, out, errOut := cli(t, "", "check", "--url", u, "--auth-token", "tok")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "8 of 8 scenarios passed")
	for _, name := range []string{"call-new", "message-new", "call-after-closed", "message-after-closed", "message-after-expired", "message-with-media", "whatsapp-message", "anonymous-call"} {
		assert.Regexp(t, `(?m)^`+name+` +200 +application/(json|xml) +ok +\S+$`, out)
	}

	code, out, _ = cli(t, "", "check", "--json", "--scenario", "message-new", "--url", u, "--auth-token", "tok")
	require.Equal(t, exitOK, code)
	var row checkRow
	require.NoError(t, json.Unmarshal([]byte(out), &row), "one JSON object per line")
	assert.Equal(t, "message-new", row.Scenario)
	assert.True(t, row.Valid)
	assert.Equal(t, []oosc.Problem{}, row.Problems)
	assert.Equal(t, []oosc.Code{}, row.Codes)

	code, out, errOut = cli(t, "", "check", "--url", u, "--auth-token", "wrong")
	assert.Equal(t, exitInvalid, code, "a wrong token is answered 403: 80913")
	assert.Contains(t, out, "403")
	assert.Contains(t, errOut, "check that the auth token is the one it verifies, and that --url is exactly the URL")

	code, _, _ = cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok"}, "", "check", "--url", u, "--scenario", "call-new")
	assert.Equal(t, exitOK, code, "the token from the environment")
}

// --from and --to aim the phone scenarios at a branch of the decision.
func TestCheckFromTo(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		seen[r.PostForm.Get("From")+" "+r.PostForm.Get("To")] = true
		mu.Unlock()
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<Response/>"))
	}))
	defer srv.Close()
	code, out, _ := cli(t, "", "check", "--url", srv.URL, "--auth-token", "t", "--from", "+19995550100", "--to", "+18885550100")
	assert.Equal(t, exitOK, code, out)
	assert.True(t, seen["+19995550100 +18885550100"], "%v", seen)
	assert.True(t, seen["anonymous +18885550100"])
	assert.False(t, seen["+14155550101 +14155550199"], "the defaults are replaced")
	code, _, errOut := cli(t, "", "check", "--url", srv.URL, "--auth-token", "t", "--from", "4155550100")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "not E.164")
}

// The latency is the endpoint's own: judging an answer does not count.
func TestCheckLatencyIsTheEndpoints(t *testing.T) {
	big := "<Response>" + strings.Repeat(`<Say voise="x">`+strings.Repeat("a", 100)+`</Say>`, 400) + "</Response>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte(big))
	}))
	defer srv.Close()
	start := time.Now()
	_, out, _ := cli(t, "", "check", "--json", "--url", srv.URL, "--auth-token", "t", "--scenario", "call-new")
	total := time.Since(start)
	var row checkRow
	require.NoError(t, json.Unmarshal([]byte(out), &row))
	assert.Less(t, row.LatencyMS, float64(total.Milliseconds())+1)
	assert.False(t, row.Valid)
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{
		{"check"},
		{"check", "--url", "http://127.0.0.1:1/x"},
		{"check", "--url", "127.0.0.1:1", "--auth-token", "t"},
		{"check", "--url", "http://127.0.0.1:1/x", "--auth-token", "t", "--scenario", "nope"},
		{"check", "--url", "http://127.0.0.1:1/x", "--auth-token", "t", "extra"},
	} {
		code, _, _ := cli(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
	}
	code, out, errOut := cli(t, "", "check", "--help")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut, "help goes to stdout")
	assert.Contains(t, out, "anonymous-call", "the help lists the scenarios")
	assert.Contains(t, out, "15s", "Proxy's 15 s is the default wait")
}

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			code, out, errOut := oosc(t, "", args...)
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
	code, out, errOut := oosc(t, "", "check", "--url", u, "--auth-token", "tok")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "8 of 8 scenarios passed")
	for _, name := range []string{"call-new", "message-new", "call-after-closed", "message-after-closed", "message-after-expired", "message-with-media", "whatsapp-message", "anonymous-call"} {
		assert.Regexp(t, `(?m)^`+name+` +200 +application/(json|xml) +ok +\S+$`, out)
	}

	code, out, _ = oosc(t, "", "check", "--json", "--scenario", "message-new", "--url", u, "--auth-token", "tok")
	require.Equal(t, exitOK, code)
	var rows []checkRow
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, "message-new", rows[0].Scenario)
	assert.True(t, rows[0].Valid)
	assert.Equal(t, []string{}, rows[0].Problems)

	code, out, _ = oosc(t, "", "check", "--url", u, "--auth-token", "wrong")
	assert.Equal(t, exitInvalid, code, "a wrong token is answered 403: 80913")
	assert.Contains(t, out, "403")
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{
		{"check"},
		{"check", "--url", "http://127.0.0.1:1/x"},
		{"check", "--url", "127.0.0.1:1", "--auth-token", "t"},
		{"check", "--url", "http://127.0.0.1:1/x", "--auth-token", "t", "--scenario", "nope"},
		{"check", "--url", "http://127.0.0.1:1/x", "--auth-token", "t", "extra"},
	} {
		code, _, _ := oosc(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
	}
	_, _, errOut := oosc(t, "", "check", "--help")
	assert.Contains(t, errOut, "anonymous-call", "the help lists the scenarios")
	assert.Contains(t, errOut, "15s", "Proxy's 15 s is the default wait")
}

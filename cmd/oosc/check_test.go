package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
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
		}, []string{"--timeout", "200ms", "--callback", "call-new"}, []string{"FAIL 80913", "no answer within 200ms"}, exitInvalid},
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
			assert.Contains(t, out, "CALLBACK")
			assert.Regexp(t, `0 of \d+ callbacks passed`, out)
		})
	}
}

func TestCheckPassesAGoodEndpoint(t *testing.T) {
	u := callbackServer(t, "tok")
	code, out, errOut := cli(t, "", "check", "--url", u, "--auth-token", "tok")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "8 of 8 callbacks passed")
	for _, name := range []string{"call-new", "message-new", "call-after-closed", "message-after-closed", "message-after-expired", "message-with-media", "whatsapp-message", "anonymous-call"} {
		assert.Regexp(t, `(?m)^`+name+` +200 +application/(json|xml) +\d+(\.\d)?m?s +ok$`, out)
	}

	code, out, _ = cli(t, "", "check", "--json", "--callback", "message-new", "--url", u, "--auth-token", "tok")
	require.Equal(t, exitOK, code)
	var row checkRow
	require.NoError(t, json.Unmarshal([]byte(out), &row), "one JSON object per line")
	assert.Equal(t, "message-new", row.Callback)
	assert.True(t, row.Valid)
	assert.Equal(t, []oosc.Problem{}, row.Problems)
	assert.Equal(t, []oosc.Code{}, row.Codes)

	code, out, errOut = cli(t, "", "check", "--url", u, "--auth-token", "wrong")
	assert.Equal(t, exitInvalid, code, "a wrong token is answered 403: 80913")
	assert.Contains(t, out, "403")
	assert.Contains(t, errOut, "check that the auth token is the one it verifies, and that --url is exactly the URL")

	code, _, _ = cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok"}, "", "check", "--url", u, "--callback", "call-new")
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
	_, out, _ := cli(t, "", "check", "--json", "--url", srv.URL, "--auth-token", "t", "--callback", "call-new")
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
		{"check", "--url", "http://127.0.0.1:1/x", "--auth-token", "t", "--callback", "nope"},
		{"check", "--url", "http://127.0.0.1:1/x", "--auth-token", "t", "extra"},
	} {
		code, _, _ := cli(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
	}
	code, out, errOut := cli(t, "", "check", "--help")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut, "help goes to stdout")
	assert.Contains(t, out, "anonymous-call", "the help lists the callbacks")
	assert.Contains(t, out, "15s", "Proxy's 15 s is the default wait")
	assert.Contains(t, out, "usage: oosc check --url URL [--auth-token T] [--callback NAME ...] [--from N] [--to N] [--timeout D] [--json]\n")
}

// notifyWriter is a stdout that closes seen once what was written holds
// want.
type notifyWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	want string
	seen chan struct{}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

// Issue 28: check printed nothing until every answer was in (6 s of
// silence against a 2 s endpoint). Each row is printed as its answer
// arrives: the endpoint holds its last answer until the first row is out,
// for 20 s at most.
func TestCheckPrintsEachRowAsItsAnswerArrives(t *testing.T) {
	out := &notifyWriter{want: "\ncall-new ", seen: make(chan struct{})}
	seen := out.seen
	var mu sync.Mutex
	calls, sawFirstRow := 0, false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		last := calls == 2
		mu.Unlock()
		if last {
			select {
			case <-seen:
				mu.Lock()
				sawFirstRow = true
				mu.Unlock()
			case <-time.After(20 * time.Second):
			}
		}
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<Response/>"))
	}))
	defer srv.Close()
	var errOut strings.Builder
	defer fakeEnv(nil)()
	code := run([]string{"check", "--url", srv.URL, "--auth-token", "t", "--timeout", "30s", "--callback", "call-new", "--callback", "message-new"},
		strings.NewReader(""), out, &errOut)
	assert.Equal(t, exitOK, code, out.buf.String()+errOut.String())
	mu.Lock()
	defer mu.Unlock()
	assert.True(t, sawFirstRow, "the first row was not printed before the last answer:\n%s", out.buf.String())
}

// Rows stay short (FAIL, the codes and the first rule); what failed is
// said in full once, below the table.
func TestCheckShortRowsAndDetailsBelow(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write([]byte(`<Response><Message>hi</Message></Response>`))
	}))
	defer srv.Close()
	code, out, _ := cli(t, "", "check", "--url", srv.URL, "--auth-token", "t", "--callback", "message-new", "--callback", "call-new")
	assert.Equal(t, exitInvalid, code)
	lines := strings.Split(out, "\n")
	require.GreaterOrEqual(t, len(lines), 4, out)
	assert.Regexp(t, `^message-new +200 +text/xml +\S+ +FAIL 80905 content-type$`, lines[1])
	assert.Regexp(t, `^call-new +200 +text/xml +\S+ +FAIL 80905 content-type \(\+1\)$`, lines[2], "and a second problem: <Message> in a call")
	assert.Equal(t, "0 of 2 callbacks passed", lines[3])
	for _, l := range lines[:3] {
		assert.LessOrEqual(t, len(l), 80, "a row fits a terminal: %q", l)
	}
	assert.Contains(t, out, "\nmessage-new: 200, text/xml; charset=utf-8\n  error /: content-type: ")
	assert.Equal(t, 2, strings.Count(out, "Proxy accepts TwiML only as application/xml"), "once per failed callback, below the table:\n%s", out)
}

// A URL nothing listens at gets a hint saying so, and the usage lists
// every flag.
func TestCheckConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := "http://" + ln.Addr().String() + "/out-of-session"
	ln.Close() // nothing listens there now
	code, out, errOut := cli(t, "", "check", "--url", u, "--auth-token", "t", "--callback", "call-new")
	assert.Equal(t, exitInvalid, code)
	assert.Regexp(t, `(?m)^call-new +- +- +\S+ +FAIL 80913 \S+$`, out)
	assert.Contains(t, errOut, "oosc check: nothing listens at "+u+" (connection refused)")
}

// --scenario, check's old name for --callback, still works, and says it
// is deprecated (issue 27: "scenario" means a scenario file).
func TestCheckScenarioFlagIsDeprecated(t *testing.T) {
	u := callbackServer(t, "tok")
	code, out, errOut := cli(t, "", "check", "--url", u, "--auth-token", "tok", "--scenario", "call-new")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "1 of 1 callbacks passed")
	assert.Contains(t, errOut, "--scenario is deprecated and goes in v0.4.0: use --callback")
	_, _, errOut = cli(t, "", "check", "--url", u, "--auth-token", "tok", "--callback", "call-new")
	assert.Empty(t, errOut)
	_, out, _ = cli(t, "", "check", "--help")
	assert.NotContains(t, strings.ToLower(strings.Split(out, "flags:")[0]), "scenario:", "the help speaks of callbacks")
}

// Failures stand out on a terminal, and only there: no colour in a pipe
// or a file (the tests' buffers), nor when NO_COLOR is set.
func TestCheckColoursFailuresOnATerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()
	args := []string{"check", "--url", srv.URL, "--auth-token", "t", "--callback", "call-new"}
	_, plain, _ := cli(t, "", args...)
	assert.NotContains(t, plain, "\x1b[", "not a terminal: no colour")

	saved := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	defer func() { isTerminal = saved }()
	_, out, _ := cli(t, "", args...)
	assert.Contains(t, out, "\x1b[1;31mFAIL 80913 status\x1b[0m")
	_, out, _ = cliEnv(t, map[string]string{"NO_COLOR": "1"}, "", args...)
	assert.Equal(t, stripLatency(plain), stripLatency(out), "NO_COLOR: no colour")
}

// stripLatency blanks the latencies of check's rows, which differ from
// run to run.
func stripLatency(s string) string {
	return regexp.MustCompile(`\d+(\.\d)?m?s`).ReplaceAllString(s, "T")
}

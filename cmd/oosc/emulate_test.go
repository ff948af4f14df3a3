package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/emulator"
)

// emulating is oosc emulate running on a free loopback port until stop.
type emulating struct {
	base  string
	lines []string // stdout before the first request
	stop  context.CancelFunc
	done  chan int
	rest  *bufio.Scanner

	mu    sync.Mutex
	after []string      // stdout from the first request on
	grew  chan struct{} // told when after grows
}

func startEmulate(t *testing.T, vars map[string]string, args ...string) *emulating {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	saved := emulateSignals
	emulateSignals = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	t.Cleanup(fakeEnv(vars))
	t.Cleanup(func() { emulateSignals = saved })

	r, w := io.Pipe()
	e := &emulating{stop: cancel, done: make(chan int, 1), grew: make(chan struct{}, 1)}
	go func() {
		code := run(append([]string{"emulate", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), w, io.Discard)
		w.Close()
		e.done <- code
	}()
	e.rest = bufio.NewScanner(r)
	e.rest.Buffer(nil, 1<<20)
	for e.rest.Scan() {
		line := e.rest.Text()
		e.lines = append(e.lines, line)
		if m := regexp.MustCompile(`^Proxy emulator on (http://\S+)`).FindStringSubmatch(line); m != nil {
			e.base = m[1]
		}
		if strings.Contains(line, "Ctrl-C stops it") {
			break
		}
	}
	require.NotEmpty(t, e.base, "no base URL printed: %v", e.lines)
	go func() { // what it says as it runs, and at shutdown
		for e.rest.Scan() {
			e.mu.Lock()
			e.after = append(e.after, e.rest.Text())
			e.mu.Unlock()
			select {
			case e.grew <- struct{}{}:
			default:
			}
		}
		io.Copy(io.Discard, r)
	}()
	return e
}

// printed waits until enough holds for the lines printed after start-up,
// and returns them; it fails the test after 10 s.
func (e *emulating) printed(t *testing.T, enough func(lines []string) bool) []string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		e.mu.Lock()
		lines := slices.Clone(e.after)
		e.mu.Unlock()
		if enough(lines) {
			return lines
		}
		select {
		case <-e.grew:
		case <-deadline:
			t.Fatalf("oosc emulate did not print what was expected; it printed:\n%s", strings.Join(lines, "\n"))
			return nil
		}
	}
}

func (e *emulating) wait(t *testing.T) int {
	t.Helper()
	e.stop()
	select {
	case code := <-e.done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("oosc emulate did not stop")
		return -1
	}
}

func restCall(t *testing.T, method, target, token string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(emulator.DefaultAccountSid, token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// oosc emulate serves the REST API with the token of TWILIO_AUTH_TOKEN,
// stops cleanly, and keeps its state across restarts with --state.
func TestEmulateServesAndKeepsState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "proxy.json")
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--state", state, "--start", "2026-03-01T09:00:00Z")
	out := strings.Join(e.lines, "\n")
	assert.Contains(t, out, "virtual clock at 2026-03-01T09:00:00Z")
	assert.Contains(t, out, "auth token   from TWILIO_AUTH_TOKEN (not printed)")
	assert.Contains(t, out, `Try: curl -u "AC00000000000000000000000000000001:$TWILIO_AUTH_TOKEN" http://127.0.0.1:`, "the hint names the variable that holds the token")
	assert.NotContains(t, out, "tok-1", "a given token is never printed")

	status, _ := restCall(t, "POST", e.base+"/v1/Services", "wrong", url.Values{"UniqueName": {"x"}})
	assert.Equal(t, 401, status)
	status, svc := restCall(t, "POST", e.base+"/v1/Services", "tok-1", url.Values{"UniqueName": {"rides"}})
	require.Equal(t, 201, status, "%v", svc)
	ks, _ := svc["sid"].(string)
	status, _ = restCall(t, "POST", e.base+"/v1/Services/"+ks+"/PhoneNumbers", "tok-1", url.Values{"PhoneNumber": {"+14155550100"}})
	require.Equal(t, 201, status)
	resp, err := http.Get(e.base + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, exitOK, e.wait(t))
	_, err = os.Stat(state)
	require.NoError(t, err, "the state was saved")

	e = startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--state", state)
	status, list := restCall(t, "GET", e.base+"/v1/Services/"+ks+"/PhoneNumbers", "tok-1", nil)
	require.Equal(t, 200, status)
	assert.Len(t, list["phone_numbers"], 1, "the state was restored")
	assert.Equal(t, exitOK, e.wait(t))
}

// Without a token it makes one and prints it.
func TestEmulateGeneratesAToken(t *testing.T) {
	e := startEmulate(t, nil)
	var token string
	for _, l := range e.lines {
		if m := regexp.MustCompile(`auth token\s+([0-9a-f]{32}) \(generated`).FindStringSubmatch(l); m != nil {
			token = m[1]
		}
	}
	require.NotEmpty(t, token, "%v", e.lines)
	status, _ := restCall(t, "GET", e.base+"/v1/Services", token, nil)
	assert.Equal(t, 200, status)
	assert.Equal(t, exitOK, e.wait(t))
}

func TestEmulateUsageErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("not a state"), 0o600))
	for _, args := range [][]string{
		{"--account-sid", "AC123"},
		{"--start", "tomorrow"},
		{"--addr", ln.Addr().String()},
		{"--state", bad},
		{"extra"},
	} {
		code, _, errOut := cli(t, "", append([]string{"emulate"}, args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, errOut)
		assert.Contains(t, errOut, "oosc emulate:", "%v", args)
	}
}

// --allow-participant-conflict plays a legacy account: a pair conflict on
// create succeeds, as it does there; without it the create is 409 80623.
func TestEmulateAllowsParticipantConflict(t *testing.T) {
	for _, allow := range []bool{false, true} {
		var args []string
		if allow {
			args = append(args, "--allow-participant-conflict")
		}
		e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, args...)
		_, svc := restCall(t, "POST", e.base+"/v1/Services", "tok-1", url.Values{"UniqueName": {"rides"}})
		ks, _ := svc["sid"].(string)
		status, _ := restCall(t, "POST", e.base+"/v1/Services/"+ks+"/PhoneNumbers", "tok-1", url.Values{"PhoneNumber": {"+14155550100"}})
		require.Equal(t, 201, status)
		pair := url.Values{"Participants": {`{"Identifier":"+19515550101","ProxyIdentifier":"+14155550100"}`}}
		status, _ = restCall(t, "POST", e.base+"/v1/Services/"+ks+"/Sessions", "tok-1", pair)
		require.Equal(t, 201, status)
		status, m := restCall(t, "POST", e.base+"/v1/Services/"+ks+"/Sessions", "tok-1", pair)
		if allow {
			assert.Equal(t, 201, status, "%v", m)
		} else {
			assert.Equal(t, 409, status)
			assert.Equal(t, float64(80623), m["code"])
		}
		assert.Equal(t, exitOK, e.wait(t))
	}
}

// A number bought through the control API is a change of state like any
// other: saved at stop, and there after a restart.
func TestEmulateKeepsTheAccountsNumbers(t *testing.T) {
	state := filepath.Join(t.TempDir(), "proxy.json")
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--state", state)
	resp, err := http.Post(e.base+"/emulator/numbers", "application/json", strings.NewReader(`{"number":"+14155550100"}`))
	require.NoError(t, err)
	var bought map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&bought))
	resp.Body.Close()
	require.Equal(t, 201, resp.StatusCode, "%v", bought)
	assert.Equal(t, exitOK, e.wait(t))

	e = startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--state", state)
	status, svc := restCall(t, "POST", e.base+"/v1/Services", "tok-1", url.Values{"UniqueName": {"rides"}})
	require.Equal(t, 201, status, "%v", svc)
	status, pn := restCall(t, "POST", e.base+"/v1/Services/"+svc["sid"].(string)+"/PhoneNumbers", "tok-1", url.Values{"Sid": {bought["sid"].(string)}})
	assert.Equal(t, 201, status, "the number bought before the restart: %v", pn)
	assert.Equal(t, "+14155550100", pn["phone_number"])
	assert.Equal(t, exitOK, e.wait(t))
}

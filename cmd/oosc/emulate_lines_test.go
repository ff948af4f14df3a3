package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/internal/term"
)

const (
	linesToken = "tok-lines"
	poolNumber = "+14155550100"
)

// The lines oosc emulate prints as it runs: a webhook, a Debugger event,
// an inbound contact's outcome; then the lines of its start and stop.
var (
	stamp       = `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`
	webhookLine = regexp.MustCompile(`^` + stamp + `  (out-of-session|intercept|status) webhook  (\d{3}|no answer)`)
	eventLine   = regexp.MustCompile(`^` + stamp + `  \d{5} [A-Z][^ ]* `)
	contactLine = regexp.MustCompile(`^` + stamp + `  (sms  |voice)  \S+ -> \S+  (routed|created|twiml|failed|ignored|dropped|blocked)\b`)
	otherLine   = regexp.MustCompile(`^(What happens is printed below|state saved to|stopped$)`)
)

// rides makes a Service with the out-of-session callback oos ("" for
// none) and poolNumber in its pool, through the REST and control APIs.
func rides(t *testing.T, base, oos string) {
	t.Helper()
	status, svc := restCall(t, "POST", base+"/v1/Services", linesToken, url.Values{"UniqueName": {"rides"}, "OutOfSessionCallbackUrl": {oos}})
	require.Equal(t, 201, status, "%v", svc)
	resp, err := http.Post(base+"/emulator/numbers", "application/json", strings.NewReader(`{"number":"`+poolNumber+`"}`))
	require.NoError(t, err)
	var bought map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&bought))
	resp.Body.Close()
	status, pn := restCall(t, "POST", base+"/v1/Services/"+svc["sid"].(string)+"/PhoneNumbers", linesToken, url.Values{"Sid": {bought["sid"].(string)}})
	require.Equal(t, 201, status, "%v", pn)
}

// inboundSMS sends a message from from to the pool's number through the
// control API, and returns its outcome.
func inboundSMS(t testing.TB, base, from string) string {
	t.Helper()
	outcome, err := sendSMS(base, from)
	require.NoError(t, err)
	return outcome
}

// sendSMS is inboundSMS for another goroutine than the test's.
func sendSMS(base, from string) (string, error) {
	body := fmt.Sprintf(`{"channel":"sms","from":%q,"to":%q,"body":"hi"}`, from, poolNumber)
	resp, err := http.Post(base+"/emulator/inbound", "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var r struct {
		Outcome string `json:"outcome"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d, %v", resp.StatusCode, err)
	}
	return r.Outcome, nil
}

// twimlOrNot is an out-of-session callback that answers a sender ending
// in an even digit with valid TwiML, any other with TwiML as text/html,
// which Proxy refuses (80905).
func twimlOrNot(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		from := r.PostForm.Get("From")
		if from != "" && strings.ContainsAny(from[len(from)-1:], "02468") {
			w.Header().Set("Content-Type", "application/xml")
		} else {
			w.Header().Set("Content-Type", "text/html")
		}
		io.WriteString(w, "<Response><Message>This ride has ended.</Message></Response>")
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/out-of-session"
}

// sgr matches an escape sequence that colours text.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// count counts the lines re matches, colours aside.
func count(lines []string, re *regexp.Regexp) int {
	n := 0
	for _, l := range lines {
		if re.MatchString(sgr.ReplaceAllString(l, "")) {
			n++
		}
	}
	return n
}

// Issue 28: oosc emulate says what happens as it happens. An inbound
// contact that fails with 80905, over real HTTP, gives the event's line,
// naming the code and what the emulator saw, then the contact's; a
// contact answered by the callback gives the webhook's line (status,
// Content-Type, what it answered), then the contact's. Phone numbers are
// masked unless --phone-numbers.
func TestEmulatePrintsWhatHappens(t *testing.T) {
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken})
	rides(t, e.base, twimlOrNot(t))
	assert.Equal(t, "failed", inboundSMS(t, e.base, "+19515550101"))
	assert.Equal(t, "twiml", inboundSMS(t, e.base, "+19515550102"))
	lines := e.printed(t, func(l []string) bool { return count(l, contactLine) == 2 })
	assert.Equal(t, exitOK, e.wait(t))
	out := strings.Join(lines, "\n")
	t.Log(out)

	var got []string
	for _, l := range lines {
		switch {
		case webhookLine.MatchString(l):
			got = append(got, "webhook")
		case eventLine.MatchString(l):
			got = append(got, "event")
		case contactLine.MatchString(l):
			got = append(got, "contact")
		}
	}
	assert.Equal(t, []string{"webhook", "event", "contact", "webhook", "contact"}, got, "each contact reads as a group: its webhook, its event, its outcome")
	assert.Regexp(t, `(?m)^2026-\d\d-\d\d \d\d:\d\d:\d\d  80905 Unknown Scenario  the out-of-session callback at http://127\.0\.0\.1:\d+/out-of-session answered 200 with text/html, which Proxy refuses: .*; fix: send TwiML as application/xml`, out)
	assert.Regexp(t, `(?m)^\S+ \S+  sms    \+\*+01 -> \+\*+00  failed 80905  cause no-previous-session$`, out)
	assert.Regexp(t, `(?m)^\S+ \S+  out-of-session webhook  200 application/xml  [0-9.]+[µm]?s  <Response><Message>This ride has ended.</Message></Response>  http://127\.0\.0\.1:\d+/out-of-session$`, out)
	assert.Regexp(t, `(?m)^\S+ \S+  sms    \+\*+02 -> \+\*+00  twiml  cause no-previous-session`, out)
	assert.NotContains(t, out, "5550101", "phone numbers are masked")
	assert.NotContains(t, out, "\x1b", "no colour in a pipe")

	e = startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken}, "--phone-numbers")
	rides(t, e.base, "")
	inboundSMS(t, e.base, "+19515550101")
	lines = e.printed(t, func(l []string) bool { return count(l, contactLine) == 1 })
	assert.Equal(t, exitOK, e.wait(t))
	out = strings.Join(lines, "\n")
	assert.Contains(t, out, "  80905 Unknown Scenario  no out-of-session callback was called")
	assert.Contains(t, out, "  sms    +19515550101 -> +14155550100  failed 80905  cause no-previous-session")
}

// Concurrent contacts print whole lines, never one inside another: every
// line is a webhook's, an event's or a contact's, and each is there.
func TestEmulateLinesDoNotInterleave(t *testing.T) {
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken})
	rides(t, e.base, twimlOrNot(t))
	const contacts = 40
	var wg sync.WaitGroup
	for i := range contacts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := sendSMS(e.base, fmt.Sprintf("+1951555%04d", 1000+i))
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	lines := e.printed(t, func(l []string) bool { return count(l, contactLine) == contacts })
	assert.Equal(t, exitOK, e.wait(t))
	for _, l := range lines {
		assert.True(t, webhookLine.MatchString(l) || eventLine.MatchString(l) || contactLine.MatchString(l) || otherLine.MatchString(l), "a line of its own: %q", l)
	}
	assert.Equal(t, contacts, count(lines, webhookLine), "one webhook line per contact")
	assert.Equal(t, contacts/2, count(lines, eventLine), "one 80905 per refused answer")
}

// 80905 and 80913 stand out on a terminal; with NO_COLOR set, or in a
// pipe, no escape sequence is printed.
func TestEmulateColoursOnlyATerminal(t *testing.T) {
	saved := isTerminal
	t.Cleanup(func() { isTerminal = saved })
	for _, tt := range []struct {
		name     string
		terminal bool
		vars     map[string]string
		colour   bool
	}{
		{"terminal", true, map[string]string{"TWILIO_AUTH_TOKEN": linesToken}, true},
		{"terminal with NO_COLOR", true, map[string]string{"TWILIO_AUTH_TOKEN": linesToken, "NO_COLOR": "1"}, false},
		{"pipe", false, map[string]string{"TWILIO_AUTH_TOKEN": linesToken}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isTerminal = func(io.Writer) bool { return tt.terminal }
			e := startEmulate(t, tt.vars)
			rides(t, e.base, "http://127.0.0.1:1/nothing-listens")
			assert.Equal(t, "failed", inboundSMS(t, e.base, "+19515550101"))
			lines := e.printed(t, func(l []string) bool { return count(l, contactLine) == 1 })
			assert.Equal(t, exitOK, e.wait(t))
			out := strings.Join(lines, "\n")
			if tt.colour {
				assert.Contains(t, out, term.Palette{On: true}.Fail("80913 Out-Of-Session Callback Error"))
				assert.Contains(t, out, term.Palette{On: true}.Fail("failed 80913"))
			} else {
				assert.NotContains(t, out, "\x1b")
				assert.Contains(t, out, "80913 Out-Of-Session Callback Error  the out-of-session callback gave no answer: nothing listens at http://127.0.0.1:1/nothing-listens")
			}
		})
	}
}

// --quiet prints no line for what happens.
func TestEmulateQuiet(t *testing.T) {
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken}, "--quiet")
	rides(t, e.base, "")
	assert.Equal(t, "failed", inboundSMS(t, e.base, "+19515550101"))
	assert.Equal(t, exitOK, e.wait(t))
	lines := e.printed(t, func(l []string) bool { return len(l) > 0 && l[len(l)-1] == "stopped" })
	assert.Equal(t, []string{"stopped"}, lines)
}

// gated is a stdout that a test can stop taking writes: a terminal
// scrolled back, a pipe nobody reads.
type gated struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	shut chan struct{} // closed: writes go through
	hold bool
}

func (g *gated) Write(b []byte) (int, error) {
	g.mu.Lock()
	hold := g.hold
	g.mu.Unlock()
	if hold {
		<-g.shut
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.Write(b)
}

func (g *gated) String() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.String()
}

// A stdout that takes nothing never stalls the emulator: contacts go on
// being answered, and what waited is printed once stdout takes it.
func TestEmulateSlowStdoutNeverStalls(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	saved := emulateSignals
	emulateSignals = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	t.Cleanup(fakeEnv(map[string]string{"TWILIO_AUTH_TOKEN": linesToken}))
	t.Cleanup(func() { emulateSignals = saved })
	out := &gated{shut: make(chan struct{})}
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"emulate", "--addr", "127.0.0.1:0", "--phone-numbers"}, strings.NewReader(""), out, io.Discard)
	}()
	var base string
	require.Eventually(t, func() bool {
		m := regexp.MustCompile(`Proxy emulator on (http://\S+)`).FindStringSubmatch(out.String())
		if m != nil && strings.Contains(out.String(), "What happens is printed below") {
			base = m[1]
		}
		return base != ""
	}, 10*time.Second, 10*time.Millisecond)
	rides(t, base, "")
	out.mu.Lock()
	out.hold = true
	out.mu.Unlock()

	const contacts = 100
	answered := make(chan struct{})
	go func() {
		defer close(answered)
		for i := range contacts {
			_, err := sendSMS(base, fmt.Sprintf("+1951555%04d", 1000+i))
			assert.NoError(t, err)
		}
	}()
	select {
	case <-answered:
	case <-time.After(30 * time.Second):
		close(out.shut)
		t.Fatal("the contacts waited for stdout")
	}
	close(out.shut)
	require.Eventually(t, func() bool { return strings.Count(out.String(), "failed 80905") == contacts }, 10*time.Second, 10*time.Millisecond,
		"every line that waited is printed")
	assert.Contains(t, out.String(), fmt.Sprintf("+1951555%04d -> %s  failed 80905", 1000+contacts-1, poolNumber))
	cancel()
	assert.Equal(t, exitOK, <-done)
}

// Past its bound the queue drops lines, never waits: what was dropped is
// counted, and the count is printed before the next line.
func TestLiveLinesDropWhatStdoutCannotTake(t *testing.T) {
	out := &gated{shut: make(chan struct{}), hold: true}
	l := newLiveLines(out, term.Palette{}, func(s string) string { return s })
	l.start()
	const sent = 3 * liveQueue
	start := time.Now()
	for i := range sent {
		l.event(debugger.Event{Code: 80904, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Session: fmt.Sprintf("s-%d", i)})
	}
	assert.Less(t, time.Since(start), 10*time.Second, "putting lines never waits for stdout")
	close(out.shut)
	l.close(10 * time.Second)
	got := out.String()
	printed := strings.Count(got, "80904 Expired Proxy Session")
	m := regexp.MustCompile(`… (\d+) lines dropped: stdout did not keep up`).FindAllStringSubmatch(got, -1)
	require.NotEmpty(t, m, "the drop is said")
	dropped := 0
	for _, d := range m {
		var n int
		fmt.Sscan(d[1], &n)
		dropped += n
	}
	assert.Equal(t, sent, printed+dropped, "each line is printed or counted")
	assert.LessOrEqual(t, printed, liveQueue+1, "at most the queue (and the line being written) waited")
}

// With --state, start-up says what was loaded: Services, Sessions, the
// clock.
func TestEmulateSaysWhatItLoaded(t *testing.T) {
	state := filepath.Join(t.TempDir(), "proxy.json")
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken}, "--state", state, "--start", "2026-03-01T09:00:00Z")
	assert.Contains(t, strings.Join(e.lines, "\n"), "  state        "+state+" (new), saved within a second of each change")
	rides(t, e.base, "")
	status, svc := restCall(t, "GET", e.base+"/v1/Services/rides", linesToken, nil)
	require.Equal(t, 200, status)
	status, s := restCall(t, "POST", e.base+"/v1/Services/"+svc["sid"].(string)+"/Sessions", linesToken,
		url.Values{"UniqueName": {"ride-1"}, "Participants": {`{"Identifier":"+19515550101"}`, `{"Identifier":"+17075550102"}`}})
	require.Equal(t, 201, status, "%v", s)
	assert.Equal(t, exitOK, e.wait(t))

	e = startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken}, "--state", state)
	assert.Contains(t, strings.Join(e.lines, "\n"),
		"  state        "+state+", saved within a second of each change; loaded 1 Service, 1 Session (1 active), 1 account number, 0 events; the clock at 2026-03-01T09:00:00Z")
	assert.Equal(t, exitOK, e.wait(t))
}

// Round 3's attack: every value a line shows has its phone numbers
// masked, not only the callers': an auto-created Session's uniqueName
// ("ride +1..."), a redirect's Location, an answer, a URL; a value cut to
// fit is masked whole first, so that the cut leaves no digits of a number
// in the clear.
func TestEmulateMasksEveryNumberItPrints(t *testing.T) {
	const secret = "+19515550177"
	answer := fmt.Sprintf(`{"uniqueName":"ride %s","participantIdentifier":"+17075550102"}`, secret)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/status":
			w.Header().Set("Location", "/moved?To=%2B19515550177&From="+url.QueryEscape(secret))
			w.WriteHeader(http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, answer)
		}
	}))
	t.Cleanup(app.Close)
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": linesToken})
	rides(t, e.base, app.URL+"/oos?to="+url.QueryEscape(secret)+"&x="+strings.Repeat("a", 66)+secret) // cut at 120 runes inside the number
	status, svc := restCall(t, "GET", e.base+"/v1/Services/rides", linesToken, nil)
	require.Equal(t, 200, status)
	status, _ = restCall(t, "POST", e.base+"/v1/Services/"+svc["sid"].(string), linesToken, url.Values{"CallbackUrl": {app.URL + "/status"}})
	require.Equal(t, 200, status)
	assert.Equal(t, "created", inboundSMS(t, e.base, "+19515550101"))
	lines := e.printed(t, func(l []string) bool { return count(l, contactLine) == 1 && count(l, webhookLine) == 2 })
	assert.Equal(t, exitOK, e.wait(t))
	out := strings.Join(lines, "\n")
	t.Log(out)
	assert.Contains(t, out, "Session ride +*********77", "the uniqueName's number is masked")
	assert.Contains(t, out, "302 -> /moved?To=%2B*********77", "a Location's number is masked")
	assert.Regexp(t, `(?m)out-of-session webhook .*aaaa\+\*+…$`, out, "a number cut to fit is masked whole")
	for _, digits := range []string{"95155501", "5550177", "951555"} {
		assert.NotContains(t, out, digits, "no part of a number in the clear")
	}
}

// Round 3's attack: a stdout that takes nothing (a terminal paused with
// Ctrl-S, a pipe nobody reads) kept oosc emulate from stopping: Ctrl-C
// saved the state, then waited forever to print "state saved". It stops
// now, with its state saved, whatever stdout does.
func TestEmulateStopsThoughStdoutTakesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	saved := emulateSignals
	emulateSignals = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	t.Cleanup(fakeEnv(map[string]string{"TWILIO_AUTH_TOKEN": linesToken}))
	t.Cleanup(func() { emulateSignals = saved })
	state := filepath.Join(t.TempDir(), "proxy.json")
	out := &gated{shut: make(chan struct{})}
	t.Cleanup(func() { close(out.shut) })
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"emulate", "--addr", "127.0.0.1:0", "--state", state}, strings.NewReader(""), out, io.Discard)
	}()
	var base string
	require.Eventually(t, func() bool {
		m := regexp.MustCompile(`Proxy emulator on (http://\S+)`).FindStringSubmatch(out.String())
		if m != nil && strings.Contains(out.String(), "What happens is printed below") {
			base = m[1]
		}
		return base != ""
	}, 10*time.Second, 10*time.Millisecond)
	out.mu.Lock()
	out.hold = true // from here stdout takes nothing
	out.mu.Unlock()
	rides(t, base, "")
	assert.Equal(t, "failed", inboundSMS(t, base, "+19515550101"), "its lines wait for stdout")
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code)
	case <-time.After(30 * time.Second):
		t.Fatal("oosc emulate did not stop: it waits for stdout")
	}
	names, ok := services(state)
	require.True(t, ok, "the state file is whole")
	assert.Equal(t, []string{"rides"}, names)
}

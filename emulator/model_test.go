package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/judge"
)

// Production code does not depend on test helpers: the emulator takes its
// forms, signing and defaults from internal/proxyform, and Serve serves on
// net/http's own Server.
func TestNoTestHelpersInTheEmulator(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if errors.Is(err, exec.ErrNotFound) {
		t.Skip("no go command")
	}
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/oosc-dev/oosc/debugger", "the list is the emulator's")
	assert.NotContains(t, deps, "github.com/oosc-dev/oosc/callback/callbacktest")
	assert.NotContains(t, deps, "net/http/httptest")
	assert.NotContains(t, deps, "testing")
}

// The defaults are written once: the emulator's and callbacktest's agree.
func TestDefaultsAreCallbacktests(t *testing.T) {
	f := callbacktest.Message(rider, pn1, "hi").Form()
	assert.Equal(t, emulator.DefaultAccountSid, f.Get("AccountSid"))
	assert.Equal(t, "AC00000000000000000000000000000001", emulator.DefaultAccountSid, "as documented")
	assert.Equal(t, 15*time.Second, emulator.WebhookTimeout)

	// A handler that verifies callbacktest.DefaultAuthToken accepts what an
	// emulator made without options signs.
	e := newEmuWith(t, &emulator.Options{}, reconnect(), nil, nil)
	r := e.in(sms(stranger, pn1))
	require.NotNil(t, r.Callback)
	assert.Equal(t, 200, r.Callback.Webhook.Status, "signed with callbacktest.DefaultAuthToken")
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), emulator.New(nil).Now(), "the documented default start")
}

// The zero Proxy is an emulator with the default Options, safe for
// concurrent first use.
func TestZeroProxy(t *testing.T) {
	var p emulator.Proxy
	defer p.Close()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 4 {
			case 0:
				assert.Equal(t, emulator.DefaultAccountSid, p.AccountSid())
			case 1:
				assert.Equal(t, 3*emulator.WebhookTimeout, p.ContactTimeout())
			case 2:
				p.Now()
			default:
				p.Services()
			}
		}()
	}
	wg.Wait()
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: svc})
	require.NoError(t, err)
	_, err = p.AddNumber(svc, emulator.NewPhoneNumber{Number: pn1})
	require.NoError(t, err)
	r, err := p.Inbound(context.Background(), svc, sms(rider, pn1))
	require.NoError(t, err)
	assert.Equal(t, codes(80905), r.Codes)
	require.Len(t, p.Events(), 1)
	assert.Equal(t, emulator.DefaultAccountSid, p.Events()[0].AccountSid)

	var q emulator.Proxy
	rec := httptest.NewRecorder()
	emulator.NewServer(&q, nil).ServeHTTP(rec, local("GET", "/emulator/events"))
	assert.Equal(t, http.StatusOK, rec.Code, "a zero Proxy serves")
	var zero emulator.Proxy
	zero.Close()
	zero.Reset()
	var b bytes.Buffer
	require.NoError(t, zero.SaveState(&b))
	assert.Contains(t, b.String(), emulator.DefaultAccountSid)
}

// Advance takes a duration, as the control API's advance does; AdvanceTo
// a time. Neither goes back nor past the year 9999, and a refused move
// changes nothing.
func TestAdvanceAndAdvanceTo(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("ride-1", "", time.Hour))
	require.NoError(t, err)
	events, err := e.Advance(30 * time.Minute)
	require.NoError(t, err)
	assert.Empty(t, events)
	assert.Equal(t, t0.Add(30*time.Minute), e.Now())
	events, err = e.Advance(30 * time.Minute)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, oosc.CodeExpiredSession, events[0].Code)
	assert.Equal(t, "ride-1", events[0].Session)

	for _, bad := range []func() error{
		func() error { _, err := e.Advance(-time.Second); return err },
		func() error { _, err := e.AdvanceTo(t0); return err },
		func() error { _, err := e.AdvanceTo(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)); return err },
	} {
		assert.Equal(t, oosc.CodeBadParameters, code(t, bad()))
		assert.Equal(t, t0.Add(time.Hour), e.Now())
	}
	_, err = e.AdvanceTo(t0.Add(2 * time.Hour))
	require.NoError(t, err)
	assert.Equal(t, t0.Add(2*time.Hour), e.Now())
}

// ErrNotFound is a plain sentinel that every 20404 matches, and only those.
func TestErrNotFound(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.Session(svc, "nope")
	assert.ErrorIs(t, err, emulator.ErrNotFound)
	assert.Equal(t, oosc.CodeNotFound, code(t, err))
	_, err = e.create(emulator.NewSession{UniqueName: strings.Repeat("x", 192)})
	assert.NotErrorIs(t, err, emulator.ErrNotFound)
	var target *emulator.Error
	assert.False(t, errors.As(emulator.ErrNotFound, &target), "the sentinel is not an *Error")
}

// UpdateService takes what UpdateSession takes: a struct whose nil fields
// leave the configuration as it is; a refused update changes nothing.
func TestUpdateService(t *testing.T) {
	e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) {
		c.CallbackURL = "https://app.example.com/status"
	}, nil)
	url, level, ttl := "https://app.example.com/oos", emulator.GeoMatchAreaCode, time.Hour
	v, err := e.UpdateService(svc, emulator.ServiceUpdate{OutOfSessionCallbackURL: &url, GeoMatchLevel: &level, DefaultTTL: &ttl})
	require.NoError(t, err)
	assert.Equal(t, url, v.OutOfSessionCallbackURL)
	assert.Equal(t, emulator.GeoMatchAreaCode, v.GeoMatchLevel)
	assert.Equal(t, time.Hour, v.DefaultTTL)
	assert.Equal(t, "https://app.example.com/status", v.CallbackURL, "not given, not changed")
	assert.Equal(t, svc, v.UniqueName)

	empty := ""
	v, err = e.UpdateService(svc, emulator.ServiceUpdate{CallbackURL: &empty})
	require.NoError(t, err)
	assert.Empty(t, v.CallbackURL, "an empty URL unsets it")

	bad := emulator.GeoMatchLevel("continent")
	_, err = e.UpdateService(svc, emulator.ServiceUpdate{GeoMatchLevel: &bad, DefaultTTL: &ttl})
	assert.Equal(t, oosc.CodeBadParameters, code(t, err))
	after, err := e.Service(svc)
	require.NoError(t, err)
	assert.Equal(t, emulator.GeoMatchAreaCode, after.GeoMatchLevel, "a refused update changes nothing")
}

// A removed Participant's identifier cannot be added back to its Session:
// Twilio's 80612, Duplicate Entry, which oosc's code table knows.
func TestDuplicateEntry(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	s, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	require.NoError(t, e.RemoveParticipant(svc, "ride-1", s.Participants[1].Sid))
	_, err = e.AddParticipant(svc, "ride-1", emulator.NewParticipant{Identifier: driver})
	assert.Equal(t, oosc.CodeDuplicateEntry, code(t, err))
	assert.Equal(t, "Duplicate Entry", oosc.CodeDuplicateEntry.Title())
	assert.Contains(t, err.Error(), "80612 Duplicate Entry")
}

// The emulator's events are package debugger's: numbered, of the
// account, levelled, explained from the whole answer, with the callback's
// exchange recorded (its body clipped in the log), as GET /emulator/events
// and the state file show them.
func TestEventsAreDebuggerEvents(t *testing.T) {
	long := "<Response><Message>" + strings.Repeat("x", 2*emulator.MaxLoggedBodyBytes) + "</Message>" // not closed: 12100
	e := newEmu(t, nil, answering(answerWith("application/xml", long, 200)), nil)
	r := e.in(sms(rider, pn1))
	require.NotNil(t, r.Callback)
	assert.Equal(t, long, string(r.Callback.Webhook.Body), "the result keeps the whole answer")
	assert.Equal(t, judge.Response(200, http.Header{"Content-Type": {"application/xml"}}, []byte(long), sms(rider, pn1), nil).LoggedCodes(), r.Codes)
	assert.Equal(t, codes(12100, 80905), r.Codes)

	events := e.Events()
	require.Len(t, events, 2)
	for i, ev := range events {
		assert.Equal(t, r.Codes[i], ev.Code)
		assert.Regexp(t, `^NO0{31}`+[]string{"1", "2"}[i]+`$`, ev.Sid)
		assert.Equal(t, emulator.DefaultAccountSid, ev.AccountSid)
		assert.Equal(t, r.Callback.Webhook.Parameters.Get("MessageSid"), ev.ResourceSid)
		assert.Equal(t, rider, ev.From)
		assert.Equal(t, pn1, ev.To)
		assert.Equal(t, oosc.CauseNoPreviousSession, ev.Cause)
		require.NotNil(t, ev.Webhook)
		assert.Equal(t, debugger.WebhookOutOfSession, ev.Webhook.Kind)
		assert.Len(t, ev.Webhook.Body, emulator.MaxLoggedBodyBytes, "the log keeps a clipped body")
		require.NotNil(t, ev.Explanation)
	}
	assert.Equal(t, "ERROR", events[0].Level)
	assert.Equal(t, "WARNING", events[1].Level)
	x := events[1].Explanation
	assert.Equal(t, []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, x.Cases, "explained from the whole body")
	assert.True(t, x.Settled)

	hooks := e.Webhooks()
	require.Len(t, hooks, 1)
	assert.True(t, hooks[0].Webhook.Answered)
	assert.Equal(t, 200, hooks[0].Webhook.Status)
	assert.Equal(t, t0, hooks[0].Webhook.Time)
	hooks[0].Webhook.Parameters.Set("From", "changed")
	assert.Equal(t, rider, e.Webhooks()[0].Webhook.Parameters.Get("From"), "what the emulator returns is a copy")

	rec := httptest.NewRecorder()
	emulator.NewServer(e.Proxy, nil).ServeHTTP(rec, local("GET", "/emulator/events"))
	require.Equal(t, http.StatusOK, rec.Code)
	var page struct {
		Events []debugger.Event `json:"events"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	assert.Equal(t, events, page.Events, "the control API's JSON is the model's")
}

// Options.OnEvent and OnWebhook see each event and webhook, as Events and
// Webhooks hold them, after the lock is released: a hook may call the
// emulator, even change it.
func TestHooks(t *testing.T) {
	var mu sync.Mutex
	var events []debugger.Event
	var hooks []emulator.Exchange
	var contacts []emulator.Contact
	var p *emulator.Proxy
	opts := &emulator.Options{Start: t0,
		OnContact: func(c emulator.Contact) {
			mu.Lock()
			defer mu.Unlock()
			contacts = append(contacts, c)
		},
		OnEvent: func(e debugger.Event) {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
			if e.Code == oosc.CodeExpiredSession {
				// Changing the emulator from a hook does not deadlock; what
				// it logs reaches the hook in turn.
				_, err := p.Inbound(context.Background(), svc, oosc.Inbound{Channel: oosc.SMS, From: stranger, To: pn2, Body: "STOP"})
				assert.NoError(t, err)
			}
		},
		OnWebhook: func(w emulator.Exchange) {
			mu.Lock()
			defer mu.Unlock()
			hooks = append(hooks, w)
			assert.NotEmpty(t, p.Webhooks(), "a hook may read the emulator")
		},
	}
	e := newEmuWith(t, opts, reconnect(), nil, nil)
	p = e.Proxy
	first := e.in(sms(stranger, pn1))
	_, err := e.create(ride("ride-1", "", time.Hour))
	require.NoError(t, err)
	e.advance(2 * time.Hour)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, e.Events(), events)
	assert.Equal(t, []oosc.Code{oosc.CodeExpiredSession, oosc.CodeMessageMatchedStopWord}, eventCodes(events))
	assert.Equal(t, e.Webhooks(), hooks)
	require.Len(t, hooks, 1)
	assert.True(t, hooks[0].Webhook.Answered, "a webhook reaches the hook once its answer is recorded")
	// Each contact reaches OnContact once it has ended, with its result,
	// the one called from a hook too.
	require.Len(t, contacts, 2)
	service, err := e.Service(svc)
	require.NoError(t, err)
	assert.Equal(t, emulator.Contact{Time: t0, ServiceSid: service.Sid, Inbound: sms(stranger, pn1), Result: first}, contacts[0])
	assert.Equal(t, t0.Add(2*time.Hour), contacts[1].Time)
	assert.Equal(t, emulator.OutcomeDropped, contacts[1].Result.Outcome)
}

// A scenario run with nil options runs one without callbacks; its steps
// are numbered from 0, their index in steps, as a ScenarioError names
// them.
func TestRunScenarioOptions(t *testing.T) {
	_, err := emulator.ParseScenario([]byte(`{"service": {"numbers": [{"number": "+14155550100"}]},
		"steps": [{"at": "2026-01-05T10:00:00Z", "close": "nope"}, {"at": "2026-01-05T10:01:00Z", "reopen": ""}]}`))
	var se *emulator.ScenarioError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 1, se.Step)
	assert.Contains(t, err.Error(), "step 1, reopen")
	sc, err := emulator.ParseScenario([]byte(`{"service": {"numbers": [{"number": "+14155550100"}]},
		"steps": [{"at": "2026-01-05T10:00:00Z", "close": "nope"}]}`))
	require.NoError(t, err)
	results, err := emulator.RunScenario(context.Background(), sc, nil)
	require.NoError(t, err)
	require.Len(t, results, 1)
	assert.Equal(t, 0, results[0].Step)
	assert.Equal(t, emulator.OpClose, results[0].Op)
	assert.Equal(t, emulator.OutcomeError, results[0].Outcome)
	assert.Equal(t, codes(oosc.CodeNotFound), results[0].Codes)
}

// local is a request to the emulator from a client on loopback.
func local(method, path string) *http.Request {
	r := httptest.NewRequest(method, "http://127.0.0.1:4010"+path, nil)
	r.RemoteAddr = "127.0.0.1:5000"
	return r
}

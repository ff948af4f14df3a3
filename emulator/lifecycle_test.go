package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
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
)

// The third attack's deadlock, as it was found: a webhook that answers in
// 1 ms, three loops of inbound contacts and one of resets, over HTTP.
// Every request is answered, and Close returns.
func TestResetWhileWebhooksRunOverHTTP(t *testing.T) {
	p := emulator.New(&emulator.Options{Start: t0})
	srv := httptest.NewServer(emulator.NewServer(p, nil))
	defer srv.Close()
	app := p.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(time.Millisecond)
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<Response/>"))
	}))
	client := &http.Client{Timeout: 10 * time.Second} // a deadlock shows as a timeout
	post := func(path, ct, body string) (int, error) {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	setup := func() error {
		form := "application/x-www-form-urlencoded"
		if _, err := post("/v1/Services", form, url.Values{"UniqueName": {"svc"}, "OutOfSessionCallbackUrl": {app},
			"InterceptCallbackUrl": {app}, "CallbackUrl": {app}}.Encode()); err != nil {
			return err
		}
		_, err := post("/v1/Services/"+ks1+"/PhoneNumbers", form, url.Values{"PhoneNumber": {pn1}}.Encode()) // a reset sets the counter back
		return err
	}
	require.NoError(t, setup())

	deadline := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				body := fmt.Sprintf(`{"service":"svc","channel":"sms","from":"+1951555%04d","to":%q,"body":"hi"}`, i*1000+n%1000, pn1)
				status, err := post("/emulator/inbound", "application/json", body)
				if err != nil {
					errs <- err
					return
				}
				if status != 200 && status != 404 { // 404: the Service is gone after a reset
					errs <- fmt.Errorf("inbound: status %d", status)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for time.Now().Before(deadline) {
			if _, err := post("/emulator/reset", "application/json", ""); err != nil {
				errs <- err
				return
			}
			if err := setup(); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	closed := make(chan struct{})
	go func() { p.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
}

// gate is a webhook that waits until released, and says when it has been
// called.
type gate struct {
	called  chan struct{}
	release chan struct{}
	answer  http.Handler
}

func newGate(answer http.Handler) *gate {
	return &gate{called: make(chan struct{}, 10), release: make(chan struct{}), answer: answer}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.called <- struct{}{}
	<-g.release
	g.answer.ServeHTTP(w, r)
}

// inFlight starts an inbound contact, and returns once its webhook has
// been called; the contact's result comes on the channel.
func inFlight(t *testing.T, p *emulator.Proxy, g *gate, in oosc.Inbound) <-chan emulator.Result {
	t.Helper()
	out := make(chan emulator.Result, 1)
	go func() {
		r, err := p.Inbound(context.Background(), svc, in)
		assert.NoError(t, err)
		out <- r
	}()
	select {
	case <-g.called:
	case <-time.After(10 * time.Second):
		t.Fatal("the webhook was not called")
	}
	return out
}

func result(t *testing.T, c <-chan emulator.Result) emulator.Result {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("the contact did not end")
		return emulator.Result{}
	}
}

const autoCreateToDriver = `{"uniqueName":"back","participantIdentifier":"` + driver + `"}`

// Reset, RestoreState or DeleteService while a webhook is in flight: the
// contact ends as failed, and nothing of it reaches the state that
// follows (no Session, no delivery, no event, no webhook record).
func TestChangeWhileAWebhookIsInFlight(t *testing.T) {
	autoCreate := answerWith("application/json", autoCreateToDriver, 200)
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, p *emulator.Proxy)
		detail string
	}{
		{"reset", func(_ *testing.T, p *emulator.Proxy) { p.Reset() }, "reset"},
		{"delete", func(t *testing.T, p *emulator.Proxy) { require.NoError(t, p.DeleteService(svc)) }, "deleted"},
		{"restore", func(t *testing.T, p *emulator.Proxy) {
			var b strings.Builder
			require.NoError(t, emulator.New(&emulator.Options{Start: t0}).SaveState(&b))
			require.NoError(t, p.RestoreState(strings.NewReader(b.String())))
		}, "restored"},
	} {
		for _, hook := range []debugger.WebhookKind{debugger.WebhookOutOfSession, debugger.WebhookIntercept} {
			t.Run(tt.name+"/"+string(hook), func(t *testing.T) {
				var g *gate
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					if hook == debugger.WebhookOutOfSession {
						g = newGate(autoCreate)
						c.OutOfSessionCallbackURL = p.Serve(g)
					} else {
						g = newGate(answerWith("", "", 200))
						c.InterceptCallbackURL = p.Serve(g)
						c.CallbackURL = p.Serve(answerWith("", "", 200))
					}
				}, nil)
				if hook == debugger.WebhookIntercept {
					_, err := e.create(ride("ride-1", "", 0))
					require.NoError(t, err)
				}
				before := e.Deliveries()
				c := inFlight(t, e.Proxy, g, sms(rider, pn1))
				tt.change(t, e.Proxy)
				after := state(t, e.Proxy)
				close(g.release)
				r := result(t, c)
				assert.Equal(t, emulator.OutcomeFailed, r.Outcome)
				assert.Empty(t, r.Codes)
				assert.Contains(t, r.Detail, tt.detail)
				assert.Equal(t, after, state(t, e.Proxy), "the contact left a trace in the state that followed")
				if tt.name == "delete" {
					assert.Equal(t, before, e.Deliveries(), "no delivery for a Service that no longer exists")
				}
				if tt.name == "delete" {
					assert.Len(t, e.Webhooks(), 1, "the webhook was sent")
				} else {
					assert.Empty(t, e.Webhooks(), "the webhooks' log was emptied and stays so")
				}
				_, err := e.Inbound(context.Background(), svc, sms(rider, pn1))
				assert.ErrorIs(t, err, emulator.ErrNotFound, "the Service is gone")
			})
		}
	}
}

// The status callback comes after the delivery: a reset while it is in
// flight leaves the contact delivered, and logs nothing in the new state.
func TestResetWhileTheStatusCallbackIsInFlight(t *testing.T) {
	g := newGate(answerWith("", "", 500))
	e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) { c.CallbackURL = p.Serve(g) }, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	c := inFlight(t, e.Proxy, g, sms(rider, pn1))
	e.Reset()
	close(g.release)
	r := result(t, c)
	assert.Equal(t, emulator.OutcomeRouted, r.Outcome)
	assert.Empty(t, e.Events(), "the failed status callback (80908) belongs to the state before the reset")
	assert.Empty(t, e.Webhooks())
}

// Close returns though a handler started by Serve never does.
func TestCloseReturnsWithAStuckHandler(t *testing.T) {
	p := emulator.New(nil)
	stuck := make(chan struct{})
	defer close(stuck)
	base := p.Serve(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-stuck }))
	go http.Get(base)
	time.Sleep(50 * time.Millisecond)
	closed := make(chan struct{})
	go func() { p.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
}

// A contact takes at most ContactTimeout, whatever its webhooks do: each
// is waited for at most Options.WebhookTimeout.
func TestContactTakesAtMostContactTimeout(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	stuck := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-hang })
	opts := &emulator.Options{Start: t0, WebhookTimeout: 100 * time.Millisecond}
	e := newEmuWith(t, opts, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
		c.InterceptCallbackURL = p.Serve(answerWith("", "", 200))
		c.CallbackURL = p.Serve(stuck)
		c.OutOfSessionCallbackURL = p.Serve(stuck)
	}, nil)
	assert.Equal(t, 300*time.Millisecond, e.ContactTimeout())
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	start := time.Now()
	r := e.in(sms(rider, pn1))
	assert.Equal(t, emulator.OutcomeRouted, r.Outcome, "the status callback comes after the delivery")
	r = e.in(sms(stranger, pn1))
	assert.Equal(t, codes(80913), r.Codes, "no answer within the timeout")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, codes(80908, 80913), eventCodes(e.Events()))
}

func eventCodes(events []debugger.Event) []oosc.Code {
	out := []oosc.Code{}
	for _, e := range events {
		out = append(out, e.Code)
	}
	return out
}

// panicking is a transport that panics: a bug in the application's
// client, or in a webhook's path.
type panicking struct{}

func (panicking) RoundTrip(*http.Request) (*http.Response, error) { panic("the transport broke") }

// A panic while a webhook is sent reaches the caller, with no lock held:
// the emulator goes on answering, and Close returns.
func TestAPanicInAWebhookLeavesTheEmulatorUsable(t *testing.T) {
	opts := &emulator.Options{Start: t0, Client: &http.Client{Transport: panicking{}}}
	e := newEmuWith(t, opts, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) {
		c.OutOfSessionCallbackURL = "http://127.0.0.1:1/out-of-session"
	}, nil)
	func() {
		defer func() { assert.Equal(t, "the transport broke", recover()) }()
		e.Inbound(context.Background(), svc, sms(rider, pn1))
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := e.create(ride("ride-1", "", 0))
		assert.NoError(t, err)
		e.Reset()
		e.Close()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the emulator hangs after a panic")
	}
}

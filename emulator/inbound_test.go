package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

func notice(context.Context, *callback.Request) (callback.Answer, error) {
	r := twiml.NewMessagingResponse()
	r.Message("This conversation has ended.", nil)
	return callback.TwiML(r), nil
}

// Package doc, "An inbound contact goes": a number outside the pool, routing through an
// active Session, and the routing failures.
func TestRouting(t *testing.T) {
	e := newEmu(t, reconnect(), nil, nil)
	assert.Equal(t, emulator.OutcomeIgnored, e.in(sms(rider, "+14155550999")).Outcome)

	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	r := e.in(sms(rider, pn1))
	assert.Equal(t, emulator.OutcomeRouted, r.Outcome)
	assert.Equal(t, driver, r.DeliverTo)
	assert.Equal(t, pn1, r.ShownFrom)
	assert.Equal(t, "ride-1", r.Session)
	assert.Empty(t, r.Codes)
	assert.Empty(t, r.Cause)
	assert.Equal(t, oosc.SessionInProgress, e.session("ride-1").Status)
	r = e.in(call(driver, pn1))
	assert.Equal(t, rider, r.DeliverTo, "the other way round")
	assert.Equal(t, pn1, r.ShownFrom)
	assert.Empty(t, e.Webhooks(), "a routed contact never reaches the callback")
	its, err := e.Interactions(svc, "ride-1")
	require.NoError(t, err)
	require.Len(t, its, 2)
	assert.Equal(t, emulator.InteractionMessage, its[0].Type)
	assert.Equal(t, `{"body":"hi"}`, its[0].Data)
	assert.Equal(t, emulator.InteractionVoice, its[1].Type)
	d := e.Deliveries()
	require.Len(t, d, 2)
	assert.Equal(t, emulator.Delivery{Time: t0, To: driver, From: pn1, Channel: oosc.SMS, Body: "hi", SessionSid: e.session("ride-1").Sid,
		ServiceSid: ks1, Source: emulator.SourceRouted}, d[0])

	_, err = e.create(emulator.NewSession{UniqueName: "texts", Mode: autocreate.MessageOnly,
		Participants: []emulator.NewParticipant{{Identifier: stranger, ProxyIdentifier: pn1}, {Identifier: driver, ProxyIdentifier: pn2}}})
	require.NoError(t, err)
	assert.Equal(t, codes(80911), e.in(call(stranger, pn1)).Codes, "a call into a message-only Session")
	_, err = e.create(emulator.NewSession{UniqueName: "calls", Mode: autocreate.VoiceOnly,
		Participants: []emulator.NewParticipant{{Identifier: "+16505550104", ProxyIdentifier: pn1}, {Identifier: stranger, ProxyIdentifier: pnR}}})
	require.NoError(t, err)
	assert.Equal(t, codes(80910), e.in(sms("+16505550104", pn1)).Codes, "a message into a voice-only Session")
	_, err = e.create(emulator.NewSession{UniqueName: "alone", Participants: []emulator.NewParticipant{{Identifier: "+16505550105", ProxyIdentifier: pn1}}})
	require.NoError(t, err)
	r = e.in(sms("+16505550105", pn1))
	assert.Equal(t, emulator.OutcomeFailed, r.Outcome)
	assert.Equal(t, codes(80614), r.Codes, "no other Participant")

	_, err = e.Inbound(context.Background(), svc, oosc.Inbound{Channel: "fax", From: rider, To: pn1})
	assert.ErrorIs(t, err, oosc.ErrUnknownChannel)
	_, err = e.Inbound(context.Background(), "KSnope", sms(rider, pn1))
	assert.ErrorIs(t, err, emulator.ErrNotFound)
}

// Package doc, "An inbound contact goes", first: an opt-out keyword, trimmed and in any case, sent to a
// pool number, is dropped with 80901 and calls no callback, whether or not
// a Session would carry it; other messages are forwarded.
func TestOptOutKeywords(t *testing.T) {
	e := newEmu(t, notice, nil, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	for _, body := range []string{"STOP", "stop", "  Unsubscribe ", "end", "CANCEL", "quit", "STOPALL", "arret", "ARRETE", "arrett", "UNSTOP"} {
		for _, from := range []string{rider, stranger} { // in a Session, and out of one
			r := e.in(oosc.Inbound{Channel: oosc.SMS, From: from, To: pn1, Body: body})
			assert.Equal(t, emulator.OutcomeDropped, r.Outcome, "%q from %s", body, from)
			assert.Equal(t, codes(80901), r.Codes)
		}
	}
	assert.Empty(t, e.Webhooks(), "dropped messages trigger no callback")
	assert.Empty(t, e.Deliveries())
	for _, body := range []string{"START", "YES", "HELP", "INFO", "please stop", "STOP!"} {
		assert.NotEqual(t, emulator.OutcomeDropped, e.in(oosc.Inbound{Channel: oosc.SMS, From: stranger, To: pn1, Body: body}).Outcome, body)
	}
	assert.Equal(t, emulator.OutcomeIgnored, e.in(oosc.Inbound{Channel: oosc.SMS, From: stranger, To: "+14155550999", Body: "STOP"}).Outcome, "not to a pool number")
	assert.NotEqual(t, emulator.OutcomeDropped, e.in(call(stranger, pn1)).Outcome, "a call has no keyword")
}

// Package doc, "An inbound contact goes", routing: the intercept callback, signed, before each routed
// interaction; 403 blocks it with 80909 and the last interaction does not
// move; any other status, or a timeout, lets it go on.
func TestInterceptCallback(t *testing.T) {
	var mu sync.Mutex
	status := http.StatusOK
	var forms []url.Values
	intercept := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := webhook.NewVerifier([]string{callbacktest.DefaultAuthToken}, nil)
		require.NoError(t, err)
		require.NoError(t, r.ParseForm())
		if err := v.VerifyForm(r, r.PostForm); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		forms = append(forms, r.PostForm)
		w.WriteHeader(status)
	})
	e := newEmuWith(t, &emulator.Options{Start: t0, Client: &http.Client{Timeout: 300 * time.Millisecond}}, nil,
		func(c *emulator.ServiceConfig, p *emulator.Proxy) {
			c.InterceptCallbackURL = p.Serve(intercept) + "/intercept"
		}, nil)
	s, err := e.create(ride("ride-1", "", time.Hour))
	require.NoError(t, err)

	e.advance(10 * time.Minute)
	r := e.in(oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: "at the corner"})
	assert.Equal(t, emulator.OutcomeRouted, r.Outcome)
	require.Len(t, forms, 1)
	f := forms[0]
	assert.Equal(t, s.Sid, f.Get("interactionSessionSid"))
	assert.Regexp(t, `^KS`, f.Get("interactionServiceSid"))
	assert.Equal(t, emulator.DefaultAccountSid, f.Get("interactionAccountSid"))
	assert.Equal(t, s.Participants[0].Sid, f.Get("inboundParticipantSid"))
	assert.Equal(t, "Message", f.Get("interactionType"), "capitalized, as the Webhooks page's example writes Voice")
	assert.Equal(t, `{"body":"at the corner"}`, f.Get("interactionData"))
	assert.Equal(t, "received", f.Get("inboundResourceStatus"))
	assert.Equal(t, "message", f.Get("inboundResourceType"))
	assert.Regexp(t, `^https://api.twilio.com/2010-04-01/Accounts/AC\w+/Messages/SM\w+\.json$`, f.Get("inboundResourceUrl"))
	assert.Equal(t, "2026-01-05T10:10:00Z", f.Get("interactionDateCreated"))
	assert.Len(t, f, 13, "the 13 parameters of the Webhooks page: no outbound leg before the callback allows it")
	assert.Equal(t, r.Interaction, f.Get("interactionSid"))
	last := e.session("ride-1").LastInteraction

	mu.Lock()
	status = http.StatusForbidden
	mu.Unlock()
	e.advance(20 * time.Minute)
	r = e.in(call(driver, pn1))
	assert.Equal(t, emulator.OutcomeBlocked, r.Outcome)
	assert.Equal(t, codes(80909), r.Codes)
	assert.Equal(t, last, e.session("ride-1").LastInteraction, "a blocked contact does not move the last interaction")
	assert.Len(t, e.Deliveries(), 1)

	// A Message Interaction is an interaction too ("fires on each
	// interaction"): a 403 blocks it, with 80909, and nothing is sent.
	_, err = e.SendMessage(context.Background(), svc, "ride-1", s.Participants[1].Sid, "from the API", nil)
	assert.Equal(t, oosc.CodeInboundContactRejected, code(t, err))
	assert.Len(t, e.Deliveries(), 1)
	require.Len(t, forms, 3)
	assert.Equal(t, "", forms[2].Get("inboundParticipantSid"), "a Message Interaction has no inbound leg")
	assert.Equal(t, `{"body":"from the API"}`, forms[2].Get("interactionData"))
	events := e.Events()
	refused := events[len(events)-1]
	assert.Equal(t, oosc.CodeInboundContactRejected, refused.Code)
	assert.Equal(t, "ride-1", refused.Session)
	assert.Equal(t, s.Sid, refused.ResourceSid)
	assert.Equal(t, s.Participants[1].ProxyIdentifier, refused.From, "a Message Interaction is sent from its proxy number")
	assert.Equal(t, s.Participants[1].Identifier, refused.To, "to its Participant")
	require.NotNil(t, refused.Webhook, "the event records the intercept callback's 403")
	assert.Equal(t, debugger.WebhookIntercept, refused.Webhook.Kind)
	assert.Equal(t, http.StatusForbidden, refused.Webhook.Status)
	assert.Equal(t, forms[2], refused.Webhook.Parameters)
	require.NotNil(t, refused.Explanation)
	assert.Equal(t, oosc.CodeInboundContactRejected, refused.Explanation.Code)

	for _, st := range []int{http.StatusInternalServerError, http.StatusUnauthorized, http.StatusNoContent} {
		mu.Lock()
		status = st
		mu.Unlock()
		assert.Equal(t, emulator.OutcomeRouted, e.in(sms(rider, pn1)).Outcome, "status %d lets it go on", st)
	}
	_, err = e.SendMessage(context.Background(), svc, "ride-1", s.Participants[1].Sid, "from the API", nil)
	assert.NoError(t, err, "a status other than 403 lets a Message Interaction go on")

	slow := newEmuWith(t, &emulator.Options{Start: t0, Client: &http.Client{Timeout: 100 * time.Millisecond}}, nil,
		func(c *emulator.ServiceConfig, p *emulator.Proxy) {
			c.InterceptCallbackURL = p.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(time.Second):
				}
			}))
		}, nil)
	_, err = slow.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	assert.Equal(t, emulator.OutcomeRouted, slow.in(sms(rider, pn1)).Outcome, "a timeout lets it go on")
}

// The five causes of 80905 on Twilio's error page, each shown.

// 1. The sender is not a Participant of an open Session for that number,
// and the callback does not answer validly (here: none is configured).
func TestCause80905SenderNotAParticipant(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	r := e.in(sms(stranger, pn1))
	assert.Equal(t, emulator.OutcomeFailed, r.Outcome)
	assert.Equal(t, codes(80905), r.Codes)
	assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause)
	ev := e.Events()
	require.Len(t, ev, 1)
	assert.Equal(t, oosc.CodeUnknownScenario, ev[0].Code)
	assert.Equal(t, oosc.CauseNoPreviousSession, ev[0].Cause)
	assert.Equal(t, stranger, ev[0].From)
}

// 2. The Session closed, expired, or was deleted.
func TestCause80905SessionClosedExpiredOrDeleted(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("closed", "", 0))
	require.NoError(t, err)
	require.NoError(t, e.CloseSession(svc, "closed"))
	r := e.in(sms(rider, pn1))
	assert.Equal(t, codes(80905), r.Codes)
	assert.Equal(t, oosc.CauseSessionClosed, r.Cause)

	_, err = e.create(ride("expiring", "", time.Minute))
	require.NoError(t, err)
	e.advance(time.Minute)
	r = e.in(call(rider, pn1))
	assert.Equal(t, codes(80905), r.Codes)
	assert.Equal(t, oosc.CauseSessionExpired, r.Cause)

	require.NoError(t, e.DeleteSession(svc, "closed"))
	require.NoError(t, e.DeleteSession(svc, "expiring"))
	r = e.in(sms(rider, pn1))
	assert.Equal(t, codes(80905), r.Codes)
	assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause, "after deletion the sender counts as never having had it")
}

// 3. No out-of-session callback is configured.
func TestCause80905NoCallbackConfigured(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	r := e.in(call(rider, pn1))
	assert.Equal(t, codes(80905), r.Codes)
	assert.Contains(t, r.Detail, "no out-of-session callback")
	assert.Nil(t, r.Callback)
}

// 4. The callback's answer was neither valid TwiML with application/xml
// nor valid auto-create JSON with application/json.
func TestCause80905InvalidAnswer(t *testing.T) {
	for _, h := range []http.Handler{
		answerWith("text/xml", `<Response><Message>hi</Message></Response>`, 200),
		answerWith("application/xml", `<Response><Say>hi</Say></Response>`, 200), // voice TwiML for a message
		answerWith("application/json", `{"participant":"+17075550102"}`, 200),
		answerWith("", "", 200),
	} {
		e := newEmu(t, nil, answering(h), nil)
		r := e.in(sms(rider, pn1))
		assert.Equal(t, emulator.OutcomeFailed, r.Outcome)
		assert.Contains(t, r.Codes, oosc.CodeUnknownScenario, r.Detail)
		require.NotNil(t, r.Callback)
		assert.Equal(t, r.Callback.Verdict.LoggedCodes(), r.Codes, "the emulator logs what the judge says Proxy logs")
		assert.NotEmpty(t, r.Detail)
	}
}

// 5. The identifier and proxy identifier do not pair: the sender is in an
// active Session, but texted another Proxy number.
func TestCause80905ProxyIdentifierMismatch(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	r := e.in(sms(rider, pn2))
	assert.Equal(t, codes(80905), r.Codes)
	assert.Equal(t, oosc.CauseOtherProxyNumber, r.Cause)
}

// Package doc, "An inbound contact goes", out of session: the callback request: the standard parameters, the
// previous Session and both Participants whenever one is known
// (whatever the cause), each with its own Phone Number SID, Twilio-shaped
// deterministic SIDs, signed as the handler verifies.
func TestCallbackRequest(t *testing.T) {
	var mu sync.Mutex
	var got []*callback.Request
	decide := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		return notice(context.TODO(), req)
	}
	run := func() []emulator.Exchange {
		e := newEmu(t, decide, nil, nil)
		_, err := e.create(ride("ride-1", "", time.Hour))
		require.NoError(t, err)
		e.advance(2 * time.Hour)
		r := e.in(oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: "bag", Media: []string{"https://example.com/a.jpg"}})
		require.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
		r = e.in(call(stranger, pn2))
		require.Equal(t, emulator.OutcomeTwiML, r.Outcome, "the handler answers a call with its voice fallback, never with the messaging notice")
		return e.Webhooks()
	}
	log := run()
	require.Len(t, log, 2)
	assert.Equal(t, debugger.WebhookOutOfSession, log[0].Webhook.Kind)
	assert.Equal(t, http.StatusOK, log[0].Webhook.Status)
	f := log[0].Webhook.Parameters
	for k, v := range map[string]string{
		"SmsStatus": "received", "Body": "bag", "NumMedia": "1",
		"MediaUrl0": "https://example.com/a.jpg", "From": rider, "To": pn1,
		"sessionStatus": "closed", "sessionClosedReason": "expired", "sessionUniqueName": "ride-1",
		"sessionDateEnded": "2026-01-05T11:00:00Z", "inboundParticipantIdentifier": rider,
		"inboundParticipantProxyIdentifier": pn1, "outboundParticipantIdentifier": driver,
		"outboundParticipantProxyIdentifier": pn1, "AccountSid": emulator.DefaultAccountSid,
	} {
		assert.Equal(t, v, f.Get(k), k)
	}
	assert.Regexp(t, `^SM[0-9a-f]{32}$`, f.Get("MessageSid"))
	assert.Regexp(t, `^KC[0-9a-f]{32}$`, f.Get("sessionSid"))
	assert.Regexp(t, `^PN[0-9a-f]{32}$`, f.Get("inboundParticipantProxyIdentifierSid"))
	// Geography from the numbers' digits; what they do not tell is sent
	// empty, never invented.
	for k, v := range map[string]string{"FromState": "CA", "FromCountry": "US", "ToState": "CA", "ToCountry": "US", "FromCity": "", "ToZip": ""} {
		got, ok := f[k]
		assert.True(t, ok, "%s is sent", k)
		assert.Equal(t, []string{v}, got, k)
	}
	voice := log[1].Webhook.Parameters
	for k, v := range map[string]string{"CallStatus": "ringing", "Direction": "inbound", "Caller": stranger, "Called": pn2,
		"CallerState": "CA", "CallerCountry": "US", "CalledState": "CA", "CalledCountry": "US", "CallerCity": "", "CalledZip": "",
		"FromCountry": "US", "ToState": "CA", "AddOns": `{"status":"successful","message":null,"code":null,"results":{}}`} {
		assert.Equal(t, v, voice.Get(k), k)
	}
	assert.Regexp(t, `^CA[0-9a-f]{32}$`, voice.Get("CallSid"))
	assert.Empty(t, voice.Get("sessionSid"), "no previous Session, no session fields")
	require.Len(t, got, 2, "the handler verified both signatures")
	assert.Equal(t, "ride-1", got[0].PreviousSession.UniqueName)
	assert.Equal(t, oosc.CauseSessionExpired, got[0].Cause(), "the handler reads the emulator's expiry")
	again := run()
	for i := range log {
		assert.Equal(t, log[i].Webhook.Parameters, again[i].Webhook.Parameters, "the same scenario gives byte-identical requests")
	}
}

// Package doc, "An inbound contact goes": a sender active on another number still gets the previous
// Session of the number they reached, so that a "reconnect" decision sees
// its counterpart; the different Participants' numbers have different
// Phone Number SIDs.
func TestPreviousSessionWhateverTheCause(t *testing.T) {
	e := newEmu(t, notice, nil, nil)
	_, err := e.create(emulator.NewSession{UniqueName: "old", Participants: []emulator.NewParticipant{
		{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: driver, ProxyIdentifier: pn2}}})
	require.NoError(t, err)
	require.NoError(t, e.CloseSession(svc, "old"))
	_, err = e.create(emulator.NewSession{UniqueName: "now", Participants: []emulator.NewParticipant{
		{Identifier: rider, ProxyIdentifier: pn2}, {Identifier: stranger}}})
	require.NoError(t, err)
	r := e.in(sms(rider, pn1))
	assert.Equal(t, oosc.CauseOtherProxyNumber, r.Cause)
	f := e.Webhooks()[0].Webhook.Parameters
	assert.Equal(t, "old", f.Get("sessionUniqueName"))
	assert.Equal(t, driver, f.Get("outboundParticipantIdentifier"))
	assert.NotEqual(t, f.Get("inboundParticipantProxyIdentifierSid"), f.Get("outboundParticipantProxyIdentifierSid"))
}

// Package doc, "An inbound contact goes", the answer: judged strictly,
// first rule first; redirects are not followed.
func TestJudgesTheAnswer(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // past the client's 200 ms; Close drops the connection
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	})
	elsewhere := make(chan struct{}, 1)
	other := serveTest(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere <- struct{}{}
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<Response/>"))
	}))
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other, http.StatusTemporaryRedirect)
	})
	tests := []struct {
		name    string
		h       http.Handler
		in      oosc.Inbound
		outcome emulator.Outcome
		codes   []oosc.Code
	}{
		{"status 500, whatever the body", answerWith("application/xml", "<Response/>", 500), sms(stranger, pn1), emulator.OutcomeFailed, codes(80913)},
		{"a redirect is not followed", redirect, sms(stranger, pn1), emulator.OutcomeFailed, codes(80913)},
		{"valid TwiML", answerWith("application/xml; charset=utf-8", "<Response><Message>hi</Message></Response>", 200), sms(stranger, pn1), emulator.OutcomeTwiML, codes()},
		{"TwiML of the other channel", answerWith("application/xml", "<Response><Message>hi</Message></Response>", 200), call(stranger, pn1), emulator.OutcomeFailed, codes(13803, 80905)},
		{"JSON with a wrong type", answerWith("application/json", `{"participantIdentifier":"+17075550102","ttl":"60"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80905)},
		{"JSON with a negative ttl", answerWith("application/json", `{"participantIdentifier":"+17075550102","ttl":-1}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80905)},
		{"JSON with an unknown mode", answerWith("application/json", `{"participantIdentifier":"+17075550102","mode":"sms"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80905)},
		{"the sender as participant", answerWith("application/json", `{"participantIdentifier":"+16505550103"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80103, 80905)},
		{"an identifier that is not E.164", answerWith("application/json", `{"participantIdentifier":"7075550102"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80404, 80905)},
		{"a proxy number outside the pool", answerWith("application/json", `{"participantIdentifier":"+17075550102","participantProxyIdentifier":"+14155550999"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80605, 80905)},
		{"a past dateExpiry", answerWith("application/json", `{"participantIdentifier":"+17075550102","dateExpiry":"2020-01-01T00:00:00Z"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80701, 80905)},
		{"a uniqueName over 191 characters", answerWith("application/json", `{"uniqueName":"`+strings.Repeat("x", 192)+`","participantIdentifier":"+17075550102"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80701, 80905)},
		{"a channel address in voice-and-message", answerWith("application/json", `{"mode":"voice-and-message","participantIdentifier":"whatsapp:+17075550102"}`, 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80616, 80905)},
		{"application/json with charset", answerWith("application/json; charset=utf-8", `{"participantIdentifier":"+17075550102"}`, 200), sms(stranger, pn1), emulator.OutcomeCreated, codes()},
		{"text/html", answerWith("text/html", "<Response/>", 200), sms(stranger, pn1), emulator.OutcomeFailed, codes(80905)},
		{"no answer in time", slow, sms(stranger, pn1), emulator.OutcomeFailed, codes(80913)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmuWith(t, &emulator.Options{Start: t0, Client: &http.Client{Timeout: 200 * time.Millisecond,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil, answering(tt.h), nil)
			r := e.in(tt.in)
			assert.Equal(t, tt.outcome, r.Outcome, r.Detail)
			assert.Equal(t, tt.codes, r.Codes, r.Detail)
			assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause)
			require.NotNil(t, r.Callback)
			if v := r.Callback.Verdict; !v.Valid() {
				assert.Equal(t, v.LoggedCodes(), r.Codes, "the emulator logs what the judge says Proxy logs")
			}
			assert.Equal(t, r.Codes, eventCodes(e.Events()), "one event per code")
			if tt.outcome == emulator.OutcomeFailed && len(e.sessions()) > 0 {
				t.Errorf("a failed answer created a Session")
			}
		})
	}
	select {
	case <-elsewhere:
		t.Fatal("the redirect was followed: the signed callback went to another host")
	default:
	}
	e := newEmu(t, nil, answering(redirect), nil) // the default client too
	assert.Equal(t, codes(80913), e.in(sms(stranger, pn1)).Codes)
	assert.Empty(t, elsewhere)
}

// serveTest serves h for the test and returns its URL.
func serveTest(t *testing.T, h http.Handler) string {
	p := emulator.New(nil)
	t.Cleanup(p.Close)
	return p.Serve(h)
}

// Package doc, "An inbound contact goes", the answer: an auto-create Session is created with both
// Participants and used by the contacts that follow; a call into the
// message-only Session it just created fails with 80911 and the Session
// stays.
func TestAutoCreate(t *testing.T) {
	e := newEmu(t, reconnect(), nil, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	require.NoError(t, e.CloseSession(svc, "ride-1"))

	r := e.in(sms(rider, pn1))
	require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
	assert.Equal(t, oosc.CauseSessionClosed, r.Cause)
	assert.Equal(t, driver, r.DeliverTo)
	assert.Equal(t, pn1, r.ShownFrom, "Reconnect keeps the driver's previous number")
	require.NotNil(t, r.Callback)
	assert.True(t, r.Callback.Verdict.Valid())
	s := e.session(r.Session)
	assert.Equal(t, oosc.SessionInProgress, s.Status)
	assert.Equal(t, time.Hour, s.TTL)

	r2 := e.in(sms(driver, pn1))
	assert.Equal(t, emulator.OutcomeRouted, r2.Outcome, "the driver answers through the new Session")
	assert.Equal(t, r.Session, r2.Session)
	assert.Len(t, e.Webhooks(), 1)

	q := newEmu(t, nil, answering(answerWith("application/json", `{"uniqueName":"texts","mode":"message-only","participantIdentifier":"+17075550102"}`, 200)), nil)
	r = q.in(call(stranger, pn1))
	assert.Equal(t, emulator.OutcomeFailed, r.Outcome)
	assert.Equal(t, codes(80911), r.Codes)
	assert.Equal(t, "texts", r.Session)
	_, err = q.Session(svc, "texts")
	assert.NoError(t, err, "the Session is left in place")
	r = q.in(call("+16505550104", pn1))
	assert.Equal(t, codes(80603, 80905), r.Codes, "the same uniqueName again")
}

// Concurrent contacts are safe (run with -race) and each gets its result.
func TestConcurrentContacts(t *testing.T) {
	e := newEmu(t, notice, nil, nil)
	const n = 40
	results := make(chan emulator.Result, n)
	for i := range n {
		go func(i int) {
			r, err := e.Inbound(context.Background(), svc, sms(fmt.Sprintf("+1650555%04d", i), pn1))
			assert.NoError(t, err)
			results <- r
		}(i)
	}
	for range n {
		r := <-results
		assert.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
	}
	assert.Len(t, e.Webhooks(), n)
}

// Message Interactions: a message to a Participant from its proxy number,
// recorded and delivered, moving the Session's expiry.
func TestSendMessage(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	s, err := e.create(ride("ride-1", "", time.Hour))
	require.NoError(t, err)
	e.advance(30 * time.Minute)
	it, err := e.SendMessage(context.Background(), svc, "ride-1", s.Participants[1].Sid, "Your driver is here", nil)
	require.NoError(t, err)
	assert.Equal(t, emulator.InteractionMessage, it.Type)
	assert.Equal(t, s.Participants[1].Sid, it.OutboundParticipantSid)
	assert.Equal(t, []emulator.Delivery{{Time: t0.Add(30 * time.Minute), To: driver, From: pn1, Channel: oosc.SMS, Body: "Your driver is here", SessionSid: s.Sid,
		ServiceSid: ks1, Source: emulator.SourceMessage}}, e.Deliveries())
	e.advance(80 * time.Minute)
	assert.Equal(t, oosc.SessionInProgress, e.session("ride-1").Status, "the message pushed the expiry to 90 min")
	require.NoError(t, e.CloseSession(svc, "ride-1"))
	_, err = e.SendMessage(context.Background(), svc, "ride-1", s.Participants[1].Sid, "x", nil)
	assert.Equal(t, oosc.CodeSessionClosed, code(t, err))
}

// The emulator's events carry the explanation package debugger gives the
// same event from Twilio's Debugger, judged from the recorded exchange.
func TestEventsAreExplained(t *testing.T) {
	e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
		c.OutOfSessionCallbackURL = p.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/xml") // Proxy takes TwiML as application/xml only
			w.Write([]byte("<Response><Message>Sorry</Message></Response>"))
		}))
	}, nil)
	r, err := e.Inbound(context.Background(), svc, sms(stranger, pn1))
	require.NoError(t, err)
	require.Equal(t, []oosc.Code{oosc.CodeUnknownScenario}, r.Codes)
	events := e.Events()
	require.Len(t, events, 1)
	assert.Contains(t, events[0].Explanation.Summary, "which Proxy refuses")
	assert.Contains(t, events[0].Explanation.Summary, "the sender is in no open Session")
	assert.Contains(t, events[0].Explanation.Fix, "application/xml")
}

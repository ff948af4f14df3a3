package callbacktest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/twiml"
)

func notice(context.Context, *callback.Request) (callback.Answer, error) {
	r := twiml.NewMessagingResponse()
	r.Message("This conversation has ended.", nil)
	return callback.TwiML(r), nil
}

// The five causes of 80905 on Twilio's error page, each shown by the emulator.

// 1. The sender is not a Participant of an open Session for that number,
// and the callback does not answer validly (here: none is configured).
func TestCause80905SenderNotAParticipant(t *testing.T) {
	p := newProxy(t, nil)
	r := p.Contact(context.Background(), sms(stranger, pn1))
	assert.Equal(t, callbacktest.Failed, r.Outcome)
	assert.Equal(t, []int{80905}, r.Codes)
	assert.Equal(t, callbacktest.NoPreviousSession, r.Cause)
}

// 2. The Session closed, expired, or was deleted.
func TestCause80905SessionClosedExpiredOrDeleted(t *testing.T) {
	ctx := context.Background()
	p := newProxy(t, nil)
	_, err := p.CreateSession(ride("closed", autocreate.VoiceAndMessage, 0))
	require.NoError(t, err)
	require.NoError(t, p.CloseSession("closed"))
	r := p.Contact(ctx, sms(rider, pn1))
	assert.Equal(t, []int{80905}, r.Codes)
	assert.Equal(t, callbacktest.SessionClosed, r.Cause)

	_, err = p.CreateSession(ride("expiring", autocreate.VoiceAndMessage, time.Minute))
	require.NoError(t, err)
	require.NoError(t, p.Advance(t0.Add(time.Minute)))
	r = p.Contact(ctx, call(rider, pn1))
	assert.Equal(t, []int{80905}, r.Codes)
	assert.Equal(t, callbacktest.SessionExpired, r.Cause)

	require.NoError(t, p.DeleteSession("closed"))
	require.NoError(t, p.DeleteSession("expiring"))
	r = p.Contact(ctx, sms(rider, pn1))
	assert.Equal(t, []int{80905}, r.Codes)
	assert.Equal(t, callbacktest.NoPreviousSession, r.Cause, "after deletion the sender counts as never having had it")
}

// 3. No out-of-session callback is configured.
func TestCause80905NoCallbackConfigured(t *testing.T) {
	p := newProxy(t, nil)
	r := p.Contact(context.Background(), call(rider, pn1))
	assert.Equal(t, []int{80905}, r.Codes)
	assert.Contains(t, r.Detail, "no out-of-session callback")
	assert.Nil(t, r.Answer)
}

// 4. The callback's answer was neither valid TwiML with application/xml nor
// valid auto-create JSON with application/json.
func TestCause80905InvalidAnswer(t *testing.T) {
	for _, h := range []http.Handler{
		answerWith("text/xml", `<Response><Message>hi</Message></Response>`, 200),
		answerWith("application/xml", `<Response><Say>hi</Say></Response>`, 200), // voice TwiML for a message
		answerWith("application/json", `{"participant":"+17075550102"}`, 200),
		answerWith("", "", 200),
	} {
		p := newProxyWith(t, callbacktest.Service{Callback: h})
		r := p.Contact(context.Background(), sms(rider, pn1))
		assert.Equal(t, callbacktest.Failed, r.Outcome)
		assert.Equal(t, []int{80905}, r.Codes, r.Detail)
		assert.NotEmpty(t, r.Detail)
	}
}

// 5. The identifier and proxy identifier do not pair: the sender is in an
// active Session, but texted another Proxy number.
func TestCause80905ProxyIdentifierMismatch(t *testing.T) {
	p := newProxy(t, nil)
	_, err := p.CreateSession(ride("ride-1", autocreate.VoiceAndMessage, 0))
	require.NoError(t, err)
	r := p.Contact(context.Background(), sms(rider, pn2))
	assert.Equal(t, []int{80905}, r.Codes)
	assert.Equal(t, callbacktest.OtherProxyNumber, r.Cause)
}

// Section 3, step 5: the callback request: the standard parameters, the
// previous Session and both Participants for a closed or expired one,
// Twilio-shaped deterministic SIDs, signed as the handler verifies.
func TestEmulatorCallbackRequest(t *testing.T) {
	var got []*callback.Request
	decide := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		got = append(got, req)
		return notice(context.TODO(), req)
	}
	run := func() []callbacktest.CallbackRequest {
		p := newProxy(t, decide)
		_, err := p.CreateSession(ride("ride-1", autocreate.VoiceAndMessage, time.Hour))
		require.NoError(t, err)
		require.NoError(t, p.Advance(t0.Add(2*time.Hour)))
		r := p.Contact(context.Background(), callbacktest.Inbound{Channel: callback.Messaging, From: rider, To: pn1, Body: "bag", Media: []string{"https://example.com/a.jpg"}})
		require.Equal(t, callbacktest.Handled, r.Outcome, r.Detail)
		r = p.Contact(context.Background(), call(stranger, pn2))
		require.Equal(t, callbacktest.Handled, r.Outcome, "the handler answers a call with its voice fallback, never with the messaging notice")
		return p.Callbacks()
	}
	log := run()
	require.Len(t, log, 2)
	f := log[0].Form
	for k, v := range map[string]string{
		"MessageSid": "SM00000000000000000000000000000004", "SmsStatus": "received", "Body": "bag", "NumMedia": "1",
		"MediaUrl0": "https://example.com/a.jpg", "From": rider, "To": pn1,
		"sessionStatus": "closed", "sessionClosedReason": "expired", "sessionUniqueName": "ride-1",
		"sessionDateEnded": "2026-01-05T11:00:00Z", "inboundParticipantIdentifier": rider,
		"inboundParticipantProxyIdentifier": pn1, "outboundParticipantIdentifier": driver,
		"outboundParticipantProxyIdentifier": pn1, "AccountSid": callbacktest.AccountSid,
	} {
		assert.Equal(t, v, f.Get(k), k)
	}
	assert.Regexp(t, `^KC[0-9a-f]{32}$`, f.Get("sessionSid"))
	voice := log[1].Form
	for k, v := range map[string]string{"CallSid": "CA00000000000000000000000000000005", "CallStatus": "ringing", "Direction": "inbound", "Caller": stranger, "Called": pn2} {
		assert.Equal(t, v, voice.Get(k), k)
	}
	assert.Empty(t, voice.Get("sessionSid"), "no previous Session, no session fields")
	require.Len(t, got, 2, "the handler verified both signatures")
	assert.Equal(t, "ride-1", got[0].PreviousSession.UniqueName)
	assert.Equal(t, callback.SessionClosed, got[0].OutOfSessionReason().Kind)
	assert.Equal(t, log, run(), "the same scenario gives byte-identical requests")
}

// Section 3, step 6: the answer judged strictly, first rule first.
func TestEmulatorJudgesTheAnswer(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // past the client's 200 ms; Close drops the connection
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	})
	tests := []struct {
		name    string
		h       http.Handler
		in      callbacktest.Inbound
		outcome callbacktest.Outcome
		codes   []int
	}{
		{"status 500, whatever the body", answerWith("application/xml", "<Response/>", 500), sms(stranger, pn1), callbacktest.Failed, []int{80913}},
		{"a redirect", answerWith("application/xml", "<Response/>", 302), sms(stranger, pn1), callbacktest.Failed, []int{80913}},
		{"valid TwiML", answerWith("application/xml; charset=utf-8", "<Response><Message>hi</Message></Response>", 200), sms(stranger, pn1), callbacktest.Handled, []int{}},
		{"TwiML of the other channel", answerWith("application/xml", "<Response><Message>hi</Message></Response>", 200), call(stranger, pn1), callbacktest.Failed, []int{80905}},
		{"JSON with a wrong type", answerWith("application/json", `{"participantIdentifier":"+17075550102","ttl":"60"}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80905}},
		{"JSON with a negative ttl", answerWith("application/json", `{"participantIdentifier":"+17075550102","ttl":-1}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80905}},
		{"JSON with an unknown mode", answerWith("application/json", `{"participantIdentifier":"+17075550102","mode":"sms"}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80905}},
		{"the sender as participant", answerWith("application/json", `{"participantIdentifier":"+16505550103"}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80103, 80905}},
		{"an identifier that is not E.164", answerWith("application/json", `{"participantIdentifier":"7075550102"}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80404, 80905}},
		{"a proxy number outside the pool", answerWith("application/json", `{"participantIdentifier":"+17075550102","participantProxyIdentifier":"+14155550999"}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80605, 80905}},
		{"a past dateExpiry", answerWith("application/json", `{"participantIdentifier":"+17075550102","dateExpiry":"2020-01-01T00:00:00Z"}`, 200), sms(stranger, pn1), callbacktest.Failed, []int{80701, 80905}},
		{"application/json with charset", answerWith("application/json; charset=utf-8", `{"participantIdentifier":"+17075550102"}`, 200), sms(stranger, pn1), callbacktest.Created, []int{}},
		{"text/html", answerWith("text/html", "<Response/>", 200), sms(stranger, pn1), callbacktest.Failed, []int{80905}},
		{"no answer in time", slow, sms(stranger, pn1), callbacktest.Failed, []int{80913}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProxyWith(t, callbacktest.Service{Callback: tt.h, Client: &http.Client{Timeout: 200 * time.Millisecond,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}})
			r := p.Contact(context.Background(), tt.in)
			assert.Equal(t, tt.outcome, r.Outcome, r.Detail)
			assert.Equal(t, tt.codes, r.Codes, r.Detail)
			assert.Equal(t, callbacktest.NoPreviousSession, r.Cause)
			if tt.outcome == callbacktest.Failed && len(p.Sessions()) > 0 {
				t.Errorf("a failed answer created a Session")
			}
		})
	}
}

// Section 3, step 6: an auto-create Session is created with both
// Participants and used by the contacts that follow; a call into the
// message-only Session it just created fails with 80911 and the Session stays.
func TestEmulatorAutoCreate(t *testing.T) {
	ctx := context.Background()
	p := newProxy(t, reconnect())
	_, err := p.CreateSession(ride("ride-1", autocreate.VoiceAndMessage, 0))
	require.NoError(t, err)
	require.NoError(t, p.CloseSession("ride-1"))

	r := p.Contact(ctx, sms(rider, pn1))
	require.Equal(t, callbacktest.Created, r.Outcome, r.Detail)
	assert.Equal(t, callbacktest.SessionClosed, r.Cause)
	assert.Equal(t, driver, r.DeliverTo)
	assert.Equal(t, pn1, r.ShownFrom, "Reconnect keeps the driver's previous number")
	s, ok := p.Session(r.Session)
	require.True(t, ok)
	assert.Equal(t, "in-progress", s.Status)
	assert.Equal(t, time.Hour, s.TTL)

	r2 := p.Contact(ctx, sms(driver, pn1))
	assert.Equal(t, callbacktest.Routed, r2.Outcome, "the driver answers through the new Session")
	assert.Equal(t, r.Session, r2.Session)
	assert.Len(t, p.Callbacks(), 1)

	q := newProxyWith(t, callbacktest.Service{Callback: answerWith("application/json", `{"uniqueName":"texts","mode":"message-only","participantIdentifier":"+17075550102"}`, 200)})
	r = q.Contact(ctx, call(stranger, pn1))
	assert.Equal(t, callbacktest.Failed, r.Outcome)
	assert.Equal(t, []int{80911}, r.Codes)
	assert.Equal(t, "texts", r.Session)
	_, ok = q.Session("texts")
	assert.True(t, ok, "the Session is left in place")
	r = q.Contact(ctx, call("+16505550104", pn1))
	assert.Equal(t, []int{80603, 80905}, r.Codes, "the same uniqueName again")
}

// Concurrent contacts are safe (run with -race) and each gets its result.
func TestEmulatorConcurrentContacts(t *testing.T) {
	p := newProxy(t, notice)
	const n = 40
	results := make(chan callbacktest.Result, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			from := fmt.Sprintf("+1650555%04d", i)
			results <- p.Contact(context.Background(), sms(from, pn1))
		}(i)
	}
	for i := 0; i < n; i++ {
		r := <-results
		assert.Equal(t, callbacktest.Handled, r.Outcome, r.Detail)
	}
	assert.Len(t, p.Callbacks(), n)
}

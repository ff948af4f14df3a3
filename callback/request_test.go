package callback_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
)

func TestParseRequestVoiceAfterClosedSession(t *testing.T) {
	h := http.Header{}
	h.Set("I-Twilio-Idempotency-Token", "8a1b2c3d-idem")
	h.Set("X-Home-Region", "us1")
	r := callback.ParseRequest(voiceForm(), h)
	assert.Equal(t, oosc.Voice, r.Channel)
	assert.Equal(t, rider, r.From)
	assert.Equal(t, proxyNum, r.To)
	assert.Equal(t, "CA0123456789abcdef0123456789abcdef", r.CallSid)
	assert.Equal(t, "AC0123456789abcdef0123456789abcdef", r.AccountSid)
	require.NotNil(t, r.PreviousSession)
	assert.Equal(t, "KC0123456789abcdef0123456789abcdef", r.PreviousSession.Sid)
	assert.Equal(t, "ride-8812", r.PreviousSession.UniqueName)
	assert.Equal(t, oosc.SessionClosed, r.PreviousSession.Status)
	assert.Equal(t, oosc.ClosedByAPI, r.PreviousSession.ClosedReason)
	assert.Equal(t, autocreate.VoiceAndMessage, r.PreviousSession.Mode)
	assert.Equal(t, time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC), r.PreviousSession.DateEnded)
	require.NotNil(t, r.InboundParticipant)
	require.NotNil(t, r.OutboundParticipant)
	assert.Equal(t, rider, r.InboundParticipant.Identifier)
	assert.Equal(t, driver, r.OutboundParticipant.Identifier)
	assert.Equal(t, "+14155550198", r.OutboundParticipant.ProxyIdentifier)
	assert.Equal(t, "driver-42", r.OutboundParticipant.FriendlyName)
	assert.Equal(t, "8a1b2c3d-idem", r.IdempotencyToken)
	assert.Equal(t, "us1", r.HomeRegion)
	assert.Equal(t, "ringing", r.Get("CallStatus"), "unmodelled fields stay available")
	assert.Equal(t, oosc.CauseSessionClosed, r.Cause())
}

func TestParseRequestMessage(t *testing.T) {
	f := smsForm()
	f.Set("NumMedia", "2")
	f.Set("MediaUrl0", "https://api.twilio.com/media/0")
	f.Set("MediaContentType0", "image/jpeg")
	f.Set("MediaUrl1", "https://api.twilio.com/media/1")
	f.Set("MediaContentType1", "image/png")
	r := callback.ParseRequest(f, nil)
	assert.Equal(t, oosc.SMS, r.Channel)
	assert.Equal(t, "Hi, I left my bag in the car", r.Body)
	assert.Equal(t, 2, r.NumMedia)
	assert.Equal(t, []callback.Attachment{{"https://api.twilio.com/media/0", "image/jpeg"}, {"https://api.twilio.com/media/1", "image/png"}}, r.Attachments)
	assert.Nil(t, r.PreviousSession)
	assert.Nil(t, r.InboundParticipant)
	assert.Nil(t, r.OutboundParticipant)
	assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause())
}

func TestParseRequestTolerant(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want func(*testing.T, *callback.Request)
	}{
		{"SmsSid only", url.Values{"SmsSid": {"SM1"}}, func(t *testing.T, r *callback.Request) {
			assert.Equal(t, oosc.SMS, r.Channel)
			assert.Equal(t, "SM1", r.MessageSid)
		}},
		{"nothing at all", url.Values{}, func(t *testing.T, r *callback.Request) {
			assert.Equal(t, oosc.Channel(""), r.Channel)
			assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause())
		}},
		{"empty and malformed dates", url.Values{"CallSid": {"CA1"}, "sessionSid": {"KC1"}, "sessionDateEnded": {""}, "sessionDateCreated": {"yesterday"}}, func(t *testing.T, r *callback.Request) {
			require.NotNil(t, r.PreviousSession)
			assert.True(t, r.PreviousSession.DateCreated.IsZero())
			assert.Equal(t, "yesterday", r.Get("sessionDateCreated"))
			assert.Equal(t, oosc.CauseUnknown, r.Cause())
		}},
		{"malformed NumMedia", url.Values{"MessageSid": {"SM1"}, "NumMedia": {"lots"}, "MediaUrl0": {"x"}}, func(t *testing.T, r *callback.Request) {
			assert.Zero(t, r.NumMedia)
			assert.Empty(t, r.Attachments)
		}},
		{"open session, other proxy number", url.Values{"CallSid": {"CA1"}, "To": {"+14155550111"}, "sessionSid": {"KC1"}, "sessionStatus": {"open"},
			"inboundParticipantIdentifier": {rider}, "inboundParticipantProxyIdentifier": {proxyNum}}, func(t *testing.T, r *callback.Request) {
			assert.Equal(t, oosc.CauseOtherProxyNumber, r.Cause())
		}},
		{"failed session", url.Values{"CallSid": {"CA1"}, "sessionSid": {"KC1"}, "sessionStatus": {"failed"}}, func(t *testing.T, r *callback.Request) {
			assert.Equal(t, oosc.CauseSessionFailed, r.Cause())
		}},
		{"expired session, as the emulator writes it", url.Values{"CallSid": {"CA1"}, "sessionSid": {"KC1"}, "sessionStatus": {"closed"}, "sessionClosedReason": {"expired"}}, func(t *testing.T, r *callback.Request) {
			assert.Equal(t, oosc.CauseSessionExpired, r.Cause())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.want(t, callback.ParseRequest(tt.form, nil)) })
	}
}

// FuzzParseRequest: any body parses to a request without panicking, and
// the cause is always one of the documented ones.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(voiceForm().Encode()))
	f.Add([]byte(smsForm().Encode()))
	f.Add([]byte("NumMedia=99999999999&MediaUrl0=x&sessionStatus=open&sessionSid=KC1"))
	f.Add([]byte("CallSid=CA1&sessionSid=&sessionDateEnded=2026-13-45T99:00:00Z&inboundParticipantProxyIdentifier=%2B1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return
		}
		r := callback.ParseRequest(form, http.Header{"X-Home-Region": {string(body)}})
		switch r.Cause() {
		case oosc.CauseNoPreviousSession, oosc.CauseSessionClosed, oosc.CauseSessionExpired, oosc.CauseSessionFailed, oosc.CauseOtherProxyNumber, oosc.CauseUnknown:
		default:
			t.Fatalf("unknown reason kind")
		}
		if r.Channel != "" && !r.Channel.Valid() {
			t.Fatalf("channel %q", r.Channel)
		}
		if len(r.Attachments) > r.NumMedia {
			t.Fatalf("%d attachments for NumMedia %d", len(r.Attachments), r.NumMedia)
		}
	})
}

package proxyform

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/webhook"
)

func TestForm(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.FixedZone("", 3600))
	prev := &Session{Sid: SID("KC", 1), UniqueName: "ride-1", AccountSid: AccountSid, ServiceSid: ServiceSid,
		Status: "closed", ClosedReason: "api", Mode: "voice-and-message", Created: at, Updated: at, Ended: at,
		Inbound:  &Participant{Sid: SID("KP", 2), Identifier: "+19515550101", ProxyIdentifier: "+14155550100", Created: at},
		Outbound: &Participant{Sid: SID("KP", 3), Identifier: "+17075550102", FriendlyName: "Alice"}}
	tests := []struct {
		name string
		c    OutOfSession
		want url.Values
	}{
		{"call", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.Voice, From: "+19515550101", To: "+14155550100"},
			AccountSid: AccountSid, InteractionSid: SID("CA", 7)},
			url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+19515550101"}, "To": {"+14155550100"},
				"CallSid": {SID("CA", 7)}, "CallStatus": {"ringing"}, "Direction": {"inbound"},
				"Caller": {"+19515550101"}, "Called": {"+14155550100"}}},
		{"message with media", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.SMS, From: "+19515550101", To: "+14155550100",
			Body: "hi", Media: []string{"https://example.com/a.jpg"}}, AccountSid: AccountSid, InteractionSid: SID("SM", 8)},
			url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+19515550101"}, "To": {"+14155550100"},
				"MessageSid": {SID("SM", 8)}, "SmsSid": {SID("SM", 8)}, "SmsMessageSid": {SID("SM", 8)}, "SmsStatus": {"received"},
				"Body": {"hi"}, "NumMedia": {"1"}, "NumSegments": {"1"},
				"MediaUrl0": {"https://example.com/a.jpg"}, "MediaContentType0": {"image/jpeg"}}},
		{"call after a Session", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.Voice, From: "+19515550101", To: "+14155550100"},
			AccountSid: AccountSid, InteractionSid: SID("CA", 9), Previous: prev},
			url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+19515550101"}, "To": {"+14155550100"},
				"CallSid": {SID("CA", 9)}, "CallStatus": {"ringing"}, "Direction": {"inbound"},
				"Caller": {"+19515550101"}, "Called": {"+14155550100"},
				"sessionSid": {SID("KC", 1)}, "sessionUniqueName": {"ride-1"}, "sessionAccountSid": {AccountSid},
				"sessionServiceSid": {ServiceSid}, "sessionStatus": {"closed"}, "sessionClosedReason": {"api"},
				"sessionMode": {"voice-and-message"}, "sessionDateCreated": {"2026-01-05T09:00:00Z"},
				"sessionDateUpdated": {"2026-01-05T09:00:00Z"}, "sessionDateEnded": {"2026-01-05T09:00:00Z"},
				"inboundParticipantSid": {SID("KP", 2)}, "inboundParticipantIdentifier": {"+19515550101"},
				"inboundParticipantProxyIdentifier": {"+14155550100"}, "inboundParticipantAccountSid": {AccountSid},
				"inboundParticipantServiceSid": {ServiceSid}, "inboundParticipantSessionSid": {SID("KC", 1)},
				"inboundParticipantDateCreated": {"2026-01-05T09:00:00Z"},
				"outboundParticipantSid":        {SID("KP", 3)}, "outboundParticipantIdentifier": {"+17075550102"},
				"outboundParticipantFriendlyName": {"Alice"}, "outboundParticipantAccountSid": {AccountSid},
				"outboundParticipantServiceSid": {ServiceSid}, "outboundParticipantSessionSid": {SID("KC", 1)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.c.Form())
		})
	}
	assert.Panics(t, func() { OutOfSession{Inbound: oosc.Inbound{Channel: "fax"}}.Form() })
}

func TestNewRequestIsSigned(t *testing.T) {
	form := url.Values{"From": {"+19515550101"}, "Body": {"a b&c"}}
	r, err := NewRequest(context.Background(), "https://example.com/oos?x=1", "tok", form)
	require.NoError(t, err)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.NoError(t, webhook.Verify([]string{"tok"}, "https://example.com/oos?x=1", form, r.Header.Get(webhook.Header)))
	for _, bad := range []string{"", "example.com/oos", "ftp://example.com/", "http://", "%zz"} {
		_, err := NewRequest(context.Background(), bad, "tok", form)
		assert.Error(t, err, bad)
	}
}

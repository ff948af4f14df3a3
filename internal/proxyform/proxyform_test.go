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

// with returns base with the pairs of each of extra added.
func with(base url.Values, extra ...url.Values) url.Values {
	for _, e := range extra {
		for k, v := range e {
			base[k] = v
		}
	}
	return base
}

// geo is a number's geography under prefix.
func geo(prefix, state, country string) url.Values {
	return url.Values{prefix + "City": {""}, prefix + "State": {state}, prefix + "Zip": {""}, prefix + "Country": {country}}
}

// The geography of the test's numbers: +1 951 and +1 415 are California.
var (
	callGeo = []url.Values{geo("From", "CA", "US"), geo("To", "CA", "US"), geo("Caller", "CA", "US"), geo("Called", "CA", "US"),
		{"AddOns": {`{"status":"successful","message":null,"code":null,"results":{}}`}}}
	smsGeo = []url.Values{geo("From", "CA", "US"), geo("To", "CA", "US")}
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
			with(url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+19515550101"}, "To": {"+14155550100"},
				"CallSid": {SID("CA", 7)}, "CallStatus": {"ringing"}, "Direction": {"inbound"},
				"Caller": {"+19515550101"}, "Called": {"+14155550100"}}, callGeo...)},
		{"message with media", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.SMS, From: "+19515550101", To: "+14155550100",
			Body: "hi", Media: []string{"https://example.com/a.jpg"}}, AccountSid: AccountSid, InteractionSid: SID("SM", 8)},
			with(url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+19515550101"}, "To": {"+14155550100"},
				"MessageSid": {SID("SM", 8)}, "SmsSid": {SID("SM", 8)}, "SmsMessageSid": {SID("SM", 8)}, "SmsStatus": {"received"},
				"Body": {"hi"}, "NumMedia": {"1"}, "NumSegments": {"1"},
				"MediaUrl0": {"https://example.com/a.jpg"}, "MediaContentType0": {"image/jpeg"}}, smsGeo...)},
		{"a message from abroad and an anonymous call", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.SMS, From: "+447700900123", To: "+14165550100",
			Body: "hi"}, AccountSid: AccountSid, InteractionSid: SID("SM", 8)},
			with(url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+447700900123"}, "To": {"+14165550100"},
				"MessageSid": {SID("SM", 8)}, "SmsSid": {SID("SM", 8)}, "SmsMessageSid": {SID("SM", 8)}, "SmsStatus": {"received"},
				"Body": {"hi"}, "NumMedia": {"0"}, "NumSegments": {"1"}}, geo("From", "", "JE"), geo("To", "ON", "CA"))},
		{"an anonymous call", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.Voice, From: "anonymous", To: "+18765550100"},
			AccountSid: AccountSid, InteractionSid: SID("CA", 7)},
			with(url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"anonymous"}, "To": {"+18765550100"},
				"CallSid": {SID("CA", 7)}, "CallStatus": {"ringing"}, "Direction": {"inbound"},
				"Caller": {"anonymous"}, "Called": {"+18765550100"}, "AddOns": {`{"status":"successful","message":null,"code":null,"results":{}}`}},
				geo("From", "", ""), geo("Caller", "", ""), geo("To", "", "JM"), geo("Called", "", "JM"))},
		{"call after a Session", OutOfSession{Inbound: oosc.Inbound{Channel: oosc.Voice, From: "+19515550101", To: "+14155550100"},
			AccountSid: AccountSid, InteractionSid: SID("CA", 9), Previous: prev},
			with(url.Values{"AccountSid": {AccountSid}, "ApiVersion": {"2010-04-01"}, "From": {"+19515550101"}, "To": {"+14155550100"},
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
				"outboundParticipantServiceSid": {ServiceSid}, "outboundParticipantSessionSid": {SID("KC", 1)}}, callGeo...)},
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

// The interaction status callback carries its 18 parameters and the
// intercept callback its 13, as Proxy's Webhooks page lists them; a leg
// an Interaction has not is sent empty.
func TestInteractionForms(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	call := Interaction{Sid: SID("KI", 1), SessionSid: SID("KC", 2), ServiceSid: ServiceSid, AccountSid: AccountSid, Type: "voice",
		Created: at, Updated: at.Add(2 * time.Second),
		Inbound:  Leg{ParticipantSid: SID("KP", 3), ResourceSid: SID("CA", 4), ResourceStatus: "completed"},
		Outbound: Leg{ParticipantSid: SID("KP", 5), ResourceSid: SID("CA", 6), ResourceStatus: "initiated"}}
	calls := "https://api.twilio.com/2010-04-01/Accounts/" + AccountSid + "/Calls/"
	intercept := url.Values{"interactionSid": {SID("KI", 1)}, "interactionSessionSid": {SID("KC", 2)}, "interactionServiceSid": {ServiceSid},
		"interactionAccountSid": {AccountSid}, "interactionType": {"Voice"}, "interactionData": {""},
		"interactionDateCreated": {"2026-01-05T10:00:00Z"}, "interactionDateUpdated": {"2026-01-05T10:00:02Z"},
		"inboundParticipantSid": {SID("KP", 3)}, "inboundResourceSid": {SID("CA", 4)}, "inboundResourceStatus": {"completed"},
		"inboundResourceType": {"call"}, "inboundResourceUrl": {calls + SID("CA", 4) + ".json"}}
	assert.Equal(t, intercept, call.InterceptForm())
	assert.Len(t, call.InterceptForm(), 13)
	status := with(url.Values{}, intercept, url.Values{"outboundParticipantSid": {SID("KP", 5)}, "outboundResourceSid": {SID("CA", 6)},
		"outboundResourceStatus": {"initiated"}, "outboundResourceType": {"call"}, "outboundResourceUrl": {calls + SID("CA", 6) + ".json"}})
	assert.Equal(t, status, call.StatusForm())
	assert.Len(t, call.StatusForm(), 18)

	api := Interaction{Sid: SID("KI", 7), Type: "message", Data: `{"body":"hi"}`, AccountSid: AccountSid,
		Outbound: Leg{ParticipantSid: SID("KP", 5), ResourceSid: SID("SM", 8), ResourceStatus: "delivered"}}
	f := api.StatusForm()
	assert.Len(t, f, 18)
	assert.Equal(t, "Message", f.Get("interactionType"))
	assert.Equal(t, "message", f.Get("outboundResourceType"))
	assert.Equal(t, "https://api.twilio.com/2010-04-01/Accounts/"+AccountSid+"/Messages/"+SID("SM", 8)+".json", f.Get("outboundResourceUrl"))
	for _, k := range []string{"inboundParticipantSid", "inboundResourceSid", "inboundResourceStatus", "inboundResourceType", "inboundResourceUrl"} {
		v, ok := f[k]
		assert.True(t, ok, "%s is sent", k)
		assert.Equal(t, []string{""}, v, "%s is empty: a Message Interaction has no inbound leg", k)
	}
}

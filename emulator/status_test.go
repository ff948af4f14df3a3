package emulator_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

// A Session starts open, or in progress when create says so; any other
// status on create is 80608.
func TestSessionStatusOnCreate(t *testing.T) {
	a := newAPI(t)
	ks := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))["sid"].(string)
	sessions := "/v1/Services/" + ks + "/Sessions"
	open := a.ok(a.do("POST", sessions, url.Values{"Status": {"open"}}))
	assert.Equal(t, "open", open["status"])
	assert.Nil(t, open["date_started"])
	started := a.ok(a.do("POST", sessions, url.Values{"Status": {"in-progress"}}))
	assert.Equal(t, "in-progress", started["status"])
	assert.Equal(t, "2026-01-05T10:00:00Z", started["date_started"])
	for _, status := range []string{"closed", "failed", "unknown", "paused"} {
		code, m := a.do("POST", sessions, url.Values{"Status": {status}})
		assert.Equal(t, 400, code, status)
		assert.Equal(t, float64(80608), m["code"], status)
	}
}

// A Session without ttl or dateExpiry, in a Service without defaultTtl,
// expires after 90 days, as Twilio's error page 80904 says.
func TestDefaultTTL(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	assert.Empty(t, e.advance(emulator.DefaultTTL-time.Second))
	assert.Equal(t, emulator.OutcomeRouted, e.in(sms(rider, pn1)).Outcome, "still open")
	events := e.advance(emulator.DefaultTTL + emulator.DefaultTTL - 2*time.Second) // 90 days after the message
	assert.Empty(t, events)
	events = e.advance(emulator.DefaultTTL + emulator.DefaultTTL - time.Second)
	require.Len(t, events, 1)
	assert.Equal(t, oosc.CodeExpiredSession, events[0].Code)
	assert.Contains(t, events[0].Text, "default ttl of 90 days")
	assert.Equal(t, oosc.ClosedByExpiry, e.session("ride-1").ClosedReason)
}

// Interactions carry the statuses of Twilio's Calls and Messages: a
// routed message received and delivered; a routed call in progress and
// initiated, then completed with its duration; the status callback is
// told of each new Interaction and of a call's end.
func TestInteractionStatuses(t *testing.T) {
	var (
		mu    sync.Mutex
		forms []url.Values
	)
	a := newAPI(t)
	hook := a.p.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		forms = append(forms, r.PostForm)
	}))
	received := func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(forms)
	}
	ks := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}, "CallbackUrl": {hook + "/status"}}))["sid"].(string)
	a.ok(a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	kc := a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions", url.Values{"Participants": {
		`{"Identifier":"` + rider + `"}`, `{"Identifier":"` + driver + `"}`}}))["sid"].(string)
	its := "/v1/Services/" + ks + "/Sessions/" + kc + "/Interactions/"

	_, r := a.control("/emulator/inbound", map[string]any{"channel": "sms", "from": rider, "to": pn1, "body": "a map", "media": []string{"https://example.com/m.png"}})
	require.Equal(t, "routed", r["outcome"])
	msg := a.ok(a.do("GET", its+r["interaction"].(string), nil))
	assert.Equal(t, "received", msg["inbound_resource_status"])
	assert.Equal(t, "delivered", msg["outbound_resource_status"])
	assert.Equal(t, []string{"https://example.com/m.png"}, a.p.Deliveries()[0].Media)

	_, r = a.control("/emulator/inbound", map[string]any{"channel": "voice", "from": driver, "to": pn1})
	call := a.ok(a.do("GET", its+r["interaction"].(string), nil))
	assert.Equal(t, "in-progress", call["inbound_resource_status"], "a routed call is not received")
	assert.Equal(t, "initiated", call["outbound_resource_status"])
	assert.Nil(t, call["data"], "no duration while the call goes on")

	_, r = a.control("/emulator/inbound", map[string]any{"channel": "voice", "from": driver, "to": pn1, "duration": 42})
	ended := a.ok(a.do("GET", its+r["interaction"].(string), nil))
	assert.Equal(t, "completed", ended["inbound_resource_status"])
	assert.Equal(t, "completed", ended["outbound_resource_status"])
	assert.Equal(t, `{"duration":"42"}`, ended["data"])

	statuses := received()
	require.Len(t, statuses, 4, "one per new Interaction, one for the call's end")
	for _, f := range statuses {
		assert.Len(t, f, 18, "the 18 parameters of the Webhooks page, empty when unknown")
	}
	first := statuses[0]
	assert.Equal(t, "Message", first.Get("interactionType"))
	assert.Equal(t, "message", first.Get("inboundResourceType"))
	assert.Equal(t, "message", first.Get("outboundResourceType"))
	assert.Equal(t, "https://api.twilio.com/2010-04-01/Accounts/"+emulator.DefaultAccountSid+"/Messages/"+msg["inbound_resource_sid"].(string)+".json",
		first.Get("inboundResourceUrl"))
	assert.Equal(t, "2026-01-05T10:00:00Z", first.Get("interactionDateCreated"))
	assert.Equal(t, "2026-01-05T10:00:00Z", first.Get("interactionDateUpdated"))
	assert.Equal(t, "Voice", statuses[1].Get("interactionType"), "as the Webhooks page's example writes it")
	assert.Equal(t, "call", statuses[1].Get("outboundResourceType"))
	assert.Equal(t, "", statuses[1].Get("interactionData"), "a call's duration is not known while it goes on")
	assert.Equal(t, "in-progress", statuses[2].Get("inboundResourceStatus"))
	assert.Equal(t, "completed", statuses[3].Get("inboundResourceStatus"))
	assert.Equal(t, `{"duration":"42"}`, statuses[3].Get("interactionData"))

	// A message through the API carries its media to the phone.
	parts := a.ok(a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants", nil))["participants"].([]any)
	driverKP := parts[1].(map[string]any)["sid"].(string)
	a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP+"/MessageInteractions",
		url.Values{"MediaUrl": {"https://example.com/a.png", "https://example.com/b.png"}}))
	d := a.p.Deliveries()
	assert.Equal(t, []string{"https://example.com/a.png", "https://example.com/b.png"}, d[len(d)-1].Media)
	statuses = received()
	require.Len(t, statuses, 5)
	assert.Equal(t, "", statuses[4].Get("inboundParticipantSid"), "a Message Interaction has no inbound leg")
	assert.Equal(t, "delivered", statuses[4].Get("outboundResourceStatus"))

	// EndCall refuses what is not a call going on.
	ctx := context.Background()
	for _, tt := range []struct {
		interaction string
		d           time.Duration
		code        oosc.Code
	}{
		{msg["sid"].(string), time.Second, oosc.CodeBadParameters},
		{ended["sid"].(string), time.Second, oosc.CodeBadParameters},
		{call["sid"].(string), -time.Second, oosc.CodeBadParameters},
		{"KI00000000000000000000000000000099", time.Second, oosc.CodeNotFound},
	} {
		_, err := a.p.EndCall(ctx, ks, kc, tt.interaction, tt.d)
		assert.Equal(t, tt.code, code(t, err), tt.interaction)
	}
	status, m := a.control("/emulator/inbound", map[string]any{"channel": "sms", "from": rider, "to": pn1, "body": "x", "duration": 3})
	assert.Equal(t, 400, status, "a message has no duration: %v", m)
}

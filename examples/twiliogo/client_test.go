package twiliogo_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twilio/twilio-go/client"
	proxy "github.com/twilio/twilio-go/rest/proxy/v1"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/examples/twiliogo"
	"github.com/oosc-dev/oosc/webhook"
)

const (
	account = "AC0123456789abcdef0123456789abcdef"
	token   = "0123456789abcdef0123456789abcdef" // twilio-go takes only alphanumeric tokens
	pool1   = "+14155550100"
	pool2   = "+14155550110"
	rider   = "+19515550101"
	driver  = "+17075550102"
)

var start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// world is the emulator served over loopback, the application's
// out-of-session callback (callback.Handler with Reconnect), and
// twilio-go's Proxy client pointed at the emulator.
type world struct {
	t     *testing.T
	p     *emulator.Proxy
	srv   *httptest.Server
	app   string
	proxy *proxy.ApiService
}

func newWorld(t *testing.T) *world {
	p := emulator.New(&emulator.Options{AccountSid: account, AuthToken: token, Start: start})
	t.Cleanup(p.Close)
	srv := httptest.NewServer(emulator.NewServer(p, nil))
	t.Cleanup(srv.Close)
	v, err := webhook.NewVerifier([]string{token}, nil)
	require.NoError(t, err)
	h, err := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: v})
	require.NoError(t, err)
	app := p.Serve(h) + "/out-of-session"
	base, _ := url.Parse(srv.URL)
	return &world{t: t, p: p, srv: srv, app: app, proxy: twiliogo.NewProxyClient(base, account, token)}
}

// inbound sends a contact through the control API and returns its result.
func (w *world) inbound(channel, from, to, body string) map[string]any {
	w.t.Helper()
	b, _ := json.Marshal(map[string]string{"channel": channel, "from": from, "to": to, "body": body})
	resp, err := http.Post(w.srv.URL+"/emulator/inbound", "application/json", strings.NewReader(string(b)))
	require.NoError(w.t, err)
	defer resp.Body.Close()
	require.Equal(w.t, 200, resp.StatusCode)
	var m map[string]any
	require.NoError(w.t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}

func restError(t *testing.T, err error) *client.TwilioRestError {
	t.Helper()
	var re *client.TwilioRestError
	require.True(t, errors.As(err, &re), "%v", err)
	return re
}

// An application's whole Proxy flow through twilio-go, unchanged, against
// the emulator: Service with an out-of-session callback, numbers, a
// Session with two Participants, routed contacts, a Message Interaction,
// close, an out-of-session contact answered with auto-create by the
// application's callback.Handler, the new Session in the list, paging
// over several pages, and the virtual clock expiring a Session.
func TestTwilioGoWholeFlow(t *testing.T) {
	w := newWorld(t)
	api := w.proxy

	svc, err := api.CreateService((&proxy.CreateServiceParams{}).SetUniqueName("rides").
		SetOutOfSessionCallbackUrl(w.app).SetDefaultTtl(3600))
	require.NoError(t, err)
	ks := *svc.Sid
	assert.Equal(t, w.app, *svc.OutOfSessionCallbackUrl)
	assert.Equal(t, 3600, svc.DefaultTtl)
	for _, n := range []string{pool1, pool2} {
		pn, err := api.CreatePhoneNumber(ks, (&proxy.CreatePhoneNumberParams{}).SetPhoneNumber(n))
		require.NoError(t, err)
		assert.Equal(t, n, *pn.PhoneNumber)
	}
	numbers, err := api.ListPhoneNumber(ks, nil)
	require.NoError(t, err)
	assert.Len(t, numbers, 2)

	sess, err := api.CreateSession(ks, (&proxy.CreateSessionParams{}).SetUniqueName("ride-1").SetParticipants([]interface{}{
		map[string]interface{}{"Identifier": rider},
		map[string]interface{}{"Identifier": driver, "FriendlyName": "driver-42"},
	}))
	require.NoError(t, err)
	kc := *sess.Sid
	assert.Equal(t, "open", *sess.Status)
	assert.Equal(t, "voice-and-message", *sess.Mode)
	parts, err := api.ListParticipant(ks, kc, nil)
	require.NoError(t, err)
	require.Len(t, parts, 2)
	riderProxy, driverSid := *parts[0].ProxyIdentifier, *parts[1].Sid
	assert.Equal(t, "driver-42", *parts[1].FriendlyName)

	// Contacts inside the Session are routed.
	r := w.inbound("sms", rider, riderProxy, "on my way")
	assert.Equal(t, "routed", r["outcome"])
	assert.Equal(t, driver, r["deliverTo"])
	assert.Equal(t, "routed", w.inbound("voice", driver, *parts[1].ProxyIdentifier, "")["outcome"])
	its, err := api.ListInteraction(ks, kc, nil)
	require.NoError(t, err)
	assert.Len(t, its, 2)

	// A Message Interaction to the driver.
	mi, err := api.CreateMessageInteraction(ks, kc, driverSid, (&proxy.CreateMessageInteractionParams{}).SetBody("Your rider is waiting"))
	require.NoError(t, err)
	assert.Equal(t, driverSid, *mi.ParticipantSid)
	assert.Contains(t, *mi.Data, "Your rider is waiting")
	got, err := api.FetchMessageInteraction(ks, kc, driverSid, *mi.Sid)
	require.NoError(t, err)
	assert.Equal(t, *mi.Sid, *got.Sid)

	// Closed: the rider's next text is out of session, and the callback
	// reconnects them with the driver through an auto-created Session.
	closed, err := api.UpdateSession(ks, kc, (&proxy.UpdateSessionParams{}).SetStatus("closed"))
	require.NoError(t, err)
	assert.Equal(t, "closed", *closed.Status)
	r = w.inbound("sms", rider, riderProxy, "I left my bag")
	assert.Equal(t, "created", r["outcome"], "%v", r)
	assert.Equal(t, "session-closed", r["cause"])
	assert.Equal(t, driver, r["deliverTo"])
	sessions, err := api.ListSession(ks, nil)
	require.NoError(t, err)
	require.Len(t, sessions, 2)
	created := sessions[1]
	assert.Equal(t, "in-progress", *created.Status, "the message was routed into it")
	createdParts, err := api.ListParticipant(ks, *created.Sid, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{rider, driver}, []string{*createdParts[0].Identifier, *createdParts[1].Identifier})

	// Paging: eleven Sessions, pages of three.
	for i := range 9 {
		_, err := api.CreateSession(ks, (&proxy.CreateSessionParams{}).SetUniqueName("more-"+string(rune('a'+i))))
		require.NoError(t, err)
	}
	all, err := api.ListSession(ks, (&proxy.ListSessionParams{}).SetPageSize(3))
	require.NoError(t, err)
	assert.Len(t, all, 11)
	page, err := api.PageSession(ks, (&proxy.ListSessionParams{}).SetPageSize(3), "", "")
	require.NoError(t, err)
	assert.Len(t, page.Sessions, 3)
	require.NotNil(t, page.Meta.NextPageUrl)
	limited, err := api.ListSession(ks, (&proxy.ListSessionParams{}).SetPageSize(3).SetLimit(5))
	require.NoError(t, err)
	assert.Len(t, limited, 5)

	// The clock runs past the Service's default ttl: the auto-created
	// Session expires.
	resp, err := http.Post(w.srv.URL+"/emulator/clock", "application/json", strings.NewReader(`{"advance":"2h"}`))
	require.NoError(t, err)
	resp.Body.Close()
	expired, err := api.FetchSession(ks, *created.Sid)
	require.NoError(t, err)
	assert.Equal(t, "closed", *expired.Status)
	assert.Equal(t, "expired", *expired.ClosedReason)

	require.NoError(t, api.DeleteSession(ks, kc))
	_, err = api.FetchSession(ks, kc)
	assert.Equal(t, 20404, restError(t, err).Code)
}

// Twilio's errors reach twilio-go as its TwilioRestError, with Twilio's
// status and code.
func TestTwilioGoErrors(t *testing.T) {
	w := newWorld(t)
	api := w.proxy
	svc, err := api.CreateService((&proxy.CreateServiceParams{}).SetUniqueName("rides"))
	require.NoError(t, err)
	ks := *svc.Sid
	_, err = api.CreatePhoneNumber(ks, (&proxy.CreatePhoneNumberParams{}).SetPhoneNumber(pool1))
	require.NoError(t, err)
	ride, err := api.CreateSession(ks, (&proxy.CreateSessionParams{}).SetUniqueName("ride-1").SetParticipants([]interface{}{
		map[string]interface{}{"Identifier": rider, "ProxyIdentifier": pool1}, map[string]interface{}{"Identifier": driver}}))
	require.NoError(t, err)

	for _, tt := range []struct {
		name   string
		call   func() error
		status int
		code   int
	}{
		{"unknown Session", func() error { _, err := api.FetchSession(ks, "KC00000000000000000000000000000099"); return err }, 404, 20404},
		{"a third Participant", func() error {
			_, err := api.CreateParticipant(ks, *ride.Sid, (&proxy.CreateParticipantParams{}).SetIdentifier("+14155550199"))
			return err
		}, 400, 80609},
		{"a duplicate unique name", func() error {
			_, err := api.CreateSession(ks, (&proxy.CreateSessionParams{}).SetUniqueName("ride-1"))
			return err
		}, 400, 80603},
		{"a pair held by another Session", func() error {
			_, err := api.CreateSession(ks, (&proxy.CreateSessionParams{}).SetParticipants([]interface{}{
				map[string]interface{}{"Identifier": rider, "ProxyIdentifier": pool1}}))
			return err
		}, 409, 80623},
		{"wrong credentials", func() error {
			base, _ := url.Parse(w.srv.URL)
			_, err := twiliogo.NewProxyClient(base, account, "wrong").ListService(nil)
			return err
		}, 401, 20003},
	} {
		t.Run(tt.name, func(t *testing.T) {
			re := restError(t, tt.call())
			assert.Equal(t, tt.status, re.Status)
			assert.Equal(t, tt.code, re.Code)
		})
	}
	sessions, err := api.ListSession(ks, nil)
	require.NoError(t, err)
	assert.Len(t, sessions, 1, "the refused requests created nothing")
	_ = context.Background
}

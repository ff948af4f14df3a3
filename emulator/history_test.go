package emulator_test

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/emulator"
)

const sayEnded = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>This ride has ended.</Message></Response>`

// refusedURL is a loopback URL nothing listens at.
func refusedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := "http://" + ln.Addr().String() + "/out-of-session"
	require.NoError(t, ln.Close())
	return u
}

// GET /emulator/webhooks and the page list each webhook the emulator
// called: its request, its answer (status, Content-Type, body), its
// latency, and the judge's verdict on an out-of-session answer; a
// callback nothing listens at is said so. Options.OnWebhook sees the
// same.
func TestWebhookHistory(t *testing.T) {
	var mu sync.Mutex
	var seen []emulator.Exchange
	p := emulator.New(&emulator.Options{Start: t0, OnWebhook: func(x emulator.Exchange) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, x)
	}})
	a := newAPIFor(t, p)
	twiml := p.Serve(answerWith("application/xml", sayEnded, 200)) + "/oos"
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: "svc", OutOfSessionCallbackURL: twiml})
	require.NoError(t, err)
	_, err = p.AddNumber("svc", emulator.NewPhoneNumber{Number: pn1})
	require.NoError(t, err)

	contact := func() emulator.Result {
		status, m := a.control("/emulator/inbound", map[string]any{"channel": "sms", "from": stranger, "to": pn1, "body": "where are you?"})
		require.Equal(t, http.StatusOK, status, "%v", m)
		return emulator.Result{Outcome: emulator.Outcome(m["outcome"].(string))}
	}
	assert.Equal(t, emulator.OutcomeTwiML, contact().Outcome)
	refused := refusedURL(t)
	_, err = p.UpdateService("svc", emulator.ServiceUpdate{OutOfSessionCallbackURL: &refused})
	require.NoError(t, err)
	assert.Equal(t, emulator.OutcomeFailed, contact().Outcome)
	bad := p.Serve(answerWith("application/json", `{"participantIdentifier": 42}`, 200))
	_, err = p.UpdateService("svc", emulator.ServiceUpdate{OutOfSessionCallbackURL: &bad})
	require.NoError(t, err)
	assert.Equal(t, emulator.OutcomeFailed, contact().Outcome)

	_, m := getJSON(t, a, "/emulator/webhooks")
	assert.Equal(t, "webhooks", m["meta"].(map[string]any)["key"])
	assert.Equal(t, float64(0), m["dropped"])
	hooks := m["webhooks"].([]any)
	require.Len(t, hooks, 3)

	ok := hooks[0].(map[string]any)
	assert.Equal(t, ks1, ok["serviceSid"])
	w := ok["webhook"].(map[string]any)
	assert.Equal(t, "out-of-session", w["kind"])
	assert.Equal(t, twiml, w["url"])
	assert.Equal(t, "POST", w["method"])
	assert.Equal(t, []any{stranger}, w["parameters"].(map[string]any)["From"])
	assert.Equal(t, []any{"where are you?"}, w["parameters"].(map[string]any)["Body"])
	assert.Equal(t, true, w["answered"])
	assert.Equal(t, float64(200), w["status"])
	assert.Equal(t, []any{"application/xml"}, w["header"].(map[string]any)["Content-Type"])
	assert.Equal(t, sayEnded, w["body"])
	latency, err := time.ParseDuration(w["latency"].(string))
	require.NoError(t, err)
	assert.Positive(t, latency)
	assert.NotContains(t, w, "error")
	assert.NotContains(t, ok, "inFlight")
	v := ok["verdict"].(map[string]any)
	assert.Equal(t, true, v["valid"])
	assert.Equal(t, "twiml", v["kind"])
	assert.Equal(t, "sms", v["channel"])

	no := hooks[1].(map[string]any)
	assert.Equal(t, false, no["webhook"].(map[string]any)["answered"])
	assert.Contains(t, no["webhook"].(map[string]any)["error"], "connection refused")
	assert.Equal(t, []any{float64(80913)}, no["verdict"].(map[string]any)["codes"])

	invalid := hooks[2].(map[string]any)["verdict"].(map[string]any)
	assert.Equal(t, false, invalid["valid"])
	assert.Contains(t, invalid["codes"], float64(80905))
	assert.NotEmpty(t, invalid["problems"])

	// Paged as the other lists.
	_, m = getJSON(t, a, "/emulator/webhooks?PageSize=2")
	assert.Len(t, m["webhooks"], 2)
	next, _ := m["meta"].(map[string]any)["next_page_url"].(string)
	require.NotEmpty(t, next)
	_, m = getJSON(t, a, strings.TrimPrefix(next, a.srv.URL))
	assert.Len(t, m["webhooks"], 1)
	status, _ := getJSON(t, a, "/emulator/webhooks?PageSize=x")
	assert.Equal(t, http.StatusBadRequest, status)

	// The Go API and the hook say the same.
	xs := p.Webhooks()
	require.Len(t, xs, 3)
	assert.Positive(t, xs[0].Webhook.Latency)
	assert.Equal(t, xs[1].Err.Error(), xs[1].Webhook.Error)
	assert.True(t, xs[0].Verdict.Valid())
	assert.Equal(t, []oosc.Code{oosc.CodeOutOfSessionCallbackError}, xs[1].Verdict.LoggedCodes())
	require.Error(t, xs[1].Err)
	assert.False(t, xs[1].InFlight())
	mu.Lock()
	assert.Equal(t, xs, seen)
	mu.Unlock()

	// The page shows the same, newest first.
	page := section(getPage(t, a, ""), "webhooks")
	assert.Equal(t, 3, rows(page))
	has(t, page, "<code>"+twiml+"</code>", "From="+plus(stranger), "Body=where are you?", `200 <code>application/xml</code>`,
		"&lt;Message&gt;This ride has ended.&lt;/Message&gt;", "accepted: TwiML for sms",
		"no answer: ", "connection refused", "refused: Proxy logs ", "80905", " ms</td>")
	assert.Less(t, strings.Index(page, bad), strings.Index(page, twiml), "newest first")
	// Filtered by number: a webhook's From and To.
	assert.Equal(t, 0, rows(section(getPage(t, a, "number=%2B19995550100"), "webhooks")))
	assert.Equal(t, 3, rows(section(getPage(t, a, "number="+strings.TrimPrefix(stranger, "+")), "webhooks")), "a number typed without its +")
}

// A webhook whose answer is awaited is in the history already, in
// flight; its answer replaces it.
func TestWebhookInFlight(t *testing.T) {
	g := newGate(answerWith("application/xml", sayEnded, 200))
	e := newEmu(t, nil, answering(g), nil)
	c := inFlight(t, e.Proxy, g, sms(stranger, pn1))
	xs := e.Webhooks()
	require.Len(t, xs, 1)
	assert.True(t, xs[0].InFlight())
	assert.Equal(t, debugger.WebhookOutOfSession, xs[0].Webhook.Kind)
	b, err := xs[0].MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"inFlight":true`)
	assert.NotContains(t, string(b), `"verdict"`)
	has(t, section(getPage(t, newAPIFor(t, e.Proxy), ""), "webhooks"), "awaiting the answer")
	close(g.release)
	assert.Equal(t, emulator.OutcomeTwiML, result(t, c).Outcome)
	assert.False(t, e.Webhooks()[0].InFlight())
}

// What a TwiML answer to an out-of-session contact makes Proxy send is
// what the phones received: a <Message> reply to the sender (or to whom
// it says), what a caller heard (<Say>, <Play>), a call a <Dial> places
// (shown from the caller's own number unless callerId says otherwise).
func TestTwiMLAnswersAreDeliveries(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>`
	for _, tt := range []struct {
		name string
		in   oosc.Inbound
		body string
		want []emulator.Delivery
	}{
		{"a message reply", sms(stranger, pn1), `<Response><Message>This ride has ended.</Message></Response>`,
			[]emulator.Delivery{{To: stranger, From: pn1, Channel: oosc.SMS, Body: "This ride has ended."}}},
		{"messages with to, from, Body and Media", sms(stranger, pn1),
			`<Response><Message to="` + driver + `" from="` + pn2 + `"><Body>Your rider wrote</Body><Media>https://example.com/a.jpg</Media></Message>` +
				`<Message>
				  Thanks, we told your driver.
				</Message></Response>`,
			[]emulator.Delivery{
				{To: driver, From: pn2, Channel: oosc.SMS, Body: "Your rider wrote", Media: []string{"https://example.com/a.jpg"}},
				{To: stranger, From: pn1, Channel: oosc.SMS, Body: "Thanks, we told your driver."}}},
		{"what a caller heard", call(stranger, pn1),
			`<Response><Say>This ride has ended.</Say><Play>https://example.com/bye.mp3</Play>` +
				`<Gather numDigits="1"><Say voice="Polly.Joanna">Press <emphasis>one</emphasis> for support.</Say></Gather><Hangup/></Response>`,
			[]emulator.Delivery{{To: stranger, From: pn1, Channel: oosc.Voice, Body: "This ride has ended.\nPress one for support.",
				Media: []string{"https://example.com/bye.mp3"}}}},
		{"a call a Dial places", call(stranger, pn1),
			`<Response><Say>Connecting you.</Say><Dial callerId="` + pn2 + `"><Number>` + driver + `</Number></Dial><Dial>+16505550104</Dial></Response>`,
			[]emulator.Delivery{
				{To: stranger, From: pn1, Channel: oosc.Voice, Body: "Connecting you."},
				{To: driver, From: pn2, Channel: oosc.Voice},
				{To: "+16505550104", From: stranger, Channel: oosc.Voice}}},
		{"an SMS during a call", call(stranger, pn1), `<Response><Sms>Text us instead.</Sms></Response>`,
			[]emulator.Delivery{{To: stranger, From: pn1, Channel: oosc.SMS, Body: "Text us instead."}}},
		{"an empty answer", sms(stranger, pn1), `<Response/>`, nil},
		{"a call hung up", call(stranger, pn1), `<Response><Reject/></Response>`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmu(t, nil, answering(answerWith("application/xml", head+tt.body, 200)), nil)
			r := e.in(tt.in)
			require.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
			for i := range tt.want {
				tt.want[i].Time, tt.want[i].ServiceSid, tt.want[i].Source = t0, ks1, emulator.SourceTwiML
			}
			assert.Equal(t, tt.want, e.Deliveries())
		})
	}

	// Over HTTP and on the page.
	e := newEmu(t, nil, answering(answerWith("application/xml", head+`<Response><Say>This ride has ended.</Say></Response>`, 200)), nil)
	a := newAPIFor(t, e.Proxy)
	e.in(call(stranger, pn1))
	_, m := getJSON(t, a, "/emulator/deliveries")
	d := m["deliveries"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"time": "2026-01-05T10:00:00Z", "to": stranger, "from": pn1, "channel": "voice",
		"body": "This ride has ended.", "serviceSid": ks1, "source": "twiml"}, d)
	has(t, section(getPage(t, a, ""), "deliveries"), `<td data-label="channel">voice</td>`,
		`<span class="text">This ride has ended.</span>`, `<td data-label="Session">—</td>`, `<td data-label="how">twiml</td>`)
}

package debugger_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/webhook"
)

const (
	rider    = "+19515550101"
	driver   = "+17075550102"
	proxyNum = "+14155550100"
	oosURL   = "https://hooks.example.com/out-of-session"
)

// webhookForm is the Debugger webhook's parameters for an event of code,
// with the callback request and answer it recorded (nil: none).
func webhookForm(t testing.TB, code int, request url.Values, response map[string]any) url.Values {
	t.Helper()
	payload := map[string]any{"resource_sid": "SM0123456789abcdef0123456789abcdef", "service_sid": "KS0123456789abcdef0123456789abcdef",
		"error_code": code, "more_info": map[string]any{"msg": "from the test"}}
	if request != nil {
		params := map[string]string{}
		for k := range request {
			params[k] = request.Get(k)
		}
		hook := map[string]any{"type": "application/x-www-form-urlencoded",
			"request": map[string]any{"url": oosURL, "method": "POST", "headers": map[string]string{}, "parameters": params}}
		if response != nil {
			hook["response"] = response
		}
		payload["webhook"] = hook
	}
	b, err := json.Marshal(payload)
	require.NoError(t, err)
	return url.Values{"Sid": {"NO0123456789abcdef0123456789abcdef"}, "AccountSid": {"AC0123456789abcdef0123456789abcdef"},
		"Timestamp": {"2026-11-30T10:00:00Z"}, "Level": {"WARNING"}, "PayloadType": {"application/json"}, "Payload": {string(b)}}
}

func answer(status int, ct, body string) map[string]any {
	return map[string]any{"status_code": status, "headers": map[string]string{"Content-Type": ct}, "body": body}
}

func explain(t *testing.T, form url.Values) debugger.Explanation {
	t.Helper()
	e, err := debugger.ParseWebhook(form)
	require.NoError(t, err)
	return debugger.Explain(e)
}

// Every 80905 is explained in the terms of its five cases: why the
// contact was out of session, from the recorded request, and why the
// callback did not save it, from the recorded answer re-judged.
func TestExplainUnknownScenario(t *testing.T) {
	closed := callbacktest.Message(rider, proxyNum, "my bag?").After(callbacktest.Previous{UniqueName: "ride-1", Other: driver}).Form()
	fresh := callbacktest.Message(rider, proxyNum, "hello").Form()
	call := callbacktest.Call(rider, proxyNum).Form()
	otherNumber := callbacktest.Message(rider, proxyNum, "hi").After(callbacktest.Previous{UniqueName: "ride-2", Other: driver, Status: "open", SenderProxy: "+14155550111"}).Form()

	tests := []struct {
		name     string
		form     url.Values
		cases    []debugger.Case
		reason   oosc.Cause
		settled  bool
		rule     oosc.Rule
		contains string
	}{
		{"TwiML as text/xml after a closed Session", webhookForm(t, 80905, closed, answer(200, "text/xml", "<Response><Message>Sorry</Message></Response>")),
			[]debugger.Case{debugger.CaseSessionEnded, debugger.CaseInvalidAnswer}, oosc.CauseSessionClosed, true, "content-type", "application/xml"},
		{"auto-create naming the sender", webhookForm(t, 80905, fresh, answer(200, "application/json", `{"participantIdentifier":"`+rider+`"}`)),
			[]debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, oosc.CauseNoPreviousSession, true, "sender-as-participant", "participantIdentifier"},
		{"messaging TwiML to a call", webhookForm(t, 80905, call, answer(200, "application/xml", "<Response><Message>hi</Message></Response>")),
			[]debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, oosc.CauseNoPreviousSession, true, "wrong-channel", "TwiML"},
		{"another Proxy number", webhookForm(t, 80905, otherNumber, answer(200, "application/xml", "")),
			[]debugger.Case{debugger.CaseOtherProxyNumber, debugger.CaseInvalidAnswer}, oosc.CauseOtherProxyNumber, true, "", ""},
		{"no callback recorded", webhookForm(t, 80905, nil, nil),
			[]debugger.Case{debugger.CaseNoCallback}, "", false, "", "OutOfSessionCallbackUrl"},
		{"a request without answer", webhookForm(t, 80905, fresh, nil),
			[]debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, oosc.CauseNoPreviousSession, true, "", "15 s"},
		{"a valid answer recorded", webhookForm(t, 80905, fresh, answer(200, "application/xml", "<Response/>")),
			[]debugger.Case{debugger.CaseNotInSession}, oosc.CauseNoPreviousSession, false, "", "80603"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := explain(t, tt.form)
			assert.Equal(t, oosc.CodeUnknownScenario, x.Code)
			assert.Equal(t, "Unknown Scenario", x.Title)
			assert.Equal(t, tt.cases, x.Cases)
			assert.Equal(t, tt.reason, x.Cause)
			assert.Equal(t, tt.settled, x.Settled, x.Summary)
			assert.NotEmpty(t, x.Summary)
			assert.NotEmpty(t, x.Fix)
			if tt.rule != "" {
				require.NotEmpty(t, x.Problems)
				assert.Equal(t, tt.rule, x.Problems[0].Rule)
			}
			if tt.contains != "" {
				assert.Contains(t, x.Summary+" "+x.Fix, tt.contains)
			}
		})
	}
}

func TestExplainCallbackErrorAndProxyCodes(t *testing.T) {
	fresh := callbacktest.Message(rider, proxyNum, "hello").Form()
	x := explain(t, webhookForm(t, 80913, fresh, answer(500, "text/html", "oops")))
	assert.True(t, x.Settled)
	assert.Contains(t, x.Summary, "status 500")
	x = explain(t, webhookForm(t, 80913, fresh, answer(403, "text/plain", "Forbidden")))
	assert.Contains(t, x.Fix, "auth token")
	x = explain(t, webhookForm(t, 80913, fresh, nil))
	assert.True(t, x.Settled)
	assert.Contains(t, x.Summary, "no answer")
	x = explain(t, webhookForm(t, 80913, nil, nil))
	assert.False(t, x.Settled)

	for _, code := range []int{80904, 80901, 80909, 80603, 80604, 80609, 80616, 80103, 80404, 80910, 80911, 80902, 80205, 80203, 80207, 80208, 80607, 80701, 80623, 80614, 80903, 80908} {
		x := explain(t, webhookForm(t, code, nil, nil))
		assert.True(t, x.Settled, "%d", code)
		assert.NotEmpty(t, x.Summary, "%d", code)
		assert.NotEmpty(t, x.Fix, "%d", code)
		assert.NotContains(t, x.Title, "Twilio error", "%d has a title", code)
	}
	assert.Equal(t, []debugger.Case{debugger.CaseSessionEnded}, explain(t, webhookForm(t, 80904, nil, nil)).Cases)
	x = explain(t, webhookForm(t, 11200, nil, nil))
	assert.False(t, x.Settled)
	assert.Contains(t, x.Summary, "not one of Proxy's codes")
}

// The Monitor Alerts API's shape: a list of alerts, each with the request
// as form-encoded variables.
func TestParseAlerts(t *testing.T) {
	req := callbacktest.Call(rider, proxyNum).Form()
	list := map[string]any{"alerts": []map[string]any{{
		"sid": "NO00000000000000000000000000000001", "account_sid": "AC0123456789abcdef0123456789abcdef",
		"error_code": "80905", "log_level": "warning", "alert_text": "Msg=Unknown+Scenario&sourceComponent=14100",
		"date_generated": "2026-11-30T10:00:00Z", "request_url": oosURL, "request_method": "POST",
		"request_variables": req.Encode(), "response_body": `{"participantIdentifier":"` + driver + `","mode":"message-only"}`,
		"response_headers": "Content-Type=application%2Fjson", "resource_sid": "CA0123456789abcdef0123456789abcdef",
	}, {"sid": "NO00000000000000000000000000000002", "error_code": 80904, "log_level": "warning", "alert_text": "expired"}}}
	b, err := json.Marshal(list)
	require.NoError(t, err)
	events, err := debugger.ParseAlerts(b)
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, "Unknown Scenario", events[0].Text)
	assert.Equal(t, "WARNING", events[0].Level)
	x := debugger.Explain(events[0])
	assert.True(t, x.Settled)
	assert.Equal(t, []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, x.Cases)
	assert.Equal(t, "mode-channel-mismatch", string(x.Problems[0].Rule), "a call into a message-only Session")
	assert.Equal(t, oosc.CodeExpiredSession, events[1].Code)
}

// Malformed input gets an error that matches ErrMalformed, never a panic.
func TestParseRefusesMalformed(t *testing.T) {
	good := webhookForm(t, 80905, nil, nil)
	for name, change := range map[string]func(url.Values){
		"no Payload":       func(f url.Values) { f.Del("Payload") },
		"Payload not JSON": func(f url.Values) { f.Set("Payload", "{") },
		"no error_code":    func(f url.Values) { f.Set("Payload", `{"resource_sid":"CA1"}`) },
		"bad error_code":   func(f url.Values) { f.Set("Payload", `{"error_code":"eighty"}`) },
		"bad status": func(f url.Values) {
			f.Set("Payload", `{"error_code":80905,"webhook":{"request":{"url":"x"},"response":{"status_code":"abc"}}}`)
		},
		"bad parameters": func(f url.Values) {
			f.Set("Payload", `{"error_code":80905,"webhook":{"request":{"url":"x","parameters":[1,2]}}}`)
		},
		"bad Timestamp": func(f url.Values) { f.Set("Timestamp", "yesterday") },
	} {
		f := url.Values{}
		for k, v := range good {
			f[k] = append([]string(nil), v...)
		}
		change(f)
		_, err := debugger.ParseWebhook(f)
		assert.ErrorIs(t, err, debugger.ErrMalformed, name)
	}
	for _, bad := range []string{"", "[]", `{"alerts": 3}`, `{"alerts": [{"error_code": null}]}`, `{"other": []}`} {
		_, err := debugger.ParseAlerts([]byte(bad))
		assert.ErrorIs(t, err, debugger.ErrMalformed, bad)
	}
}

// The Debugger webhook's handler: signed like any Twilio webhook, each
// event explained in the log (numbers masked) and passed to the hook.
func TestHandler(t *testing.T) {
	const token = "debugger-token-0123"
	v, err := webhook.NewVerifier([]string{token}, nil)
	require.NoError(t, err)
	var logs callbacktest.Logs
	var got []debugger.Explanation
	var events []debugger.Event
	h, err := debugger.NewHandler(v, &debugger.HandlerOptions{Logger: logs.Logger(-4), OnEvent: func(_ context.Context, e debugger.Event, x debugger.Explanation) {
		got, events = append(got, x), append(events, e)
		if e.Code == 80904 {
			panic("a broken hook")
		}
	}})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(form url.Values, sign bool) int {
		req := callbacktest.NewSignedRequest(context.Background(), srv.URL+"/debugger", token, form)
		if !sign {
			req.Header.Del(webhook.Header)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	fresh := callbacktest.Message(rider, proxyNum, "hello").Form()
	assert.Equal(t, http.StatusNoContent, post(webhookForm(t, 80905, fresh, answer(200, "application/json", `{"participantIdentifier":"`+rider+`"}`)), true))
	assert.Equal(t, http.StatusNoContent, post(webhookForm(t, 80904, nil, nil), true), "a panicking hook loses no answer")
	assert.Equal(t, http.StatusBadRequest, post(url.Values{"Sid": {"NO1"}}, true))
	assert.Equal(t, http.StatusBadRequest, post(webhookForm(t, 80905, nil, nil), false), "unsigned")
	require.Len(t, got, 2)
	assert.Equal(t, []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, got[0].Cases)
	out := logs.String()
	assert.Contains(t, out, "Twilio Debugger: Unknown Scenario")
	assert.Contains(t, out, `"cases":[1,4]`)
	assert.Contains(t, out, `"cause":"no-previous-session"`, "the key cause is an oosc.Cause, as in the callback handler's log")
	assert.Contains(t, out, `"reason":"debugger: malformed event: no Payload"`, "the key reason is an error's text, as in the callback handler's log")
	assert.NotContains(t, out, `"reason":"no-previous-session"`)
	assert.Contains(t, out, "OnEvent panicked")
	require.NotNil(t, events[0].Explanation, "OnEvent gets the event with its explanation")
	assert.Equal(t, got[0], *events[0].Explanation)
	assert.NotContains(t, out, rider, "phone numbers are masked")
	assert.NotContains(t, out, strings.TrimPrefix(rider, "+"))

	_, err = debugger.NewHandler(nil, nil)
	assert.Error(t, err, "no Verifier, no handler")
}

// A malformed event's record names what is wrong with it, with the phone
// numbers it quotes masked as in every other record of the handler.
func TestHandlerMasksMalformedEvents(t *testing.T) {
	const token = "debugger-token-0123"
	v, err := webhook.NewVerifier([]string{token}, nil)
	require.NoError(t, err)
	var logs callbacktest.Logs
	h, err := debugger.NewHandler(v, &debugger.HandlerOptions{Logger: logs.Logger(-4)})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()
	form := url.Values{"Sid": {"NO1"}, "Timestamp": {rider}, "Payload": {"{}"}}
	resp, err := srv.Client().Do(callbacktest.NewSignedRequest(context.Background(), srv.URL+"/debugger", token, form))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	out := logs.String()
	assert.Contains(t, out, "is not an ISO 8601 time", "the record says what is wrong")
	assert.NotContains(t, out, strings.TrimPrefix(rider, "+"), "the number it quotes is masked")
}

// A Case writes its number and words, and reads back from either; an
// Explanation survives a JSON round trip.
func TestCaseText(t *testing.T) {
	for c := debugger.CaseNotInSession; c <= debugger.CaseOtherProxyNumber; c++ {
		b, err := c.MarshalText()
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(b), strconv.Itoa(int(c))+": "), "%s", b)
		var back debugger.Case
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, c, back)
		require.NoError(t, back.UnmarshalText([]byte(strconv.Itoa(int(c)))))
		assert.Equal(t, c, back)
	}
	for _, c := range []debugger.Case{0, 6, -1} {
		_, err := c.MarshalText()
		assert.ErrorIs(t, err, debugger.ErrUnknownCase, "%d", c)
	}
	var c debugger.Case
	for _, bad := range []string{"", "0", "6: x", "four", "1x"} {
		assert.ErrorIs(t, c.UnmarshalText([]byte(bad)), debugger.ErrUnknownCase, bad)
	}

	x := explain(t, webhookForm(t, 80905, callbacktest.Message(rider, proxyNum, "hello").Form(), answer(200, "text/xml", "<Response/>")))
	b, err := json.Marshal(x)
	require.NoError(t, err)
	var back debugger.Explanation
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	assert.Equal(t, x, back)
}

// FuzzParseWebhook and FuzzParseAlerts: any input parses or fails with
// ErrMalformed, and what parses can be explained.
func FuzzParseWebhook(f *testing.F) {
	f.Add(`{"error_code":80905,"webhook":{"request":{"url":"https://x","method":"POST","parameters":{"From":"+1","CallSid":"CA1"}},"response":{"status_code":200,"headers":{"Content-Type":"text/xml"},"body":"<Response/>"}}}`, "2026-11-30T10:00:00Z")
	f.Add(`{"error_code":"80913","more_info":"x","webhook":{"request":{"parameters":"From=%2B1&MessageSid=SM1"}}}`, "")
	f.Fuzz(func(t *testing.T, payload, ts string) {
		e, err := debugger.ParseWebhook(url.Values{"Payload": {payload}, "Timestamp": {ts}})
		if err != nil {
			if !errors.Is(err, debugger.ErrMalformed) {
				t.Fatalf("error not ErrMalformed: %v", err)
			}
			return
		}
		x := debugger.Explain(e)
		if x.Summary == "" || x.Fix == "" {
			t.Fatalf("empty explanation: %+v", x)
		}
	})
}

func FuzzParseAlerts(f *testing.F) {
	f.Add(`{"alerts":[{"error_code":"80905","request_url":"https://x","request_variables":"CallSid=CA1&From=%2B1","response_body":"{}","response_headers":"Content-Type=application%2Fjson"}]}`)
	f.Fuzz(func(t *testing.T, data string) {
		events, err := debugger.ParseAlerts([]byte(data))
		if err != nil {
			if !errors.Is(err, debugger.ErrMalformed) {
				t.Fatalf("error not ErrMalformed: %v", err)
			}
			return
		}
		for _, e := range events {
			debugger.Explain(e)
		}
	})
}

// A webhook of another kind than the out-of-session callback (the
// emulator records the status callback with its 80908) is not taken for
// the callback's request and answer.
func TestExplainOnlyTheCallbackWebhook(t *testing.T) {
	form := callbacktest.Message(rider, proxyNum, "hello").Form()
	hook := &debugger.Webhook{URL: oosURL, Method: "POST", Parameters: form, Answered: true, Status: 500,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("oops")}
	x := debugger.Explain(debugger.Event{Code: 80913, Webhook: hook})
	assert.True(t, x.Settled)
	assert.Equal(t, oosc.CauseNoPreviousSession, x.Cause)
	for _, kind := range []debugger.WebhookKind{"", debugger.WebhookOutOfSession} {
		hook.Kind = kind
		assert.Equal(t, x, debugger.Explain(debugger.Event{Code: 80913, Webhook: hook}), "kind %q", kind)
	}
	hook.Kind = debugger.WebhookStatus
	y := debugger.Explain(debugger.Event{Code: 80913, Webhook: hook})
	assert.False(t, y.Settled, "a status callback's 500 says nothing of the out-of-session callback")
	assert.Empty(t, y.Cause)
}

// An event, with its webhook and explanation, survives a JSON round trip;
// the webhook's body is written as a string.
func TestEventJSONRoundTrip(t *testing.T) {
	form := callbacktest.Message(rider, proxyNum, "hello").Form()
	e := debugger.Event{Sid: "NO00000000000000000000000000000001", AccountSid: "AC00000000000000000000000000000001",
		Time: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), Level: "WARNING", Code: 80905, ResourceSid: "SM00000000000000000000000000000002",
		ServiceSid: "KS00000000000000000000000000000003", Text: "invalid twiml answer", Cause: oosc.CauseNoPreviousSession,
		Session: "ride-1", From: rider, To: proxyNum,
		Webhook: &debugger.Webhook{Kind: debugger.WebhookOutOfSession, Time: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), URL: oosURL,
			Method: "POST", Parameters: form, Answered: true, Status: 200, Header: http.Header{"Content-Type": {"text/xml"}}, Body: []byte("<Response/>")}}
	x := debugger.Explain(e)
	e.Explanation = &x
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"body":"\u003cResponse/\u003e"`)
	assert.Contains(t, string(b), `"kind":"out-of-session"`)
	var back debugger.Event
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, e, back)

	b, err = json.Marshal(debugger.Event{Code: 80904})
	require.NoError(t, err)
	assert.JSONEq(t, `{"code":80904}`, string(b), "what is not given is not written")
}

// A webhook's Error and Latency, and an event's Codes, survive a JSON
// round trip; the latency is written as a Go duration string, and a bad
// one is an error.
func TestWebhookErrorLatencyAndCodesJSON(t *testing.T) {
	e := debugger.Event{Code: 80913, Codes: []oosc.Code{80913},
		Webhook: &debugger.Webhook{Kind: debugger.WebhookOutOfSession, URL: oosURL, Error: "dial tcp 127.0.0.1:9: connect: connection refused",
			Latency: 1500 * time.Microsecond}}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"latency":"1.5ms"`)
	assert.Contains(t, string(b), `"error":"dial tcp`)
	assert.Contains(t, string(b), `"codes":[80913]`)
	var back debugger.Event
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, e, back)

	var w debugger.Webhook
	for _, bad := range []string{`{"url":"x","latency":"soon"}`, `{"url":"x","latency":"-1s"}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &w), bad)
	}
}

// Why a webhook gave no answer, as its Error says, is what the
// explanation says and what its fix is for; the setting named is the
// one that holds that webhook's URL.
func TestExplainWhyNoAnswer(t *testing.T) {
	form := callbacktest.Message(rider, proxyNum, "hello").Form()
	tests := []struct {
		err          string
		summary, fix string
		not          string
	}{
		{`Post "https://hooks.example.com/out-of-session": dial tcp 10.0.0.1:443: connect: connection refused`,
			"nothing listens at " + oosURL + " (connection refused)", "start the server", "15 s"},
		{`Post "https://hooks.example.com/out-of-session": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
			oosURL + " did not answer in time (Proxy waits 15 s", "within 15 s", "nothing listens"},
		{`Post "https://hooks.example.com/out-of-session": dial tcp: lookup hooks.example.com: no such host`,
			"the host of " + oosURL + " does not resolve", "host name", "15 s"},
		{`Post "https://hooks.example.com/out-of-session": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
			"the TLS handshake with " + oosURL + " failed", "certificate", "15 s"},
		{`Post "https://hooks.example.com/out-of-session": EOF`,
			"closed before an answer came", "logs say why", "15 s"},
		{`Post "https://hooks.example.com/out-of-session": something else`,
			"the request to " + oosURL + " failed (", "answer 2xx within 15 s", "nothing listens"},
		{"", "a timeout (Proxy waits 15 s, connection included) or a failed connection", "within 15 s", ""},
	}
	for _, tt := range tests {
		hook := &debugger.Webhook{Kind: debugger.WebhookOutOfSession, URL: oosURL, Method: "POST", Parameters: form, Error: tt.err}
		for _, code := range []oosc.Code{80913, 80905} {
			x := debugger.Explain(debugger.Event{Code: code, Webhook: hook})
			assert.True(t, x.Settled, "%d %s", code, tt.err)
			assert.Contains(t, x.Summary, tt.summary, "%d %s", code, tt.err)
			assert.Contains(t, x.Fix, tt.fix, "%d %s", code, tt.err)
			if tt.not != "" {
				assert.NotContains(t, x.Summary+x.Fix, tt.not, "%d %s", code, tt.err)
			}
		}
		status := *hook
		status.Kind = debugger.WebhookStatus
		x := debugger.Explain(debugger.Event{Code: 80908, Webhook: &status})
		assert.Contains(t, x.Summary, "interaction status callback", tt.err)
		assert.Contains(t, x.Summary, tt.summary, tt.err)
		assert.NotContains(t, x.Fix, "OutOfSessionCallbackUrl", tt.err)
	}
	// A URL with a password is named without it.
	hook := &debugger.Webhook{Kind: debugger.WebhookOutOfSession, URL: "https://app:s3cret@hooks.example.com/oos", Answered: true, Status: 500}
	x := debugger.Explain(debugger.Event{Code: 80913, Webhook: hook})
	assert.NotContains(t, x.Summary, "s3cret")
	assert.Contains(t, x.Summary, "hooks.example.com/oos")
}

// An 80905 whose Codes name the code that stopped Proxy is explained as
// that code, from the answer; without Codes (Twilio's events) the
// explanation says what it cannot tell.
func TestExplainUnknownScenarioWithItsCodes(t *testing.T) {
	form := callbacktest.Message(rider, proxyNum, "hello").Form()
	hook := &debugger.Webhook{Kind: debugger.WebhookOutOfSession, URL: oosURL, Parameters: form, Answered: true, Status: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"participantIdentifier":"` + driver + `","uniqueName":"ride-9"}`)}
	x := debugger.Explain(debugger.Event{Code: 80905, Webhook: hook, Codes: []oosc.Code{80603, 80905}})
	assert.True(t, x.Settled)
	assert.Contains(t, x.Summary, `80603 Non Unique Session Name): uniqueName "ride-9" is already used`)
	assert.Contains(t, x.Fix, "uniqueName of its own")
	assert.Equal(t, []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}, x.Cases)

	x = debugger.Explain(debugger.Event{Code: 80905, Webhook: hook})
	assert.False(t, x.Settled)
	assert.Contains(t, x.Summary, "valid as judged now")
	assert.Contains(t, x.Summary, "80603")

	// No webhook: with Codes the event says no callback was called; from
	// Twilio, most likely none is set.
	x = debugger.Explain(debugger.Event{Code: 80905, Codes: []oosc.Code{80905}, Cause: oosc.CauseSessionExpired})
	assert.True(t, x.Settled)
	assert.Contains(t, x.Summary, "no out-of-session callback was called")
	x = debugger.Explain(debugger.Event{Code: 80905, Cause: oosc.CauseSessionExpired})
	assert.False(t, x.Settled)
	assert.Contains(t, x.Summary, "most likely")
}

// A dateExpiry is judged at the time the callback was sent (the
// emulator's virtual clock), not the machine's.
func TestExplainJudgesAtTheWebhooksTime(t *testing.T) {
	form := callbacktest.Message(rider, proxyNum, "hello").Form()
	sent := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)
	hook := &debugger.Webhook{Kind: debugger.WebhookOutOfSession, Time: sent, URL: oosURL, Parameters: form, Answered: true, Status: 200,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"participantIdentifier":"` + driver + `","dateExpiry":"2020-01-01T12:00:00Z"}`)}
	x := debugger.Explain(debugger.Event{Code: 80905, Webhook: hook})
	assert.Empty(t, x.Problems, "a dateExpiry two hours after the contact is valid: %s", x.Summary)
	hook.Body = []byte(`{"participantIdentifier":"` + driver + `","dateExpiry":"2020-01-01T09:00:00Z"}`)
	x = debugger.Explain(debugger.Event{Code: 80905, Webhook: hook})
	require.NotEmpty(t, x.Problems)
	assert.Contains(t, x.Summary, "not in the future (now is 2020-01-01T10:00:00Z)")
}

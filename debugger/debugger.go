// Package debugger reads the errors and warnings of Twilio's Debugger and
// explains Proxy's, in the terms of the five cases of error 80905 "Unknown
// Scenario". It parses the two shapes Twilio gives them in (the Debugger
// webhook's form parameters, and the Monitor Alerts API's JSON), re-judges
// the out-of-session callback's answer with package judge when the event
// recorded it, and says plainly when the event cannot settle the case.
// [NewHandler] serves the Debugger webhook behind a webhook.Verifier.
//
// The five cases of 80905, as Twilio's error page lists them, are the
// [Case] constants: the sender in no open Session for that number, a
// Session closed, expired or deleted, no out-of-session callback, an
// answer Proxy refuses, and a sender who reached a Proxy number other than
// the one they were given. An 80905 has a case for why the contact was out
// of session (1, 2 or 5: its [oosc.Cause]) and one for why the callback
// did not save it (3 or 4).
package debugger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
)

// Event is one error or warning of Twilio's Debugger, or of the Proxy
// emulator (package emulator), which logs what Proxy would log in the same
// shape. Twilio's two shapes fill the fields from Sid to Webhook
// ([ParseWebhook], [ParseAlert]); the emulator fills every field but
// ParentAccountSid. Its JSON is the emulator's (GET /emulator/events and
// the state file of oosc emulate).
type Event struct {
	// Sid is the event's SID: NO… from the Debugger webhook, the alert's
	// from the Monitor API; the emulator numbers its events NO… in the
	// order it logs them.
	Sid              string    `json:"sid,omitempty"`
	AccountSid       string    `json:"accountSid,omitempty"`       // the account it happened on
	ParentAccountSid string    `json:"parentAccountSid,omitempty"` // the parent account, for a subaccount
	Time             time.Time `json:"time,omitzero"`              // when it happened (the emulator's virtual clock); zero when not given
	Level            string    `json:"level,omitempty"`            // ERROR or WARNING, as Twilio writes it
	Code             oosc.Code `json:"code"`                       // the Twilio code, such as 80905
	// ResourceSid is the resource concerned: the call, message or
	// Session, as Twilio records it; the emulator gives the Session's SID
	// (KC…) when the event concerns one, else the contact's CallSid or
	// MessageSid when it made one (it does when it calls the out-of-session
	// callback).
	ResourceSid string `json:"resourceSid,omitempty"`
	ServiceSid  string `json:"serviceSid,omitempty"` // the Proxy Service, when given
	// Text is what Twilio says about it (more_info, alert_text); from the
	// emulator, what went wrong in words: for the codes a contact failed
	// with (its Codes), the words of its emulator.Result.Detail.
	Text string `json:"text,omitempty"`
	// Webhook is the webhook request and answer recorded with the event;
	// nil when none was. The emulator records the out-of-session callback
	// with the events of a contact that called it, the intercept callback
	// with its 80909, and the status callback with its 80908.
	Webhook *Webhook `json:"webhook,omitempty"`
	// Cause is why the contact was out of session, when the source knows
	// it without a recorded request (the emulator does); "" otherwise.
	Cause oosc.Cause `json:"cause,omitempty"`
	// Session is the Session concerned, by uniqueName, or by SID when it
	// has none; From is the sender of the contact, To the Proxy number it
	// reached (of a message the application sent through Proxy, a Message
	// Interaction: its proxy number and its Participant's identifier).
	// The emulator fills them; Twilio's shapes do not carry them
	// (a recorded out-of-session callback's parameters do: sessionSid,
	// From, To), so they are "" from the parsers.
	Session string `json:"session,omitempty"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	// Codes are every code logged for the same contact, this one among
	// them, ascending, as the emulator's Result.Codes: an 80905 logged
	// beside 80603 is explained as the 80603 it follows from. The emulator
	// fills them for a contact's events, and an event that lists them
	// records the out-of-session callback's exchange whenever the contact
	// called it (so an 80905 without one had no callback to call); nil
	// from the parsers, as Twilio logs each code alone.
	Codes []oosc.Code `json:"codes,omitempty"`
	// Explanation is what [Explain] says of the event, as its source
	// explained it when the event was logged: the emulator does for each
	// event, while the whole answer is at hand; [NewHandler] does before
	// HandlerOptions.OnEvent. Nil from the parsers: call Explain.
	Explanation *Explanation `json:"explanation,omitempty"`
}

// WebhookKind is which of Proxy's webhooks a request was.
type WebhookKind string

// Proxy's webhooks.
const (
	WebhookOutOfSession WebhookKind = "out-of-session" // the out-of-session callback (OutOfSessionCallbackUrl)
	WebhookIntercept    WebhookKind = "intercept"      // the intercept callback (InterceptCallbackUrl)
	WebhookStatus       WebhookKind = "status"         // the interaction status callback (CallbackUrl)
)

// Webhook is a webhook request and what it got back, as the Debugger
// records it with an event, or as the emulator sent it.
type Webhook struct {
	// Kind is which of Proxy's webhooks it was. The emulator says; Twilio's
	// shapes do not ("": unknown), though the webhook of an 80905 or 80913
	// is the out-of-session callback.
	Kind WebhookKind `json:"kind,omitempty"`
	// Time is when the request was sent: the emulator's virtual clock.
	// Twilio's shapes time the event, not the request: zero from the
	// parsers.
	Time       time.Time  `json:"time,omitzero"`
	URL        string     `json:"url"`
	Method     string     `json:"method,omitempty"`
	Parameters url.Values `json:"parameters,omitempty"`
	// Answered reports whether a response was recorded; a request that
	// timed out or could not connect has none.
	Answered bool        `json:"answered"`
	Status   int         `json:"status,omitempty"` // 0 when none was recorded (the Monitor API's alerts, or no answer)
	Header   http.Header `json:"header,omitempty"` // the answer's headers
	// Body is the answer's body. Its JSON is a string (invalid UTF-8 is
	// written as U+FFFD).
	Body []byte `json:"-"`
	// Error is why no answer came, as the sender saw it: "connection
	// refused", a timeout, a host that does not resolve. The emulator
	// fills it; "" when an answer came, and from the parsers.
	Error string `json:"error,omitempty"`
	// Latency is the time from sending the request to its answer, or its
	// failure, on the wall clock (not the emulator's virtual clock). The
	// emulator fills it; 0 from the parsers. Its JSON is a Go duration
	// string, such as "12.5ms", as the control API writes durations.
	Latency time.Duration `json:"-"`
}

// webhookJSON is a Webhook's JSON: Body as a string, not base64, and
// Latency as a duration string.
type webhookJSON struct {
	webhookFields
	Body    string `json:"body,omitempty"`
	Latency string `json:"latency,omitempty"`
}

type webhookFields Webhook // without Webhook's methods

// MarshalJSON writes the webhook with its body as a string.
func (w Webhook) MarshalJSON() ([]byte, error) {
	j := webhookJSON{webhookFields: webhookFields(w), Body: string(w.Body)}
	if w.Latency != 0 {
		j.Latency = w.Latency.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	var j webhookJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*w = Webhook(j.webhookFields)
	if j.Body != "" {
		w.Body = []byte(j.Body)
	}
	if j.Latency != "" {
		d, err := time.ParseDuration(j.Latency)
		if err != nil || d < 0 {
			return fmt.Errorf("debugger: webhook latency %q is not a duration such as \"12.5ms\"", clip(j.Latency))
		}
		w.Latency = d
	}
	return nil
}

// ErrMalformed is matched by every parse error: the input is not an event
// in a shape Twilio sends.
var ErrMalformed = errors.New("debugger: malformed event")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// MaxPayloadBytes bounds what the parsers read of one event.
const MaxPayloadBytes = 1 << 20

// ParseWebhook parses the form parameters of the Debugger webhook: Sid,
// AccountSid, ParentAccountSid, Timestamp, Level, PayloadType and Payload
// (JSON: resource_sid, service_sid, error_code, more_info, and webhook,
// with request {url, method, headers, parameters} and response
// {status_code, headers, body}, when a webhook was involved).
func ParseWebhook(form url.Values) (Event, error) {
	e := Event{Sid: form.Get("Sid"), AccountSid: form.Get("AccountSid"), ParentAccountSid: form.Get("ParentAccountSid"),
		Level: form.Get("Level")}
	if ts := form.Get("Timestamp"); ts != "" {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			return Event{}, malformed("Timestamp %q is not an ISO 8601 time", clip(ts))
		}
		e.Time = t
	}
	raw := form.Get("Payload")
	if raw == "" {
		return Event{}, malformed("no Payload")
	}
	if len(raw) > MaxPayloadBytes {
		return Event{}, malformed("Payload is %d bytes, over %d", len(raw), MaxPayloadBytes)
	}
	var p struct {
		ResourceSid string          `json:"resource_sid"`
		ServiceSid  string          `json:"service_sid"`
		ErrorCode   json.RawMessage `json:"error_code"`
		MoreInfo    json.RawMessage `json:"more_info"`
		Webhook     *struct {
			Request *struct {
				URL        string          `json:"url"`
				Method     string          `json:"method"`
				Parameters json.RawMessage `json:"parameters"`
			} `json:"request"`
			Response *struct {
				StatusCode json.RawMessage `json:"status_code"`
				Headers    json.RawMessage `json:"headers"`
				Body       string          `json:"body"`
			} `json:"response"`
		} `json:"webhook"`
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return Event{}, malformed("Payload is not a JSON object: %v", err)
	}
	code, err := codeOf(p.ErrorCode)
	if err != nil {
		return Event{}, err
	}
	e.Code, e.ResourceSid, e.ServiceSid, e.Text = code, p.ResourceSid, p.ServiceSid, moreInfo(p.MoreInfo)
	if w := p.Webhook; w != nil && w.Request != nil {
		hook := &Webhook{URL: w.Request.URL, Method: w.Request.Method}
		if hook.Parameters, err = values(w.Request.Parameters); err != nil {
			return Event{}, err
		}
		if r := w.Response; r != nil {
			hook.Answered = true
			if len(r.StatusCode) > 0 && string(r.StatusCode) != "null" {
				n, err := strconv.Atoi(strings.Trim(string(r.StatusCode), `"`))
				if err != nil || n < 100 || n > 999 {
					return Event{}, malformed("webhook.response.status_code %s is not an HTTP status", clip(string(r.StatusCode)))
				}
				hook.Status = n
			}
			if hook.Header, err = headers(r.Headers); err != nil {
				return Event{}, err
			}
			hook.Body = []byte(r.Body)
		}
		e.Webhook = hook
	}
	return e, nil
}

// alertJSON is a Monitor Alert, as the Monitor Alerts API answers it.
type alertJSON struct {
	Sid              string          `json:"sid"`
	AccountSid       string          `json:"account_sid"`
	ErrorCode        json.RawMessage `json:"error_code"`
	LogLevel         string          `json:"log_level"`
	AlertText        string          `json:"alert_text"`
	MoreInfo         string          `json:"more_info"`
	ResourceSid      string          `json:"resource_sid"`
	ServiceSid       string          `json:"service_sid"`
	DateGenerated    string          `json:"date_generated"`
	DateCreated      string          `json:"date_created"`
	RequestURL       string          `json:"request_url"`
	RequestMethod    string          `json:"request_method"`
	RequestVariables string          `json:"request_variables"`
	ResponseBody     *string         `json:"response_body"`
	ResponseHeaders  string          `json:"response_headers"`
}

// ParseAlert parses one Monitor Alert (JSON: error_code, alert_text,
// request_url, request_variables, response_body, response_headers,
// more_info, …).
func ParseAlert(data []byte) (Event, error) {
	if len(data) > MaxPayloadBytes {
		return Event{}, malformed("alert is %d bytes, over %d", len(data), MaxPayloadBytes)
	}
	var a alertJSON
	if err := json.Unmarshal(data, &a); err != nil {
		return Event{}, malformed("the alert is not a JSON object: %v", err)
	}
	return a.event()
}

// ParseAlerts parses a page of the Monitor Alerts list: {"alerts": [...]}.
func ParseAlerts(data []byte) ([]Event, error) {
	var page struct {
		Alerts []json.RawMessage `json:"alerts"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		return nil, malformed("not an alerts list: %v", err)
	}
	if page.Alerts == nil {
		return nil, malformed(`not an alerts list: no "alerts" key`)
	}
	out := make([]Event, 0, len(page.Alerts))
	for i, raw := range page.Alerts {
		e, err := ParseAlert(raw)
		if err != nil {
			return nil, fmt.Errorf("alert %d: %w", i+1, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func (a alertJSON) event() (Event, error) {
	code, err := codeOf(a.ErrorCode)
	if err != nil {
		return Event{}, err
	}
	e := Event{Sid: a.Sid, AccountSid: a.AccountSid, Level: strings.ToUpper(a.LogLevel), Code: code,
		ResourceSid: a.ResourceSid, ServiceSid: a.ServiceSid, Text: alertText(a.AlertText)}
	for _, ts := range []string{a.DateGenerated, a.DateCreated} {
		if t, err := parseTime(ts); err == nil {
			e.Time = t
			break
		}
	}
	if a.RequestURL != "" {
		hook := &Webhook{URL: a.RequestURL, Method: a.RequestMethod}
		if hook.Parameters, err = url.ParseQuery(a.RequestVariables); err != nil {
			return Event{}, malformed("request_variables is not form-encoded")
		}
		if a.ResponseBody != nil || a.ResponseHeaders != "" {
			hook.Answered = true
			hook.Body = []byte(deref(a.ResponseBody))
			hook.Header = http.Header{}
			if v, err := url.ParseQuery(a.ResponseHeaders); err == nil {
				for k, vs := range v {
					hook.Header[http.CanonicalHeaderKey(k)] = vs
				}
			}
			// The Monitor API keeps no status field; alert_text carries it
			// as httpResponse when Twilio noted one. 0: unknown.
			if v, err := url.ParseQuery(a.AlertText); err == nil {
				if n, err := strconv.Atoi(v.Get("httpResponse")); err == nil {
					hook.Status = n
				}
			}
		}
		e.Webhook = hook
	}
	return e, nil
}

// parseTime reads the dates the Monitor API writes: ISO 8601, or RFC 1123.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC1123Z, s)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// codeOf reads error_code, a number or a string of digits.
func codeOf(raw json.RawMessage) (oosc.Code, error) {
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	if s == "" || s == "null" {
		return 0, malformed("no error_code")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 999999 {
		return 0, malformed("error_code %q is not a Twilio code", clip(s))
	}
	return oosc.Code(n), nil
}

// moreInfo is what Twilio says in more_info: a string, or an object with
// a msg (or Msg).
func moreInfo(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) == nil {
		for _, k := range []string{"msg", "Msg"} {
			if v, ok := m[k].(string); ok {
				return v
			}
		}
	}
	return ""
}

// alertText is the Msg of an alert_text (form-encoded), or the text as is.
func alertText(s string) string {
	if v, err := url.ParseQuery(s); err == nil {
		if msg := v.Get("Msg"); msg != "" {
			return msg
		}
	}
	return s
}

// values reads request parameters: an object of strings (or of lists of
// strings), or a form-encoded string.
func values(raw json.RawMessage) (url.Values, error) {
	out := url.Values{}
	if len(raw) == 0 || string(raw) == "null" {
		return out, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		v, err := url.ParseQuery(s)
		if err != nil {
			return nil, malformed("webhook.request.parameters is not form-encoded")
		}
		return v, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, malformed("webhook.request.parameters is not an object")
	}
	for k, v := range m {
		var one string
		var many []string
		switch {
		case json.Unmarshal(v, &one) == nil:
			out.Add(k, one)
		case json.Unmarshal(v, &many) == nil:
			out[k] = append(out[k], many...)
		default:
			out.Add(k, strings.Trim(string(v), `"`))
		}
	}
	return out, nil
}

// headers reads response headers: an object of strings or of lists.
func headers(raw json.RawMessage) (http.Header, error) {
	h := http.Header{}
	if len(raw) == 0 || string(raw) == "null" {
		return h, nil
	}
	v, err := values(raw)
	if err != nil {
		return nil, malformed("webhook.response.headers is not an object")
	}
	for k, vs := range v {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	return h, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// clipTo cuts s to n bytes at most, marking the cut.
func clipTo(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"

	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/judge"
)

// Exchange is a webhook the emulator sent and what came of it: the
// request and its answer (or why none came) and how long it took, in
// its Webhook, and, for the out-of-session callback, how package judge
// found the answer. It is the webhooks' history (Proxy.Webhooks,
// Options.OnWebhook, GET /emulator/webhooks) and a contact's
// Result.Callback: the emulator's own account of a webhook, as
// callbacktest.Response is a test's.
type Exchange struct {
	// ServiceSid is the SID of the Service whose webhook it was.
	ServiceSid string
	// Webhook is the request as sent, and the answer as received (its
	// whole body in a Result, its first MaxLoggedBodyBytes in the
	// history), or why none came (Error); its Latency, on the wall clock,
	// is 0 while the answer is awaited.
	Webhook debugger.Webhook
	// Err is the transport failure (refused, reset, timed out), whose
	// text is Webhook.Error, for errors.Is and errors.As; nil when an
	// answer came, or while it is awaited.
	Err error
	// Verdict is the judge's on an out-of-session callback's answer,
	// made from the whole answer: its LoggedCodes are the contact's Codes
	// for an answer Proxy refuses. The zero Verdict for the other
	// webhooks, and while the answer is awaited.
	Verdict judge.Verdict
}

// InFlight reports whether the answer is still awaited: neither an
// answer nor a failure is recorded yet.
func (x Exchange) InFlight() bool { return !x.Webhook.Answered && x.Err == nil }

// exchangeJSON is an Exchange's JSON.
type exchangeJSON struct {
	ServiceSid string           `json:"serviceSid,omitempty"`
	Webhook    debugger.Webhook `json:"webhook"`
	InFlight   bool             `json:"inFlight,omitempty"`
	Verdict    *judge.Verdict   `json:"verdict,omitempty"`
}

// MarshalJSON writes the exchange as GET /emulator/webhooks lists it:
// serviceSid, webhook (package debugger's Webhook JSON: the request; the
// answer's status, headers and body as a string, or why none came,
// error; latency, a Go duration such as "12.5ms"), inFlight while the
// answer is awaited, and, for an out-of-session callback's answer,
// verdict (package judge's Verdict JSON: valid, kind, channel, codes,
// problems).
func (x Exchange) MarshalJSON() ([]byte, error) {
	j := exchangeJSON{ServiceSid: x.ServiceSid, Webhook: x.Webhook, InFlight: x.InFlight()}
	if x.Webhook.Kind == debugger.WebhookOutOfSession && !x.InFlight() {
		j.Verdict = &x.Verdict
	}
	return json.Marshal(j)
}

// cloneExchange copies an exchange deeply, so that what the emulator
// returns shares nothing with what it keeps.
func cloneExchange(x Exchange) Exchange {
	x.Webhook = cloneWebhook(x.Webhook)
	x.Verdict.Problems = slices.Clone(x.Verdict.Problems)
	if s := x.Verdict.Session; s != nil {
		c := *s
		x.Verdict.Session = &c
	}
	return x
}

func cloneWebhook(w debugger.Webhook) debugger.Webhook {
	w.Parameters = url.Values(http.Header(w.Parameters).Clone())
	w.Header = w.Header.Clone()
	w.Body = slices.Clone(w.Body)
	return w
}

// Webhooks returns the webhooks sent, oldest first, each with what came
// of it (its answer body clipped to MaxLoggedBodyBytes): the latest
// Options.MaxWebhooks of them. One whose answer is awaited is InFlight.
func (p *Proxy) Webhooks() []Exchange {
	p.lock()
	defer p.mu.Unlock()
	return cloneExchanges(p.hooks.all())
}

func cloneExchanges(xs []Exchange) []Exchange {
	for i := range xs {
		xs[i] = cloneExchange(xs[i])
	}
	return xs
}

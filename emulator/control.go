package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
)

// The control API: the world outside Proxy. See [NewServer].

// control serves one control call: who may call it, its method, its body.
func (s *server) control(method string, do func(r *http.Request, body []byte) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.mayControl(r) {
			writeError(w, &apiError{status: http.StatusUnauthorized, code: oosc.CodePermissionDenied, message: "Authenticate"})
			return
		}
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: 20004, message: "Method not allowed"})
			return
		}
		var body []byte
		if method == http.MethodPost {
			// Every POST says it is JSON, even an empty reset: a web page
			// can send a form or text/plain without asking, not JSON.
			if !isJSONType(r.Header.Get("Content-Type")) {
				writeError(w, &apiError{status: http.StatusUnsupportedMediaType, code: oosc.CodeBadParameters, message: "the control API takes application/json"})
				return
			}
			var err error
			if body, err = readBody(w, r, s.o.MaxBodyBytes); err != nil {
				writeError(w, asAPIError(err))
				return
			}
		}
		status, v, err := do(r, body)
		switch {
		case err != nil:
			writeError(w, asAPIError(err))
		case v == nil:
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, status, v)
		}
	})
}

// decodeControl reads a control call's JSON body into v: one object of
// the keys given, each once and exactly as written, nothing after it.
func decodeControl(body []byte, v any, keys ...string) error {
	given, err := checkJSONObject(body, 4)
	switch {
	case err != nil:
		return badRequest("the body must be one JSON object: %v", err)
	case given == nil:
		return badRequest("the body must be one JSON object")
	}
	for _, k := range given {
		if !slices.Contains(keys, k) {
			return badRequest("unknown key %q: the keys are %s", clip(k), strings.Join(keys, ", "))
		}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return badRequest("the body must be one JSON object of the documented keys: %v", err)
	}
	return nil
}

// inboundRequest is the body of POST /emulator/inbound: a call or a
// message reaching a Proxy number. Service may be "" when the emulator
// has exactly one Service. Duration, for a call, is how long it lasts in
// seconds: a routed call then ends at once (see Proxy.EndCall); without
// it the call goes on.
type inboundRequest struct {
	Service  string   `json:"service"`
	Channel  string   `json:"channel"` // voice or sms (messaging: a synonym)
	From     string   `json:"from"`
	To       string   `json:"to"`
	Body     string   `json:"body,omitempty"`
	Media    []string `json:"media,omitempty"`
	Duration *int64   `json:"duration,omitempty"`
}

func (s *server) inbound(r *http.Request, body []byte) (int, any, error) {
	var in inboundRequest
	if err := decodeControl(body, &in, "service", "channel", "from", "to", "body", "media", "duration"); err != nil {
		return 0, nil, err
	}
	ch, err := oosc.ParseChannel(in.Channel)
	if err != nil {
		return 0, nil, badRequest("channel %q is not voice or sms", clip(in.Channel))
	}
	if in.From == "" || in.To == "" {
		return 0, nil, badRequest("an inbound contact needs from and to")
	}
	if in.Duration != nil && (ch != oosc.Voice || *in.Duration < 0 || *in.Duration > MaxTTLSeconds) {
		return 0, nil, badRequest("duration is a call's length in seconds, from 0 to %d", MaxTTLSeconds)
	}
	service := in.Service
	if service == "" {
		all := s.p.Services()
		if len(all) != 1 {
			return 0, nil, badRequest("name the service: the emulator has %d Services", len(all))
		}
		service = all[0].Sid
	}
	res, err := s.p.Inbound(r.Context(), service, oosc.Inbound{Channel: ch, From: in.From, To: in.To, Body: in.Body, Media: in.Media})
	if err != nil {
		return 0, nil, err
	}
	if in.Duration != nil && res.Interaction != "" {
		if _, err := s.p.EndCall(r.Context(), service, res.Session, res.Interaction, time.Duration(*in.Duration)*time.Second); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, res, nil
}

// clockRequest is the body of POST /emulator/clock: advance by a
// duration ("2h", "90s"), or move to a time (RFC 3339); one of them.
type clockRequest struct {
	Advance string `json:"advance,omitempty"`
	Now     string `json:"now,omitempty"`
}

// clockAnswer is the answer of POST /emulator/clock: the clock, and the
// events its move caused (80904 for each Session that expired).
type clockAnswer struct {
	Now    time.Time        `json:"now"`
	Events []debugger.Event `json:"events"`
}

func (s *server) clock(_ *http.Request, body []byte) (int, any, error) {
	var c clockRequest
	if err := decodeControl(body, &c, "advance", "now"); err != nil {
		return 0, nil, err
	}
	var events []debugger.Event
	var err error
	switch {
	case (c.Advance == "") == (c.Now == ""):
		return 0, nil, badRequest("give advance (a duration such as \"2h\") or now (RFC 3339), one of them")
	case c.Advance != "":
		d, perr := time.ParseDuration(c.Advance)
		if perr != nil || d < 0 {
			return 0, nil, badRequest("advance %q is not a duration of 0 or more, such as \"2h\" or \"90s\"", clip(c.Advance))
		}
		events, err = s.p.Advance(d)
	default:
		t, perr := time.Parse(time.RFC3339, c.Now)
		if perr != nil {
			return 0, nil, badRequest("now %q is not an RFC 3339 time", clip(c.Now))
		}
		events, err = s.p.AdvanceTo(t)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return 0, nil, badRequest("%s", e.Message)
		}
		return 0, nil, err
	}
	if events == nil {
		events = []debugger.Event{}
	}
	return http.StatusOK, clockAnswer{Now: s.p.Now(), Events: events}, nil
}

// deliveries answers a page of the deliveries' log, oldest first.
func (s *server) deliveries(r *http.Request, _ []byte) (int, any, error) {
	return logPage(r, "deliveries", s.p, func(p *Proxy, from, n int) ([]Delivery, int, int, int) {
		items, next := ringPage(p.sent, from, n)
		return cloneDeliveries(items), next, p.sent.dropped(), p.sent.total
	})
}

// webhooks answers a page of the webhooks' history, oldest first: each
// webhook with its answer, latency, failure and verdict (Exchange's
// JSON).
func (s *server) webhooks(r *http.Request, _ []byte) (int, any, error) {
	return logPage(r, "webhooks", s.p, func(p *Proxy, from, n int) ([]Exchange, int, int, int) {
		items, next := ringPage(p.hooks, from, n)
		return cloneExchanges(items), next, p.hooks.dropped(), p.hooks.total
	})
}

// events answers a page of the events' log, oldest first: each event as
// package debugger models it, with its explanation.
func (s *server) events(r *http.Request, _ []byte) (int, any, error) {
	return logPage(r, "events", s.p, func(p *Proxy, from, n int) ([]debugger.Event, int, int, int) {
		items, next := p.events.after(from, p.events.total, n)
		return cloneEvents(items), next, p.events.dropped(), p.events.total
	})
}

// ringPage returns the first n entries r holds at positions from on, and
// the position after the last.
func ringPage[T any](r *ring[T], from, n int) ([]T, int) {
	from = max(from, r.dropped())
	items := r.slice(from, from+n)
	return items, from + len(items)
}

// logPage answers a page of a bounded log as Proxy's lists page, oldest
// first: PageSize (default 50, at most 1,000), Page and PageToken, the
// meta object, and dropped, how many entries the log no longer holds.
// read copies, under the lock, the first n entries held at positions
// from on, and says the position after the last, how many the log
// dropped, and how many it was given. A page token is a position in the
// log, so that paging is not thrown off by the entries dropped meanwhile.
func logPage[V any](r *http.Request, key string, p *Proxy, read func(p *Proxy, from, n int) (items []V, next, dropped, total int)) (int, any, error) {
	form, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return 0, nil, badRequest("the query is not well-formed: %v", err)
	}
	q := &request{r: r, form: form, base: base(r)}
	pg, err := pageOf(form)
	if err != nil {
		return 0, nil, err
	}
	var items []V
	var next, dropped, total int
	func() {
		p.lock()
		defer p.mu.Unlock()
		items, next, dropped, total = read(p, pg.offset, pg.size)
	}()
	from := min(pg.offset, total)
	answer := pageAnswer(q, key, pg, from, max(next, from), total, items).(map[string]any)
	answer["dropped"] = dropped
	return http.StatusOK, answer, nil
}

func (s *server) reset(_ *http.Request, body []byte) (int, any, error) {
	if len(bytes.TrimSpace(body)) > 0 {
		var none struct{}
		if err := decodeControl(body, &none); err != nil {
			return 0, nil, badRequest("reset takes no parameters: an empty body or {}")
		}
	}
	s.p.Reset()
	return 0, nil, nil
}

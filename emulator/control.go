package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/oosc-dev/oosc"
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

// decodeControl reads a control call's JSON body into v: one object, no
// unknown key, nothing after it.
func decodeControl(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("the body must be one JSON object of the documented keys: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("the body must be one JSON object, with nothing after it")
	}
	return nil
}

// InboundRequest is the body of POST /emulator/inbound: a call or a
// message reaching a Proxy number. Service may be "" when the emulator
// has exactly one Service.
type InboundRequest struct {
	Service string   `json:"service"`
	Channel string   `json:"channel"` // voice or sms (messaging: a synonym)
	From    string   `json:"from"`
	To      string   `json:"to"`
	Body    string   `json:"body,omitempty"`
	Media   []string `json:"media,omitempty"`
}

func (s *server) inbound(r *http.Request, body []byte) (int, any, error) {
	var in InboundRequest
	if err := decodeControl(body, &in); err != nil {
		return 0, nil, err
	}
	ch, err := oosc.ParseChannel(in.Channel)
	if err != nil {
		return 0, nil, badRequest("channel %q is not voice or sms", clip(in.Channel))
	}
	if in.From == "" || in.To == "" {
		return 0, nil, badRequest("an inbound contact needs from and to")
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
	return http.StatusOK, res, nil
}

// ClockRequest is the body of POST /emulator/clock: advance by a
// duration ("2h", "90s"), or move to a time (RFC 3339); one of them.
type ClockRequest struct {
	Advance string `json:"advance,omitempty"`
	Now     string `json:"now,omitempty"`
}

// ClockAnswer is the answer of POST /emulator/clock: the clock, and the
// events its move caused (80904 for each Session that expired).
type ClockAnswer struct {
	Now    time.Time `json:"now"`
	Events []Event   `json:"events"`
}

func (s *server) clock(_ *http.Request, body []byte) (int, any, error) {
	var c ClockRequest
	if err := decodeControl(body, &c); err != nil {
		return 0, nil, err
	}
	var to time.Time
	switch {
	case (c.Advance == "") == (c.Now == ""):
		return 0, nil, badRequest("give advance (a duration such as \"2h\") or now (RFC 3339), one of them")
	case c.Advance != "":
		d, err := time.ParseDuration(c.Advance)
		if err != nil || d < 0 {
			return 0, nil, badRequest("advance %q is not a duration of 0 or more, such as \"2h\" or \"90s\"", clip(c.Advance))
		}
		to = s.p.Now().Add(d)
	default:
		t, err := time.Parse(time.RFC3339, c.Now)
		if err != nil {
			return 0, nil, badRequest("now %q is not an RFC 3339 time", clip(c.Now))
		}
		to = t
	}
	events, err := s.p.Advance(to)
	if err != nil {
		return 0, nil, badRequest("%s", err.Error())
	}
	if events == nil {
		events = []Event{}
	}
	return http.StatusOK, ClockAnswer{Now: s.p.Now(), Events: events}, nil
}

func (s *server) deliveries(*http.Request, []byte) (int, any, error) {
	d := s.p.Deliveries()
	if d == nil {
		d = []Delivery{}
	}
	return http.StatusOK, map[string]any{"deliveries": d}, nil
}

// EventView is an event as GET /emulator/events shows it: with Twilio's
// title of its code and its cause in words.
type EventView struct {
	Event
	Title        string `json:"title"`
	CauseDetails string `json:"causeDetails,omitempty"`
}

func viewEvents(events []Event) []EventView {
	out := make([]EventView, len(events))
	for i, e := range events {
		out[i] = EventView{Event: e, Title: e.Code.Title()}
		if e.Cause != "" {
			out[i].CauseDetails = e.Cause.Describe()
		}
	}
	return out
}

func (s *server) events(*http.Request, []byte) (int, any, error) {
	return http.StatusOK, map[string]any{"events": viewEvents(s.p.Events())}, nil
}

func (s *server) reset(_ *http.Request, body []byte) (int, any, error) {
	if len(bytes.TrimSpace(body)) > 0 {
		var none struct{}
		if err := decodeControl(body, &none); err != nil {
			return 0, nil, badRequest("reset takes no parameters")
		}
	}
	s.p.Reset()
	return 0, nil, nil
}

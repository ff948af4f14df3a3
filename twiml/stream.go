package twiml

import "github.com/beevik/etree"

// This file builds the media verbs: <Connect>, <Start> and <Stop> with
// <Stream>, <Siprec> and <Room>; <Refer>; <Pay> with <Prompt>; and <Echo>.

// ConnectAttrs are the attributes of <Connect>.
type ConnectAttrs struct {
	Action string // TwiML to run when the connection ends
	Method Method
	Extra  []Attr
}

// Connect connects the call to a stream, a room or an AI service; add the
// one to connect to on the returned [*Connect].
func (r *VoiceResponse) Connect(a *ConnectAttrs) *Connect {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("action", a.Action)
		t.method("method", a.Method)
		x = a.Extra
	}
	return &Connect{d: &r.doc, el: r.element(r.top(), "Connect", t, x)}
}

// Connect adds what a <Connect> connects the call to.
type Connect struct {
	d  *doc
	el *etree.Element
}

// StreamAttrs are the attributes of <Stream>.
type StreamAttrs struct {
	URL                  string // the wss:// URL to stream to; required in <Start> and <Connect>
	Name                 string // names the stream, so that <Stop> can stop it
	ConnectorName        string
	Track                string // inbound_track, outbound_track, both_tracks
	StatusCallback       string
	StatusCallbackMethod Method
	Extra                []Attr
}

func (a *StreamAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("url", a.URL)
	t.str("name", a.Name)
	t.str("connectorName", a.ConnectorName)
	t.str("track", a.Track)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	return t, a.Extra
}

// Stream connects the call's audio, both ways, to a WebSocket.
func (c *Connect) Stream(a *StreamAttrs) *Stream {
	t, x := a.typed()
	return &Stream{d: c.d, el: c.d.element(c.el, "Stream", t, x)}
}

// RoomAttrs are the attributes of <Room>.
type RoomAttrs struct {
	ParticipantIdentity string
	Extra               []Attr
}

// Room connects the call to the named Twilio Video room.
func (c *Connect) Room(name string, a *RoomAttrs) *Connect {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("participantIdentity", a.ParticipantIdentity)
		x = a.Extra
	}
	text(c.d.element(c.el, "Room", t, x), name)
	return c
}

// Stream adds the custom parameters of a <Stream>.
type Stream struct {
	d  *doc
	el *etree.Element
}

// Parameter passes a custom parameter to the stream's WebSocket.
func (s *Stream) Parameter(name, value string) *Stream {
	parameter(s.d, s.el, name, value)
	return s
}

// parameter adds <Parameter name value> to el.
func parameter(d *doc, el *etree.Element, name, value string) {
	nameValue(d, el, "Parameter", name, value)
}

// nameValue adds <tag name value> to el: the shape of <Parameter>,
// <Config> and <Header>.
func nameValue(d *doc, el *etree.Element, tag, name, value string) {
	var t attrs
	t.str("name", name)
	t.str("value", value)
	d.element(el, tag, t, nil)
}

// StartAttrs are the attributes of <Start>.
type StartAttrs struct {
	Action string
	Method Method
	Extra  []Attr
}

// Start starts something that runs beside the call, such as a stream or a
// SIPREC recording; add it on the returned [*Start].
func (r *VoiceResponse) Start(a *StartAttrs) *Start {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("action", a.Action)
		t.method("method", a.Method)
		x = a.Extra
	}
	return &Start{d: &r.doc, el: r.element(r.top(), "Start", t, x)}
}

// Start adds what a <Start> starts.
type Start struct {
	d  *doc
	el *etree.Element
}

// Stream forks the call's audio to a WebSocket while the call goes on.
func (s *Start) Stream(a *StreamAttrs) *Stream {
	t, x := a.typed()
	return &Stream{d: s.d, el: s.d.element(s.el, "Stream", t, x)}
}

// SiprecAttrs are the attributes of <Siprec>.
type SiprecAttrs struct {
	Name                 string
	ConnectorName        string // the SIPREC connector; required in <Start>
	Track                string // inbound_track, outbound_track, both_tracks
	StatusCallback       string
	StatusCallbackMethod Method
	Extra                []Attr
}

func (a *SiprecAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("name", a.Name)
	t.str("connectorName", a.ConnectorName)
	t.str("track", a.Track)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	return t, a.Extra
}

// Siprec starts recording the call with a SIPREC connector.
func (s *Start) Siprec(a *SiprecAttrs) *Siprec {
	t, x := a.typed()
	return &Siprec{d: s.d, el: s.d.element(s.el, "Siprec", t, x)}
}

// Siprec adds the custom parameters of a <Siprec>.
type Siprec struct {
	d  *doc
	el *etree.Element
}

// Parameter passes a custom parameter to the SIPREC connector.
func (s *Siprec) Parameter(name, value string) *Siprec {
	parameter(s.d, s.el, name, value)
	return s
}

// Stop stops what a <Start> started; name it on the returned [*Stop].
func (r *VoiceResponse) Stop() *Stop {
	return &Stop{d: &r.doc, el: r.element(r.top(), "Stop", nil, nil)}
}

// Stop names what a <Stop> stops.
type Stop struct {
	d  *doc
	el *etree.Element
}

// Stream stops the stream of that name.
func (s *Stop) Stream(name string) *Stop {
	s.d.element(s.el, "Stream", attrs{{"name", name}}, nil)
	return s
}

// Siprec stops the SIPREC recording of that name.
func (s *Stop) Siprec(name string) *Stop {
	s.d.element(s.el, "Siprec", attrs{{"name", name}}, nil)
	return s
}

// ReferAttrs are the attributes of <Refer>.
type ReferAttrs struct {
	Action string
	Method Method
	Extra  []Attr
}

// Refer transfers a SIP call to the target the returned [*Refer] names.
func (r *VoiceResponse) Refer(a *ReferAttrs) *Refer {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("action", a.Action)
		t.method("method", a.Method)
		x = a.Extra
	}
	return &Refer{d: &r.doc, el: r.element(r.top(), "Refer", t, x)}
}

// Refer names the transfer target of a <Refer>.
type Refer struct {
	d  *doc
	el *etree.Element
}

// Sip is the SIP URI to transfer the call to.
func (f *Refer) Sip(uri string) *Refer {
	text(f.d.element(f.el, "Sip", nil, nil), uri)
	return f
}

// Echo plays the caller's audio back to them, for testing a connection.
func (r *VoiceResponse) Echo() { r.element(r.top(), "Echo", nil, nil) }

// PayAttrs are the attributes of <Pay>.
type PayAttrs struct {
	Input                string // dtmf
	Action               string
	BankAccountType      string // consumer-checking, consumer-savings, commercial-checking
	StatusCallback       string
	StatusCallbackMethod Method
	Timeout              *int // seconds to wait for each digit
	MaxAttempts          *int
	SecurityCode         *bool
	PostalCode           string // true, false, or the postal code itself
	MinPostalCodeLength  *int
	PaymentConnector     string
	PaymentMethod        string // credit-card or ach-debit
	TokenType            string // one-time, reusable, payment-method
	ChargeAmount         string // such as 10.00; none for a tokenization
	Currency             string // such as usd
	Description          string
	ValidCardTypes       []string // visa, mastercard, amex, ...
	Language             string
	Extra                []Attr
}

// Pay collects a card or bank payment by keypad; add prompts and
// parameters on the returned [*Pay].
func (r *VoiceResponse) Pay(a *PayAttrs) *Pay {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("input", a.Input)
		t.str("action", a.Action)
		t.str("bankAccountType", a.BankAccountType)
		t.str("statusCallback", a.StatusCallback)
		t.method("statusCallbackMethod", a.StatusCallbackMethod)
		t.int("timeout", a.Timeout)
		t.int("maxAttempts", a.MaxAttempts)
		t.bool("securityCode", a.SecurityCode)
		t.str("postalCode", a.PostalCode)
		t.int("minPostalCodeLength", a.MinPostalCodeLength)
		t.str("paymentConnector", a.PaymentConnector)
		t.str("paymentMethod", a.PaymentMethod)
		t.str("tokenType", a.TokenType)
		t.str("chargeAmount", a.ChargeAmount)
		t.str("currency", a.Currency)
		t.str("description", a.Description)
		t.list("validCardTypes", a.ValidCardTypes)
		t.str("language", a.Language)
		x = a.Extra
	}
	return &Pay{d: &r.doc, el: r.element(r.top(), "Pay", t, x)}
}

// Pay adds the prompts and parameters of a <Pay>.
type Pay struct {
	d  *doc
	el *etree.Element
}

// PromptAttrs are the attributes of <Prompt>.
type PromptAttrs struct {
	For                   string   // what is asked: payment-card-number, bank-routing-number, ...
	ErrorType             []string // the errors it answers: timeout, invalid-card-number, invalid-bank-routing-number, ...
	CardType              []string
	Attempt               []string // attempt numbers, such as 1 2
	RequireMatchingInputs *bool
	Extra                 []Attr
}

// Prompt replaces what <Pay> says for one step; say it on the returned [*Prompt].
func (p *Pay) Prompt(a *PromptAttrs) *Prompt {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("for", a.For)
		t.list("errorType", a.ErrorType)
		t.list("cardType", a.CardType)
		t.list("attempt", a.Attempt)
		t.bool("requireMatchingInputs", a.RequireMatchingInputs)
		x = a.Extra
	}
	return &Prompt{d: p.d, el: p.d.element(p.el, "Prompt", t, x)}
}

// Parameter passes a custom parameter to the payment connector.
func (p *Pay) Parameter(name, value string) *Pay {
	parameter(p.d, p.el, name, value)
	return p
}

// Prompt adds what a <Prompt> says or plays.
type Prompt struct {
	d  *doc
	el *etree.Element
}

// Say speaks the prompt.
func (p *Prompt) Say(text string, a *SayAttrs) *SSML { return p.d.say(p.el, text, a) }

// Play plays an audio prompt.
func (p *Prompt) Play(url string, a *PlayAttrs) *Prompt {
	p.d.play(p.el, url, a)
	return p
}

// Pause waits silently.
func (p *Prompt) Pause(a *PauseAttrs) *Prompt {
	p.d.pause(p.el, a)
	return p
}

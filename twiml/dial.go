package twiml

import "github.com/beevik/etree"

// This file builds the <Dial> nouns that have nouns of their own (<Client>
// with <Identity>, <Sip> with <Uri> and <Headers>, <Application>), and
// those added after the first release: <Sim> and <WhatsApp>.

// ClientWith dials a Voice SDK client named by [Client.Identity], with the
// custom parameters given on the returned [*Client].
func (d *Dial) ClientWith(a *ClientAttrs) *Client {
	t, x := a.typed()
	return &Client{d: d.d, el: d.d.element(d.el, "Client", t, x)}
}

// Client adds the identity and the parameters of a <Client>.
type Client struct {
	d  *doc
	el *etree.Element
}

// Identity names the client to dial.
func (c *Client) Identity(identity string) *Client {
	text(c.d.element(c.el, "Identity", nil, nil), identity)
	return c
}

// Parameter passes a custom parameter to the client.
func (c *Client) Parameter(name, value string) *Client {
	parameter(c.d, c.el, name, value)
	return c
}

// SipWith dials the SIP URIs given on the returned [*Sip], in order of
// priority, with the SIP headers given there.
func (d *Dial) SipWith(a *SipAttrs) *Sip {
	t, x := a.typed()
	return &Sip{d: d.d, el: d.d.element(d.el, "Sip", t, x)}
}

// Sip adds the URIs and headers of a <Sip>.
type Sip struct {
	d       *doc
	el      *etree.Element
	headers *etree.Element
}

// URIAttrs are the attributes of <Uri>.
type URIAttrs struct {
	Priority *int // lower is tried first
	Weight   *int // share of calls among URIs of the same priority
	Username string
	Password string
	Extra    []Attr
}

// URI adds a SIP URI to try (<Uri>).
func (s *Sip) URI(uri string, a *URIAttrs) *Sip {
	var t attrs
	var x []Attr
	if a != nil {
		t.int("priority", a.Priority)
		t.int("weight", a.Weight)
		t.str("username", a.Username)
		t.str("password", a.Password)
		x = a.Extra
	}
	text(s.d.element(s.el, "Uri", t, x), uri)
	return s
}

// Header adds a SIP header to send, in the <Sip>'s one <Headers>.
func (s *Sip) Header(name, value string) *Sip {
	if s.headers == nil {
		s.headers = s.d.element(s.el, "Headers", nil, nil)
	}
	nameValue(s.d, s.headers, "Header", name, value)
	return s
}

// ApplicationAttrs are the attributes of <Application>.
type ApplicationAttrs struct {
	CallbackAttrs
	CustomerID   string // the caller's identifier, passed to the application
	CopyParentTo *bool  // use the parent call's To as the application call's To
	Extra        []Attr
}

// Application dials a TwiML Application by its SID (AP...), or "" to give
// the SID with [Application.ApplicationSid]. Add parameters on the returned
// [*Application].
func (d *Dial) Application(sid string, a *ApplicationAttrs) *Application {
	var t attrs
	var x []Attr
	if a != nil {
		a.CallbackAttrs.add(&t)
		t.str("customerId", a.CustomerID)
		t.bool("copyParentTo", a.CopyParentTo)
		x = a.Extra
	}
	el := d.d.element(d.el, "Application", t, x)
	text(el, sid)
	return &Application{d: d.d, el: el}
}

// Application adds the SID and the parameters of an <Application>.
type Application struct {
	d  *doc
	el *etree.Element
}

// ApplicationSid names the application to dial (AP...).
func (p *Application) ApplicationSid(sid string) *Application {
	text(p.d.element(p.el, "ApplicationSid", nil, nil), sid)
	return p
}

// Parameter passes a custom parameter to the application.
func (p *Application) Parameter(name, value string) *Application {
	parameter(p.d, p.el, name, value)
	return p
}

// Sim dials a Programmable Wireless SIM by its SID (DE...).
func (d *Dial) Sim(sid string) *Dial {
	text(d.d.element(d.el, "Sim", nil, nil), sid)
	return d
}

// WhatsAppAttrs are the attributes of <WhatsApp>.
type WhatsAppAttrs struct {
	CallbackAttrs
	Extra []Attr
}

// WhatsApp dials a WhatsApp user by phone number (E.164).
func (d *Dial) WhatsApp(number string, a *WhatsAppAttrs) *Dial {
	var t attrs
	var x []Attr
	if a != nil {
		a.CallbackAttrs.add(&t)
		x = a.Extra
	}
	text(d.d.element(d.el, "WhatsApp", t, x), number)
	return d
}

// SmsAttrs are the attributes of <Sms>.
type SmsAttrs struct {
	To             string // default: the caller
	From           string // default: the number called
	Action         string
	Method         Method
	StatusCallback string
	Extra          []Attr
}

// Sms sends a text message during the call.
//
// Deprecated: Twilio deprecated <Sms>; send the message with the REST API
// instead. The validator reports it as deprecated (a warning).
func (r *VoiceResponse) Sms(message string, a *SmsAttrs) {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("to", a.To)
		t.str("from", a.From)
		t.str("action", a.Action)
		t.method("method", a.Method)
		t.str("statusCallback", a.StatusCallback)
		x = a.Extra
	}
	text(r.element(r.top(), "Sms", t, x), message)
}

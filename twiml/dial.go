package twiml

// This file builds the nouns of <Dial>: whom to call.

// CallbackAttrs are the attributes shared by the <Number>, <Client>, <Sip>,
// <Application> and <WhatsApp> nouns.
type CallbackAttrs struct {
	URL                  string // TwiML run for the called party before connecting
	Method               Method
	StatusCallback       string
	StatusCallbackMethod Method
	StatusCallbackEvent  []string // initiated, ringing, answered, completed
}

func (a *CallbackAttrs) add(t *attrs) {
	t.str("url", a.URL)
	t.method("method", a.Method)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	t.list("statusCallbackEvent", a.StatusCallbackEvent)
}

// MachineDetectionAttrs are the answering machine detection attributes of
// <Number> and <Sip>.
type MachineDetectionAttrs struct {
	MachineDetection                   string // Enable or DetectMessageEnd
	MachineDetectionTimeout            *int   // seconds, 3 to 60
	MachineDetectionSpeechThreshold    *int   // milliseconds, 1000 to 6000
	MachineDetectionSpeechEndThreshold *int   // milliseconds, 500 to 5000
	MachineDetectionSilenceTimeout     *int   // milliseconds, 2000 to 10000
	AmdStatusCallback                  string
	AmdStatusCallbackMethod            Method
}

func (a *MachineDetectionAttrs) add(t *attrs) {
	t.str("machineDetection", a.MachineDetection)
	t.int("machineDetectionTimeout", a.MachineDetectionTimeout)
	t.int("machineDetectionSpeechThreshold", a.MachineDetectionSpeechThreshold)
	t.int("machineDetectionSpeechEndThreshold", a.MachineDetectionSpeechEndThreshold)
	t.int("machineDetectionSilenceTimeout", a.MachineDetectionSilenceTimeout)
	t.str("amdStatusCallback", a.AmdStatusCallback)
	t.method("amdStatusCallbackMethod", a.AmdStatusCallbackMethod)
}

// NumberAttrs are the attributes of <Number>.
type NumberAttrs struct {
	CallbackAttrs
	MachineDetectionAttrs
	SendDigits string // DTMF to send when the call connects
	BYOC       string // BYOC trunk SID (BY...)
	Extra      []Attr
}

func (a *NumberAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	a.CallbackAttrs.add(&t)
	a.MachineDetectionAttrs.add(&t)
	t.str("sendDigits", a.SendDigits)
	t.str("byoc", a.BYOC)
	return t, a.Extra
}

// Number is a <Number>.
type Number struct{ node }

// Number dials a phone number.
func (d *Dial) Number(number string, a *NumberAttrs) *Number {
	t, x := a.typed()
	return &Number{d.add("Number", t, x, number)}
}

// ClientAttrs are the attributes of <Client>.
type ClientAttrs struct {
	CallbackAttrs
	ClientNotificationURL string // asked (with POST) to wake a mobile client with a push notification
	Extra                 []Attr
}

func (a *ClientAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	a.CallbackAttrs.add(&t)
	t.str("clientNotificationUrl", a.ClientNotificationURL)
	return t, a.Extra
}

// Client is a <Client>: add its <Identity> and parameters on it.
type Client struct{ node }

// Client dials a Voice SDK client: pass its identity as text, or "" and
// name it with [Client.Identity], beside custom parameters.
func (d *Dial) Client(identity string, a *ClientAttrs) *Client {
	t, x := a.typed()
	return &Client{d.add("Client", t, x, identity)}
}

// Identity is an <Identity>.
type Identity struct{ node }

// Identity names the client to dial.
func (c *Client) Identity(identity string) *Identity {
	return &Identity{c.add("Identity", nil, nil, identity)}
}

// Parameter passes a custom parameter to the client.
func (c *Client) Parameter(name, value string) *Parameter { return c.parameter(name, value) }

// SipAttrs are the attributes of <Sip>.
type SipAttrs struct {
	CallbackAttrs
	MachineDetectionAttrs
	Username string
	Password string
	Extra    []Attr
}

func (a *SipAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	a.CallbackAttrs.add(&t)
	a.MachineDetectionAttrs.add(&t)
	t.str("username", a.Username)
	t.str("password", a.Password)
	return t, a.Extra
}

// Sip is a <Sip>: in <Dial>, add the URIs to try and the SIP headers to
// send on it; in <Refer>, the transfer target.
type Sip struct {
	node
	headers *node // its one <Headers>, made by the first Header
}

// Sip dials a SIP URI (sip:alice@example.com); pass "" and add several
// URIs, in order of priority, with [Sip.URI].
func (d *Dial) Sip(uri string, a *SipAttrs) *Sip {
	t, x := a.typed()
	return &Sip{node: d.add("Sip", t, x, uri)}
}

// URIAttrs are the attributes of <Uri>.
type URIAttrs struct {
	Priority *int // lower is tried first
	Weight   *int // share of calls among URIs of the same priority
	Username string
	Password string
	Extra    []Attr
}

func (a *URIAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.int("priority", a.Priority)
	t.int("weight", a.Weight)
	t.str("username", a.Username)
	t.str("password", a.Password)
	return t, a.Extra
}

// URI is a <Uri>.
type URI struct{ node }

// URI adds a SIP URI to try.
func (s *Sip) URI(uri string, a *URIAttrs) *URI {
	t, x := a.typed()
	return &URI{s.add("Uri", t, x, uri)}
}

// Header is a <Header> of a <Sip>'s <Headers>.
type Header struct{ node }

// Header adds a SIP header to send, in the <Sip>'s one <Headers>.
func (s *Sip) Header(name, value string) *Header {
	if s.headers == nil {
		h := s.add("Headers", nil, nil, "")
		s.headers = &h
	}
	return &Header{s.headers.nameValue("Header", name, value)}
}

// ConferenceAttrs are the attributes of <Conference>.
type ConferenceAttrs struct {
	Muted                         *bool
	Beep                          string // true, false, onEnter, onExit
	StartConferenceOnEnter        *bool
	EndConferenceOnExit           *bool
	WaitURL                       string
	WaitMethod                    Method
	MaxParticipants               *int   // 1 to 250
	Record                        string // do-not-record or record-from-start
	Region                        string // us1, us2, ie1, de1, sg1, br1, au1, jp1
	Trim                          string // trim-silence or do-not-trim
	Coach                         string // call SID (CA...) of the participant to coach
	JitterBufferSize              string // small, medium, large, off
	ParticipantLabel              string
	StatusCallback                string
	StatusCallbackMethod          Method
	StatusCallbackEvent           []string // start end join leave mute hold modify speaker announcement
	RecordingStatusCallback       string
	RecordingStatusCallbackMethod Method
	RecordingStatusCallbackEvent  []string // in-progress, completed, absent
	EventCallbackURL              string
	RecordingConfigurationID      string
	Extra                         []Attr
}

func (a *ConferenceAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.bool("muted", a.Muted)
	t.str("beep", a.Beep)
	t.bool("startConferenceOnEnter", a.StartConferenceOnEnter)
	t.bool("endConferenceOnExit", a.EndConferenceOnExit)
	t.str("waitUrl", a.WaitURL)
	t.method("waitMethod", a.WaitMethod)
	t.int("maxParticipants", a.MaxParticipants)
	t.str("record", a.Record)
	t.str("region", a.Region)
	t.str("trim", a.Trim)
	t.str("coach", a.Coach)
	t.str("jitterBufferSize", a.JitterBufferSize)
	t.str("participantLabel", a.ParticipantLabel)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	t.list("statusCallbackEvent", a.StatusCallbackEvent)
	t.str("recordingStatusCallback", a.RecordingStatusCallback)
	t.method("recordingStatusCallbackMethod", a.RecordingStatusCallbackMethod)
	t.list("recordingStatusCallbackEvent", a.RecordingStatusCallbackEvent)
	t.str("eventCallbackUrl", a.EventCallbackURL)
	t.str("recordingConfigurationId", a.RecordingConfigurationID)
	return t, a.Extra
}

// Conference is a <Conference>.
type Conference struct{ node }

// Conference joins the caller to the named conference room.
func (d *Dial) Conference(name string, a *ConferenceAttrs) *Conference {
	t, x := a.typed()
	return &Conference{d.add("Conference", t, x, name)}
}

// QueueAttrs are the attributes of <Queue>.
type QueueAttrs struct {
	URL                 string
	Method              Method
	ReservationSid      string // WR...
	PostWorkActivitySid string // WA...
	Extra               []Attr
}

func (a *QueueAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("url", a.URL)
	t.method("method", a.Method)
	t.str("reservationSid", a.ReservationSid)
	t.str("postWorkActivitySid", a.PostWorkActivitySid)
	return t, a.Extra
}

// Queue is a <Queue>.
type Queue struct{ node }

// Queue connects the caller to the first call waiting in the named queue.
func (d *Dial) Queue(name string, a *QueueAttrs) *Queue {
	t, x := a.typed()
	return &Queue{d.add("Queue", t, x, name)}
}

// ApplicationAttrs are the attributes of <Application>.
type ApplicationAttrs struct {
	CallbackAttrs
	CustomerID   string // the caller's identifier, passed to the application
	CopyParentTo *bool  // use the parent call's To as the application call's To
	Extra        []Attr
}

func (a *ApplicationAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	a.CallbackAttrs.add(&t)
	t.str("customerId", a.CustomerID)
	t.bool("copyParentTo", a.CopyParentTo)
	return t, a.Extra
}

// Application is an <Application>: add its SID and parameters on it.
type Application struct{ node }

// Application dials a TwiML Application by its SID (AP...), or "" to give
// the SID with [Application.ApplicationSid].
func (d *Dial) Application(sid string, a *ApplicationAttrs) *Application {
	t, x := a.typed()
	return &Application{d.add("Application", t, x, sid)}
}

// ApplicationSid is an <ApplicationSid>.
type ApplicationSid struct{ node }

// ApplicationSid names the application to dial (AP...).
func (p *Application) ApplicationSid(sid string) *ApplicationSid {
	return &ApplicationSid{p.add("ApplicationSid", nil, nil, sid)}
}

// Parameter passes a custom parameter to the application.
func (p *Application) Parameter(name, value string) *Parameter { return p.parameter(name, value) }

// Sim is a <Sim>.
type Sim struct{ node }

// Sim dials a Programmable Wireless SIM by its SID (DE...).
func (d *Dial) Sim(sid string) *Sim { return &Sim{d.add("Sim", nil, nil, sid)} }

// WhatsAppAttrs are the attributes of <WhatsApp>.
type WhatsAppAttrs struct {
	CallbackAttrs
	Extra []Attr
}

func (a *WhatsAppAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	a.CallbackAttrs.add(&t)
	return t, a.Extra
}

// WhatsApp is a <WhatsApp>.
type WhatsApp struct{ node }

// WhatsApp dials a WhatsApp user by phone number (E.164).
func (d *Dial) WhatsApp(number string, a *WhatsAppAttrs) *WhatsApp {
	t, x := a.typed()
	return &WhatsApp{d.add("WhatsApp", t, x, number)}
}

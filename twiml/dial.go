package twiml

// This file builds the nouns of <Dial>: whom to call.

// CallbackAttrs are the attributes shared by the <Number>, <Client>, <Sip>,
// <Application> and <WhatsApp> nouns.
type CallbackAttrs struct {
	URL                  string   `twiml:"url"` // TwiML run for the called party before connecting
	Method               Method   `twiml:"method"`
	StatusCallback       string   `twiml:"statusCallback"`
	StatusCallbackMethod Method   `twiml:"statusCallbackMethod"`
	StatusCallbackEvent  []string `twiml:"statusCallbackEvent"` // initiated, ringing, answered, completed
}

// MachineDetectionAttrs are the answering machine detection attributes of
// <Number> and <Sip>.
type MachineDetectionAttrs struct {
	MachineDetection                   string `twiml:"machineDetection"`                   // Enable or DetectMessageEnd
	MachineDetectionTimeout            *int   `twiml:"machineDetectionTimeout"`            // seconds, 3 to 60
	MachineDetectionSpeechThreshold    *int   `twiml:"machineDetectionSpeechThreshold"`    // milliseconds, 1000 to 6000
	MachineDetectionSpeechEndThreshold *int   `twiml:"machineDetectionSpeechEndThreshold"` // milliseconds, 500 to 5000
	MachineDetectionSilenceTimeout     *int   `twiml:"machineDetectionSilenceTimeout"`     // milliseconds, 2000 to 10000
	AmdStatusCallback                  string `twiml:"amdStatusCallback"`
	AmdStatusCallbackMethod            Method `twiml:"amdStatusCallbackMethod"`
}

// NumberAttrs are the attributes of <Number>.
type NumberAttrs struct {
	CallbackAttrs
	MachineDetectionAttrs
	SendDigits string `twiml:"sendDigits"` // DTMF to send when the call connects
	BYOC       string `twiml:"byoc"`       // BYOC trunk SID (BY...)
	Extra      []Attr
}

// Number is a <Number>.
type Number struct{ node }

// Number dials a phone number.
func (d *Dial) Number(number string, a *NumberAttrs) *Number {
	return &Number{d.add("Number", a, number)}
}

// ClientAttrs are the attributes of <Client>.
type ClientAttrs struct {
	CallbackAttrs
	ClientNotificationURL string `twiml:"clientNotificationUrl"` // asked (with POST) to wake a mobile client with a push notification
	Extra                 []Attr
}

// Client is a <Client>: add its <Identity> and parameters on it.
type Client struct{ node }

// Client dials a Voice SDK client: pass its identity as text, or "" and
// name it with [Client.Identity], beside custom parameters.
func (d *Dial) Client(identity string, a *ClientAttrs) *Client {
	return &Client{d.add("Client", a, identity)}
}

// Identity is an <Identity>.
type Identity struct{ node }

// Identity names the client to dial.
func (c *Client) Identity(identity string) *Identity {
	return &Identity{c.add("Identity", nil, identity)}
}

// Parameter passes a custom parameter to the client.
func (c *Client) Parameter(name, value string) *Parameter { return c.parameter(name, value) }

// SIPAttrs are the attributes of <Sip>.
type SIPAttrs struct {
	CallbackAttrs
	MachineDetectionAttrs
	Username string `twiml:"username"`
	Password string `twiml:"password"`
	Extra    []Attr
}

// SIP is a <Sip>: in <Dial>, add the URIs to try and the SIP headers to
// send on it; in <Refer>, the transfer target.
type SIP struct {
	node
	headers *node // its one <Headers>, made by the first Header
}

// SIP dials a SIP URI (sip:alice@example.com); pass "" and add several
// URIs, in order of priority, with [SIP.URI].
func (d *Dial) SIP(uri string, a *SIPAttrs) *SIP {
	return &SIP{node: d.add("Sip", a, uri)}
}

// URIAttrs are the attributes of <Uri>.
type URIAttrs struct {
	Priority *int   `twiml:"priority"` // lower is tried first
	Weight   *int   `twiml:"weight"`   // share of calls among URIs of the same priority
	Username string `twiml:"username"`
	Password string `twiml:"password"`
	Extra    []Attr
}

// URI is a <Uri>.
type URI struct{ node }

// URI adds a SIP URI to try.
func (s *SIP) URI(uri string, a *URIAttrs) *URI {
	return &URI{s.add("Uri", a, uri)}
}

// Header is a <Header> of a <Sip>'s <Headers>.
type Header struct{ node }

// Header adds a SIP header to send, in the <Sip>'s one <Headers>.
func (s *SIP) Header(name, value string) *Header {
	if s.headers == nil {
		h := s.add("Headers", nil, "")
		s.headers = &h
	}
	return &Header{s.headers.nameValue("Header", name, value)}
}

// ConferenceAttrs are the attributes of <Conference>.
type ConferenceAttrs struct {
	Muted                         *bool    `twiml:"muted"`
	Beep                          string   `twiml:"beep"` // true, false, onEnter, onExit
	StartConferenceOnEnter        *bool    `twiml:"startConferenceOnEnter"`
	EndConferenceOnExit           *bool    `twiml:"endConferenceOnExit"`
	WaitURL                       string   `twiml:"waitUrl"`
	WaitMethod                    Method   `twiml:"waitMethod"`
	MaxParticipants               *int     `twiml:"maxParticipants"`  // 1 to 250
	Record                        string   `twiml:"record"`           // do-not-record or record-from-start
	Region                        string   `twiml:"region"`           // us1, us2, ie1, de1, sg1, br1, au1, jp1
	Trim                          string   `twiml:"trim"`             // trim-silence or do-not-trim
	Coach                         string   `twiml:"coach"`            // call SID (CA...) of the participant to coach
	JitterBufferSize              string   `twiml:"jitterBufferSize"` // small, medium, large, off
	ParticipantLabel              string   `twiml:"participantLabel"`
	StatusCallback                string   `twiml:"statusCallback"`
	StatusCallbackMethod          Method   `twiml:"statusCallbackMethod"`
	StatusCallbackEvent           []string `twiml:"statusCallbackEvent"` // start end join leave mute hold modify speaker announcement
	RecordingStatusCallback       string   `twiml:"recordingStatusCallback"`
	RecordingStatusCallbackMethod Method   `twiml:"recordingStatusCallbackMethod"`
	RecordingStatusCallbackEvent  []string `twiml:"recordingStatusCallbackEvent"` // in-progress, completed, absent
	EventCallbackURL              string   `twiml:"eventCallbackUrl"`
	RecordingConfigurationID      string   `twiml:"recordingConfigurationId"`
	Extra                         []Attr
}

// Conference is a <Conference>.
type Conference struct{ node }

// Conference joins the caller to the named conference room.
func (d *Dial) Conference(name string, a *ConferenceAttrs) *Conference {
	return &Conference{d.add("Conference", a, name)}
}

// QueueAttrs are the attributes of <Queue>.
type QueueAttrs struct {
	URL                 string `twiml:"url"`
	Method              Method `twiml:"method"`
	ReservationSid      string `twiml:"reservationSid"`      // WR...
	PostWorkActivitySid string `twiml:"postWorkActivitySid"` // WA...
	Extra               []Attr
}

// Queue is a <Queue>.
type Queue struct{ node }

// Queue connects the caller to the first call waiting in the named queue.
func (d *Dial) Queue(name string, a *QueueAttrs) *Queue {
	return &Queue{d.add("Queue", a, name)}
}

// ApplicationAttrs are the attributes of <Application>.
type ApplicationAttrs struct {
	CallbackAttrs
	CustomerID   string `twiml:"customerId"`   // the caller's identifier, passed to the application
	CopyParentTo *bool  `twiml:"copyParentTo"` // use the parent call's To as the application call's To
	Extra        []Attr
}

// Application is an <Application>: add its SID and parameters on it.
type Application struct{ node }

// Application dials a TwiML Application by its SID (AP...), or "" to give
// the SID with [Application.ApplicationSid].
func (d *Dial) Application(sid string, a *ApplicationAttrs) *Application {
	return &Application{d.add("Application", a, sid)}
}

// ApplicationSid is an <ApplicationSid>.
type ApplicationSid struct{ node }

// ApplicationSid names the application to dial (AP...).
func (p *Application) ApplicationSid(sid string) *ApplicationSid {
	return &ApplicationSid{p.add("ApplicationSid", nil, sid)}
}

// Parameter passes a custom parameter to the application.
func (p *Application) Parameter(name, value string) *Parameter { return p.parameter(name, value) }

// Sim is a <Sim>.
type Sim struct{ node }

// Sim dials a Programmable Wireless SIM by its SID (DE...).
func (d *Dial) Sim(sid string) *Sim { return &Sim{d.add("Sim", nil, sid)} }

// WhatsAppAttrs are the attributes of <WhatsApp>.
type WhatsAppAttrs struct {
	CallbackAttrs
	Extra []Attr
}

// WhatsApp is a <WhatsApp>.
type WhatsApp struct{ node }

// WhatsApp dials a WhatsApp user by phone number (E.164).
func (d *Dial) WhatsApp(number string, a *WhatsAppAttrs) *WhatsApp {
	return &WhatsApp{d.add("WhatsApp", a, number)}
}

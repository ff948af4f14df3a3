package twiml

import "github.com/beevik/etree"

// VoiceResponse builds voice TwiML: the answer to an inbound call.
//
// Its zero value is an empty voice response, ready to use, as
// NewVoiceResponse returns. A response is not safe for concurrent
// building; once built, it may be written out from many goroutines.
type VoiceResponse struct{ doc }

// NewVoiceResponse returns an empty voice response (<Response/>).
func NewVoiceResponse() *VoiceResponse { return &VoiceResponse{} }

// Channel returns [Voice].
func (r *VoiceResponse) Channel() Channel { return Voice }

// Validate validates the written document for voice in strict mode.
func (r *VoiceResponse) Validate() Report { return r.validate(Voice) }

// SayAttrs are the attributes of <Say>.
type SayAttrs struct {
	Voice    string // man, woman, Polly.<Name>[-Neural|-Generative], Google.<locale>-<model>-<variant>
	Language string // a language tag such as en-US
	Loop     *int   // times to repeat; 0 repeats until the call ends
	Extra    []Attr
}

func (a *SayAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("voice", a.Voice)
	t.str("language", a.Language)
	t.int("loop", a.Loop)
	return t, a.Extra
}

// Say speaks text. Use the returned [*SSML] to add SSML after the text.
func (r *VoiceResponse) Say(text string, a *SayAttrs) *SSML { return r.say(r.top(), text, a) }

// say, play and pause add <Say>, <Play> and <Pause> to parent: the verbs
// that <Response>, <Gather> and <Prompt> share.
func (d *doc) say(parent *etree.Element, content string, a *SayAttrs) *SSML {
	t, x := a.typed()
	s := &SSML{d: d, el: d.element(parent, "Say", t, x)}
	return s.Text(content)
}

func (d *doc) play(parent *etree.Element, url string, a *PlayAttrs) {
	t, x := a.typed()
	text(d.element(parent, "Play", t, x), url)
}

func (d *doc) pause(parent *etree.Element, a *PauseAttrs) {
	t, x := a.typed()
	d.element(parent, "Pause", t, x)
}

// PlayAttrs are the attributes of <Play>.
type PlayAttrs struct {
	Loop   *int   // times to repeat; 0 repeats until the call ends
	Digits string // DTMF tones to play instead of a URL (not inside <Gather>)
	Extra  []Attr
}

func (a *PlayAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.int("loop", a.Loop)
	t.str("digits", a.Digits)
	return t, a.Extra
}

// Play plays the audio file at url ("" when Digits is set).
func (r *VoiceResponse) Play(url string, a *PlayAttrs) { r.play(r.top(), url, a) }

// PauseAttrs are the attributes of <Pause>.
type PauseAttrs struct {
	Length *int // seconds; default 1
	Extra  []Attr
}

func (a *PauseAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.int("length", a.Length)
	return t, a.Extra
}

// Pause waits silently.
func (r *VoiceResponse) Pause(a *PauseAttrs) { r.pause(r.top(), a) }

// DialAttrs are the attributes of <Dial>.
type DialAttrs struct {
	Action                        string
	Method                        Method
	Timeout                       *int // seconds to ring, 5 to 600
	HangupOnStar                  *bool
	TimeLimit                     *int // seconds, at most 14400 (86400 with 24-hour calls)
	CallerID                      string
	Record                        string // do-not-record, record-from-answer, record-from-ringing, record-from-answer-dual, record-from-ringing-dual
	Trim                          string // trim-silence or do-not-trim
	RecordingStatusCallback       string
	RecordingStatusCallbackMethod Method
	RecordingStatusCallbackEvent  []string // in-progress, completed, absent
	RecordingTrack                string   // both, inbound, outbound
	AnswerOnBridge                *bool
	RingTone                      string // a two-letter country code such as us, or us-old
	Sequential                    *bool
	ReferURL                      string
	ReferMethod                   Method
	Events                        string // call-progress-event
	RecordingConfigurationID      string
	CallReason                    string // up to 50 characters, shown by Branded Calls
	CallerDisplayName             string // 2 to 255 characters
	Passports                     string
	Extra                         []Attr
}

func (a *DialAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("action", a.Action)
	t.method("method", a.Method)
	t.int("timeout", a.Timeout)
	t.bool("hangupOnStar", a.HangupOnStar)
	t.int("timeLimit", a.TimeLimit)
	t.str("callerId", a.CallerID)
	t.str("record", a.Record)
	t.str("trim", a.Trim)
	t.str("recordingStatusCallback", a.RecordingStatusCallback)
	t.method("recordingStatusCallbackMethod", a.RecordingStatusCallbackMethod)
	t.list("recordingStatusCallbackEvent", a.RecordingStatusCallbackEvent)
	t.str("recordingTrack", a.RecordingTrack)
	t.bool("answerOnBridge", a.AnswerOnBridge)
	t.str("ringTone", a.RingTone)
	t.bool("sequential", a.Sequential)
	t.str("referUrl", a.ReferURL)
	t.method("referMethod", a.ReferMethod)
	t.str("events", a.Events)
	t.str("recordingConfigurationId", a.RecordingConfigurationID)
	t.str("callReason", a.CallReason)
	t.str("callerDisplayName", a.CallerDisplayName)
	t.str("passports", a.Passports)
	return t, a.Extra
}

// Dial connects the caller to another party. Pass the number as text, or ""
// and add nouns to the returned [*Dial].
func (r *VoiceResponse) Dial(number string, a *DialAttrs) *Dial {
	t, x := a.typed()
	el := r.element(r.top(), "Dial", t, x)
	text(el, number)
	return &Dial{d: &r.doc, el: el}
}

// Dial adds the nouns of a <Dial>: whom to call.
type Dial struct {
	d  *doc
	el *etree.Element
}

// CallbackAttrs are the attributes shared by the <Number>, <Client> and <Sip> nouns.
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

// NumberAttrs are the attributes of <Number>.
type NumberAttrs struct {
	CallbackAttrs
	SendDigits                         string // DTMF to send when the call connects
	MachineDetection                   string // Enable or DetectMessageEnd
	MachineDetectionTimeout            *int   // seconds, 3 to 60
	MachineDetectionSpeechThreshold    *int   // milliseconds, 1000 to 6000
	MachineDetectionSpeechEndThreshold *int   // milliseconds, 500 to 5000
	MachineDetectionSilenceTimeout     *int   // milliseconds, 2000 to 10000
	AmdStatusCallback                  string
	AmdStatusCallbackMethod            Method
	BYOC                               string // BYOC trunk SID (BY...)
	Extra                              []Attr
}

// Number dials a phone number.
func (d *Dial) Number(number string, a *NumberAttrs) *Dial {
	var t attrs
	var x []Attr
	if a != nil {
		a.CallbackAttrs.add(&t)
		t.str("sendDigits", a.SendDigits)
		t.amd(a.MachineDetection, a.MachineDetectionTimeout, a.MachineDetectionSpeechThreshold,
			a.MachineDetectionSpeechEndThreshold, a.MachineDetectionSilenceTimeout,
			a.AmdStatusCallback, a.AmdStatusCallbackMethod)
		t.str("byoc", a.BYOC)
		x = a.Extra
	}
	text(d.d.element(d.el, "Number", t, x), number)
	return d
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

// Client dials a Voice SDK client by identity. To pass it parameters, use
// [Dial.ClientWith].
func (d *Dial) Client(identity string, a *ClientAttrs) *Dial {
	t, x := a.typed()
	text(d.d.element(d.el, "Client", t, x), identity)
	return d
}

// SipAttrs are the attributes of <Sip>.
type SipAttrs struct {
	CallbackAttrs
	Username                           string
	Password                           string
	MachineDetection                   string // Enable or DetectMessageEnd
	MachineDetectionTimeout            *int   // seconds, 3 to 60
	MachineDetectionSpeechThreshold    *int   // milliseconds, 1000 to 6000
	MachineDetectionSpeechEndThreshold *int   // milliseconds, 500 to 5000
	MachineDetectionSilenceTimeout     *int   // milliseconds, 2000 to 10000
	AmdStatusCallback                  string
	AmdStatusCallbackMethod            Method
	Extra                              []Attr
}

func (a *SipAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	a.CallbackAttrs.add(&t)
	t.str("username", a.Username)
	t.str("password", a.Password)
	t.amd(a.MachineDetection, a.MachineDetectionTimeout, a.MachineDetectionSpeechThreshold,
		a.MachineDetectionSpeechEndThreshold, a.MachineDetectionSilenceTimeout,
		a.AmdStatusCallback, a.AmdStatusCallbackMethod)
	return t, a.Extra
}

// Sip dials a SIP URI (sip:alice@example.com). To try several URIs or
// send SIP headers, use [Dial.SipWith].
func (d *Dial) Sip(uri string, a *SipAttrs) *Dial {
	t, x := a.typed()
	text(d.d.element(d.el, "Sip", t, x), uri)
	return d
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

// Conference joins the caller to the named conference room.
func (d *Dial) Conference(name string, a *ConferenceAttrs) *Dial {
	var t attrs
	var x []Attr
	if a != nil {
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
		x = a.Extra
	}
	text(d.d.element(d.el, "Conference", t, x), name)
	return d
}

// QueueAttrs are the attributes of <Queue>.
type QueueAttrs struct {
	URL                 string
	Method              Method
	ReservationSid      string // WR...
	PostWorkActivitySid string // WA...
	Extra               []Attr
}

// Queue connects the caller to the first call waiting in the named queue.
func (d *Dial) Queue(name string, a *QueueAttrs) *Dial {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("url", a.URL)
		t.method("method", a.Method)
		t.str("reservationSid", a.ReservationSid)
		t.str("postWorkActivitySid", a.PostWorkActivitySid)
		x = a.Extra
	}
	text(d.d.element(d.el, "Queue", t, x), name)
	return d
}

// GatherAttrs are the attributes of <Gather>.
type GatherAttrs struct {
	Input                       []string // dtmf, speech
	Action                      string
	Method                      Method
	Timeout                     *int    // seconds of silence before giving up
	FinishOnKey                 *string // one of 0-9, #, * or "" for none
	NumDigits                   *int
	SpeechTimeout               string // seconds, or auto
	Language                    string // a language tag such as en-US
	Hints                       string
	ProfanityFilter             *bool
	SpeechModel                 string
	ActionOnEmptyResult         *bool
	PartialResultCallback       string
	PartialResultCallbackMethod Method
	MaxSpeechTime               *int  // seconds of speech at most
	BargeIn                     *bool // whether speech or digits stop the prompts
	Debug                       *bool
	Enhanced                    *bool // deprecated: the premium phone_call model of Google STT V1
	Extra                       []Attr
}

// Gather collects digits or speech. Add prompts to the returned [*Gather].
func (r *VoiceResponse) Gather(a *GatherAttrs) *Gather {
	var t attrs
	var x []Attr
	if a != nil {
		t.list("input", a.Input)
		t.str("action", a.Action)
		t.method("method", a.Method)
		t.int("timeout", a.Timeout)
		t.strp("finishOnKey", a.FinishOnKey)
		t.int("numDigits", a.NumDigits)
		t.str("speechTimeout", a.SpeechTimeout)
		t.str("language", a.Language)
		t.str("hints", a.Hints)
		t.bool("profanityFilter", a.ProfanityFilter)
		t.str("speechModel", a.SpeechModel)
		t.bool("actionOnEmptyResult", a.ActionOnEmptyResult)
		t.str("partialResultCallback", a.PartialResultCallback)
		t.method("partialResultCallbackMethod", a.PartialResultCallbackMethod)
		t.int("maxSpeechTime", a.MaxSpeechTime)
		t.bool("bargeIn", a.BargeIn)
		t.bool("debug", a.Debug)
		t.bool("enhanced", a.Enhanced)
		x = a.Extra
	}
	return &Gather{d: &r.doc, el: r.element(r.top(), "Gather", t, x)}
}

// Gather adds the prompts played while gathering input.
type Gather struct {
	d  *doc
	el *etree.Element
}

// Say speaks a prompt.
func (g *Gather) Say(text string, a *SayAttrs) *SSML { return g.d.say(g.el, text, a) }

// Play plays an audio prompt. Digits is not allowed inside <Gather>.
func (g *Gather) Play(url string, a *PlayAttrs) *Gather {
	g.d.play(g.el, url, a)
	return g
}

// Pause waits silently.
func (g *Gather) Pause(a *PauseAttrs) *Gather {
	g.d.pause(g.el, a)
	return g
}

// RecordAttrs are the attributes of <Record>.
type RecordAttrs struct {
	Action                        string
	Method                        Method
	Timeout                       *int    // seconds of silence that end the recording; 0 disables
	FinishOnKey                   *string // keys that end the recording, from 0-9, # and *
	MaxLength                     *int    // seconds
	PlayBeep                      *bool
	Trim                          string // trim-silence or do-not-trim
	Transcribe                    *bool
	TranscribeCallback            string
	RecordingStatusCallback       string
	RecordingStatusCallbackMethod Method
	RecordingStatusCallbackEvent  []string // in-progress, completed, absent
	RecordingConfigurationID      string
	Extra                         []Attr
}

// Record records the caller.
func (r *VoiceResponse) Record(a *RecordAttrs) {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("action", a.Action)
		t.method("method", a.Method)
		t.int("timeout", a.Timeout)
		t.strp("finishOnKey", a.FinishOnKey)
		t.int("maxLength", a.MaxLength)
		t.bool("playBeep", a.PlayBeep)
		t.str("trim", a.Trim)
		t.bool("transcribe", a.Transcribe)
		t.str("transcribeCallback", a.TranscribeCallback)
		t.str("recordingStatusCallback", a.RecordingStatusCallback)
		t.method("recordingStatusCallbackMethod", a.RecordingStatusCallbackMethod)
		t.list("recordingStatusCallbackEvent", a.RecordingStatusCallbackEvent)
		t.str("recordingConfigurationId", a.RecordingConfigurationID)
		x = a.Extra
	}
	r.element(r.top(), "Record", t, x)
}

// Hangup ends the call. Add parameters for the call's status callback on
// the returned [*Hangup].
func (r *VoiceResponse) Hangup() *Hangup {
	return &Hangup{d: &r.doc, el: r.element(r.top(), "Hangup", nil, nil)}
}

// Hangup adds the parameters of a <Hangup>.
type Hangup struct {
	d  *doc
	el *etree.Element
}

// Parameter passes a custom parameter with the hang-up.
func (h *Hangup) Parameter(name, value string) *Hangup {
	parameter(h.d, h.el, name, value)
	return h
}

// Leave takes the caller out of the queue they were enqueued in.
func (r *VoiceResponse) Leave() { r.element(r.top(), "Leave", nil, nil) }

// RejectAttrs are the attributes of <Reject>.
type RejectAttrs struct {
	Reason string // rejected (default) or busy
	Extra  []Attr
}

// Reject declines the call without answering it (and without billing it,
// when it is the first verb). Add parameters on the returned [*Reject].
func (r *VoiceResponse) Reject(a *RejectAttrs) *Reject {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("reason", a.Reason)
		x = a.Extra
	}
	return &Reject{d: &r.doc, el: r.element(r.top(), "Reject", t, x)}
}

// Reject adds the parameters of a <Reject>.
type Reject struct {
	d  *doc
	el *etree.Element
}

// Parameter passes a custom parameter with the rejection.
func (j *Reject) Parameter(name, value string) *Reject {
	parameter(j.d, j.el, name, value)
	return j
}

// RedirectAttrs are the attributes of <Redirect>.
type RedirectAttrs struct {
	Method Method
	Extra  []Attr
}

func (a *RedirectAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.method("method", a.Method)
	return t, a.Extra
}

// Redirect continues the call with the TwiML at url.
func (r *VoiceResponse) Redirect(url string, a *RedirectAttrs) {
	t, x := a.typed()
	text(r.element(r.top(), "Redirect", t, x), url)
}

// EnqueueAttrs are the attributes of <Enqueue>.
type EnqueueAttrs struct {
	Action        string
	Method        Method
	WaitURL       string
	WaitURLMethod Method
	WorkflowSid   string // TaskRouter workflow (WW...)
	MaxQueueSize  *int   // calls the queue holds at most
	Extra         []Attr
}

// Enqueue puts the caller in the named queue ("" with WorkflowSid, to
// make a TaskRouter task: describe it on the returned [*Enqueue]).
func (r *VoiceResponse) Enqueue(name string, a *EnqueueAttrs) *Enqueue {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("action", a.Action)
		t.method("method", a.Method)
		t.str("waitUrl", a.WaitURL)
		t.method("waitUrlMethod", a.WaitURLMethod)
		t.str("workflowSid", a.WorkflowSid)
		t.int("maxQueueSize", a.MaxQueueSize)
		x = a.Extra
	}
	el := r.element(r.top(), "Enqueue", t, x)
	text(el, name)
	return &Enqueue{d: &r.doc, el: el}
}

// Enqueue adds the TaskRouter task of an <Enqueue>.
type Enqueue struct {
	d  *doc
	el *etree.Element
}

// TaskAttrs are the attributes of <Task>.
type TaskAttrs struct {
	Priority *int // 0 or more
	Timeout  *int // seconds, 1 or more
	Extra    []Attr
}

// Task makes a TaskRouter task with attributes, a JSON object such as
// {"language":"es"}.
func (e *Enqueue) Task(attributes string, a *TaskAttrs) *Enqueue {
	var t attrs
	var x []Attr
	if a != nil {
		t.int("priority", a.Priority)
		t.int("timeout", a.Timeout)
		x = a.Extra
	}
	text(e.d.element(e.el, "Task", t, x), attributes)
	return e
}

package twiml

import "github.com/oosc-dev/oosc"

// VoiceResponse builds voice TwiML: the answer to an inbound call.
//
// Its zero value is an empty voice response, ready to use, as
// NewVoiceResponse returns. A response is not safe for concurrent
// building; once built, it may be written out from many goroutines.
type VoiceResponse struct{ doc }

// NewVoiceResponse returns an empty voice response (<Response/>).
func NewVoiceResponse() *VoiceResponse { return &VoiceResponse{} }

// Channel returns [oosc.Voice].
func (r *VoiceResponse) Channel() oosc.Channel { return oosc.Voice }

// Validate checks the built document as voice TwiML in strict mode,
// without writing it out: the builders write well-formed XML by
// construction, so the schema checks are the ones that can fail. The size
// limit is a property of the bytes: [Validate] them when a document may be
// large.
func (r *VoiceResponse) Validate() oosc.Report { return r.validate(oosc.Voice) }

// SayAttrs are the attributes of <Say>.
type SayAttrs struct {
	Voice    string `twiml:"voice"`    // man, woman, Polly.<Name>[-Neural|-Generative], Google.<locale>-<model>-<variant>
	Language string `twiml:"language"` // a language tag such as en-US
	Loop     *int   `twiml:"loop"`     // times to repeat; 0 repeats until the call ends
	Extra    []Attr
}

// Say is a <Say>: text to speak, with SSML added through its methods
// after the text given.
type Say struct{ SSML }

// Say speaks text; add SSML on the returned [*Say].
func (r *VoiceResponse) Say(text string, a *SayAttrs) *Say { return r.top().say(text, a) }

// say, play and pause add <Say>, <Play> and <Pause>: the verbs that
// <Response>, <Gather> and <Prompt> share.
func (n node) say(text string, a *SayAttrs) *Say {
	return &Say{SSML{n.add("Say", a, text)}}
}

func (n node) play(url string, a *PlayAttrs) *Play {
	return &Play{n.add("Play", a, url)}
}

func (n node) pause(a *PauseAttrs) *Pause {
	return &Pause{n.add("Pause", a, "")}
}

// PlayAttrs are the attributes of <Play>.
type PlayAttrs struct {
	Loop   *int   `twiml:"loop"`   // times to repeat; 0 repeats until the call ends
	Digits string `twiml:"digits"` // DTMF tones to play instead of a URL (not inside <Gather>)
	Extra  []Attr
}

// Play is a <Play>: an audio file or DTMF tones.
type Play struct{ node }

// Play plays the audio file at url ("" when Digits is set).
func (r *VoiceResponse) Play(url string, a *PlayAttrs) *Play { return r.top().play(url, a) }

// PauseAttrs are the attributes of <Pause>.
type PauseAttrs struct {
	Length *int `twiml:"length"` // seconds; default 1
	Extra  []Attr
}

// Pause is a <Pause>: silence.
type Pause struct{ node }

// Pause waits silently.
func (r *VoiceResponse) Pause(a *PauseAttrs) *Pause { return r.top().pause(a) }

// DialAttrs are the attributes of <Dial>.
type DialAttrs struct {
	Action                        string   `twiml:"action"`
	Method                        Method   `twiml:"method"`
	Timeout                       *int     `twiml:"timeout"` // seconds to ring, 5 to 600
	HangupOnStar                  *bool    `twiml:"hangupOnStar"`
	TimeLimit                     *int     `twiml:"timeLimit"` // seconds, at most 14400 (86400 with 24-hour calls)
	CallerID                      string   `twiml:"callerId"`
	Record                        string   `twiml:"record"` // do-not-record, record-from-answer, record-from-ringing, record-from-answer-dual, record-from-ringing-dual
	Trim                          string   `twiml:"trim"`   // trim-silence or do-not-trim
	RecordingStatusCallback       string   `twiml:"recordingStatusCallback"`
	RecordingStatusCallbackMethod Method   `twiml:"recordingStatusCallbackMethod"`
	RecordingStatusCallbackEvent  []string `twiml:"recordingStatusCallbackEvent"` // in-progress, completed, absent
	RecordingTrack                string   `twiml:"recordingTrack"`               // both, inbound, outbound
	AnswerOnBridge                *bool    `twiml:"answerOnBridge"`
	RingTone                      string   `twiml:"ringTone"` // a two-letter country code such as us, or us-old
	Sequential                    *bool    `twiml:"sequential"`
	ReferURL                      string   `twiml:"referUrl"`
	ReferMethod                   Method   `twiml:"referMethod"`
	Events                        string   `twiml:"events"` // call-progress-event
	RecordingConfigurationID      string   `twiml:"recordingConfigurationId"`
	CallReason                    string   `twiml:"callReason"`        // up to 50 characters, shown by Branded Calls
	CallerDisplayName             string   `twiml:"callerDisplayName"` // 2 to 255 characters
	Passports                     string   `twiml:"passports"`
	Extra                         []Attr
}

// Dial is a <Dial>: add the nouns to call on it (Number, Client, SIP,
// Conference, ...), or give the number as the Dial's text.
type Dial struct{ node }

// Dial connects the caller to another party: pass the number as text, or
// "" and add nouns to the returned [*Dial].
func (r *VoiceResponse) Dial(number string, a *DialAttrs) *Dial {
	return &Dial{r.top().add("Dial", a, number)}
}

// GatherAttrs are the attributes of <Gather>.
type GatherAttrs struct {
	Input                       []string `twiml:"input"` // dtmf, speech
	Action                      string   `twiml:"action"`
	Method                      Method   `twiml:"method"`
	Timeout                     *int     `twiml:"timeout"`     // seconds of silence before giving up
	FinishOnKey                 *string  `twiml:"finishOnKey"` // one of 0-9, #, * or "" for none
	NumDigits                   *int     `twiml:"numDigits"`
	SpeechTimeout               string   `twiml:"speechTimeout"` // seconds, or auto
	Language                    string   `twiml:"language"`      // a language tag such as en-US
	Hints                       string   `twiml:"hints"`
	ProfanityFilter             *bool    `twiml:"profanityFilter"`
	SpeechModel                 string   `twiml:"speechModel"`
	ActionOnEmptyResult         *bool    `twiml:"actionOnEmptyResult"`
	PartialResultCallback       string   `twiml:"partialResultCallback"`
	PartialResultCallbackMethod Method   `twiml:"partialResultCallbackMethod"`
	MaxSpeechTime               *int     `twiml:"maxSpeechTime"` // seconds of speech at most
	BargeIn                     *bool    `twiml:"bargeIn"`       // whether speech or digits stop the prompts
	Debug                       *bool    `twiml:"debug"`
	// Enhanced selects the premium phone_call model of Google's speech
	// recognition V1.
	//
	// Deprecated: Twilio deprecated it and still documents it, at
	// https://www.twilio.com/docs/voice/twiml/gather: choose a model with
	// SpeechModel instead. The validator reports it as deprecated (a
	// warning).
	Enhanced *bool `twiml:"enhanced"`
	Extra    []Attr
}

// Gather is a <Gather>: add the prompts played while it listens.
type Gather struct{ node }

// Gather collects digits or speech; add prompts to the returned [*Gather].
func (r *VoiceResponse) Gather(a *GatherAttrs) *Gather {
	return &Gather{r.top().add("Gather", a, "")}
}

// Say speaks a prompt.
func (g *Gather) Say(text string, a *SayAttrs) *Say { return g.say(text, a) }

// Play plays an audio prompt. Digits is not allowed inside <Gather>.
func (g *Gather) Play(url string, a *PlayAttrs) *Play { return g.play(url, a) }

// Pause waits silently.
func (g *Gather) Pause(a *PauseAttrs) *Pause { return g.pause(a) }

// RecordAttrs are the attributes of <Record>.
type RecordAttrs struct {
	Action                        string   `twiml:"action"`
	Method                        Method   `twiml:"method"`
	Timeout                       *int     `twiml:"timeout"`     // seconds of silence that end the recording; 0 disables
	FinishOnKey                   *string  `twiml:"finishOnKey"` // keys that end the recording, from 0-9, # and *
	MaxLength                     *int     `twiml:"maxLength"`   // seconds
	PlayBeep                      *bool    `twiml:"playBeep"`
	Trim                          string   `twiml:"trim"` // trim-silence or do-not-trim
	Transcribe                    *bool    `twiml:"transcribe"`
	TranscribeCallback            string   `twiml:"transcribeCallback"`
	RecordingStatusCallback       string   `twiml:"recordingStatusCallback"`
	RecordingStatusCallbackMethod Method   `twiml:"recordingStatusCallbackMethod"`
	RecordingStatusCallbackEvent  []string `twiml:"recordingStatusCallbackEvent"` // in-progress, completed, absent
	RecordingConfigurationID      string   `twiml:"recordingConfigurationId"`
	Extra                         []Attr
}

// Record is a <Record>: a recording of the caller.
type Record struct{ node }

// Record records the caller.
func (r *VoiceResponse) Record(a *RecordAttrs) *Record {
	return &Record{r.top().add("Record", a, "")}
}

// Hangup is a <Hangup>: add parameters for the call's status callback on it.
type Hangup struct{ node }

// Hangup ends the call.
func (r *VoiceResponse) Hangup() *Hangup { return &Hangup{r.top().add("Hangup", nil, "")} }

// Parameter passes a custom parameter with the hang-up.
func (h *Hangup) Parameter(name, value string) *Parameter { return h.parameter(name, value) }

// Leave is a <Leave>.
type Leave struct{ node }

// Leave takes the caller out of the queue they were enqueued in.
func (r *VoiceResponse) Leave() *Leave { return &Leave{r.top().add("Leave", nil, "")} }

// RejectAttrs are the attributes of <Reject>.
type RejectAttrs struct {
	Reason string `twiml:"reason"` // rejected (default) or busy
	Extra  []Attr
}

// Reject is a <Reject>: add parameters on it.
type Reject struct{ node }

// Reject declines the call without answering it (and without billing it,
// when it is the first verb).
func (r *VoiceResponse) Reject(a *RejectAttrs) *Reject {
	return &Reject{r.top().add("Reject", a, "")}
}

// Parameter passes a custom parameter with the rejection.
func (j *Reject) Parameter(name, value string) *Parameter { return j.parameter(name, value) }

// RedirectAttrs are the attributes of <Redirect>.
type RedirectAttrs struct {
	Method Method `twiml:"method"`
	Extra  []Attr
}

// Redirect is a <Redirect>, of voice or messaging TwiML.
type Redirect struct{ node }

// Redirect continues the call with the TwiML at url.
func (r *VoiceResponse) Redirect(url string, a *RedirectAttrs) *Redirect {
	return &Redirect{r.top().add("Redirect", a, url)}
}

// EnqueueAttrs are the attributes of <Enqueue>.
type EnqueueAttrs struct {
	Action        string `twiml:"action"`
	Method        Method `twiml:"method"`
	WaitURL       string `twiml:"waitUrl"`
	WaitURLMethod Method `twiml:"waitUrlMethod"`
	WorkflowSid   string `twiml:"workflowSid"`  // TaskRouter workflow (WW...)
	MaxQueueSize  *int   `twiml:"maxQueueSize"` // calls the queue holds at most
	Extra         []Attr
}

// Enqueue is an <Enqueue>: describe its TaskRouter task on it.
type Enqueue struct{ node }

// Enqueue puts the caller in the named queue ("" with WorkflowSid, to make
// a TaskRouter task: describe it on the returned [*Enqueue]).
func (r *VoiceResponse) Enqueue(name string, a *EnqueueAttrs) *Enqueue {
	return &Enqueue{r.top().add("Enqueue", a, name)}
}

// TaskAttrs are the attributes of <Task>.
type TaskAttrs struct {
	Priority *int `twiml:"priority"` // 0 or more
	Timeout  *int `twiml:"timeout"`  // seconds, 1 or more
	Extra    []Attr
}

// Task is a <Task>.
type Task struct{ node }

// Task makes a TaskRouter task with attributes, a JSON object such as
// {"language":"es"}.
func (e *Enqueue) Task(attributes string, a *TaskAttrs) *Task {
	return &Task{e.add("Task", a, attributes)}
}

// SmsAttrs are the attributes of <Sms>.
type SmsAttrs struct {
	To             string `twiml:"to"`   // default: the caller
	From           string `twiml:"from"` // default: the number called
	Action         string `twiml:"action"`
	Method         Method `twiml:"method"`
	StatusCallback string `twiml:"statusCallback"`
	Extra          []Attr
}

// Sms is an <Sms>.
type Sms struct{ node }

// Sms sends a text message during the call.
//
// Deprecated: Twilio deprecated <Sms> and still documents it, at
// https://www.twilio.com/docs/voice/twiml/sms: send the message with the
// REST API instead. The validator reports it as deprecated (a warning).
func (r *VoiceResponse) Sms(message string, a *SmsAttrs) *Sms {
	return &Sms{r.top().add("Sms", a, message)}
}

// ReferAttrs are the attributes of <Refer>.
type ReferAttrs struct {
	Action string `twiml:"action"`
	Method Method `twiml:"method"`
	Extra  []Attr
}

// Refer is a <Refer>: name its transfer target on it.
type Refer struct{ node }

// Refer transfers a SIP call.
func (r *VoiceResponse) Refer(a *ReferAttrs) *Refer {
	return &Refer{r.top().add("Refer", a, "")}
}

// SIP names the SIP URI to transfer the call to (a <Sip>).
func (f *Refer) SIP(uri string) *SIP { return &SIP{node: f.add("Sip", nil, uri)} }

// Echo is an <Echo>.
type Echo struct{ node }

// Echo plays the caller's audio back to them, for testing a connection.
func (r *VoiceResponse) Echo() *Echo { return &Echo{r.top().add("Echo", nil, "")} }

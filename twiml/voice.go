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

// Say is a <Say>: text to speak, with SSML added through its methods
// after the text given.
type Say struct{ SSML }

// Say speaks text; add SSML on the returned [*Say].
func (r *VoiceResponse) Say(text string, a *SayAttrs) *Say { return r.top().say(text, a) }

// say, play and pause add <Say>, <Play> and <Pause>: the verbs that
// <Response>, <Gather> and <Prompt> share.
func (n node) say(text string, a *SayAttrs) *Say {
	t, x := a.typed()
	return &Say{SSML{n.add("Say", t, x, text)}}
}

func (n node) play(url string, a *PlayAttrs) *Play {
	t, x := a.typed()
	return &Play{n.add("Play", t, x, url)}
}

func (n node) pause(a *PauseAttrs) *Pause {
	t, x := a.typed()
	return &Pause{n.add("Pause", t, x, "")}
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

// Play is a <Play>: an audio file or DTMF tones.
type Play struct{ node }

// Play plays the audio file at url ("" when Digits is set).
func (r *VoiceResponse) Play(url string, a *PlayAttrs) *Play { return r.top().play(url, a) }

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

// Pause is a <Pause>: silence.
type Pause struct{ node }

// Pause waits silently.
func (r *VoiceResponse) Pause(a *PauseAttrs) *Pause { return r.top().pause(a) }

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

// Dial is a <Dial>: add the nouns to call on it (Number, Client, Sip,
// Conference, ...), or give the number as the Dial's text.
type Dial struct{ node }

// Dial connects the caller to another party: pass the number as text, or
// "" and add nouns to the returned [*Dial].
func (r *VoiceResponse) Dial(number string, a *DialAttrs) *Dial {
	t, x := a.typed()
	return &Dial{r.top().add("Dial", t, x, number)}
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
	// Enhanced selects the premium phone_call model of Google's speech
	// recognition V1.
	//
	// Deprecated: Twilio deprecated it and still documents it, at
	// https://www.twilio.com/docs/voice/twiml/gather: choose a model with
	// SpeechModel instead. The validator reports it as deprecated (a
	// warning).
	Enhanced *bool
	Extra    []Attr
}

func (a *GatherAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
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
	return t, a.Extra
}

// Gather is a <Gather>: add the prompts played while it listens.
type Gather struct{ node }

// Gather collects digits or speech; add prompts to the returned [*Gather].
func (r *VoiceResponse) Gather(a *GatherAttrs) *Gather {
	t, x := a.typed()
	return &Gather{r.top().add("Gather", t, x, "")}
}

// Say speaks a prompt.
func (g *Gather) Say(text string, a *SayAttrs) *Say { return g.say(text, a) }

// Play plays an audio prompt. Digits is not allowed inside <Gather>.
func (g *Gather) Play(url string, a *PlayAttrs) *Play { return g.play(url, a) }

// Pause waits silently.
func (g *Gather) Pause(a *PauseAttrs) *Pause { return g.pause(a) }

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

func (a *RecordAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
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
	return t, a.Extra
}

// Record is a <Record>: a recording of the caller.
type Record struct{ node }

// Record records the caller.
func (r *VoiceResponse) Record(a *RecordAttrs) *Record {
	t, x := a.typed()
	return &Record{r.top().add("Record", t, x, "")}
}

// Hangup is a <Hangup>: add parameters for the call's status callback on it.
type Hangup struct{ node }

// Hangup ends the call.
func (r *VoiceResponse) Hangup() *Hangup { return &Hangup{r.top().add("Hangup", nil, nil, "")} }

// Parameter passes a custom parameter with the hang-up.
func (h *Hangup) Parameter(name, value string) *Parameter { return h.parameter(name, value) }

// Leave is a <Leave>.
type Leave struct{ node }

// Leave takes the caller out of the queue they were enqueued in.
func (r *VoiceResponse) Leave() *Leave { return &Leave{r.top().add("Leave", nil, nil, "")} }

// RejectAttrs are the attributes of <Reject>.
type RejectAttrs struct {
	Reason string // rejected (default) or busy
	Extra  []Attr
}

func (a *RejectAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("reason", a.Reason)
	return t, a.Extra
}

// Reject is a <Reject>: add parameters on it.
type Reject struct{ node }

// Reject declines the call without answering it (and without billing it,
// when it is the first verb).
func (r *VoiceResponse) Reject(a *RejectAttrs) *Reject {
	t, x := a.typed()
	return &Reject{r.top().add("Reject", t, x, "")}
}

// Parameter passes a custom parameter with the rejection.
func (j *Reject) Parameter(name, value string) *Parameter { return j.parameter(name, value) }

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

// Redirect is a <Redirect>, of voice or messaging TwiML.
type Redirect struct{ node }

// Redirect continues the call with the TwiML at url.
func (r *VoiceResponse) Redirect(url string, a *RedirectAttrs) *Redirect {
	t, x := a.typed()
	return &Redirect{r.top().add("Redirect", t, x, url)}
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

func (a *EnqueueAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("action", a.Action)
	t.method("method", a.Method)
	t.str("waitUrl", a.WaitURL)
	t.method("waitUrlMethod", a.WaitURLMethod)
	t.str("workflowSid", a.WorkflowSid)
	t.int("maxQueueSize", a.MaxQueueSize)
	return t, a.Extra
}

// Enqueue is an <Enqueue>: describe its TaskRouter task on it.
type Enqueue struct{ node }

// Enqueue puts the caller in the named queue ("" with WorkflowSid, to make
// a TaskRouter task: describe it on the returned [*Enqueue]).
func (r *VoiceResponse) Enqueue(name string, a *EnqueueAttrs) *Enqueue {
	t, x := a.typed()
	return &Enqueue{r.top().add("Enqueue", t, x, name)}
}

// TaskAttrs are the attributes of <Task>.
type TaskAttrs struct {
	Priority *int // 0 or more
	Timeout  *int // seconds, 1 or more
	Extra    []Attr
}

func (a *TaskAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.int("priority", a.Priority)
	t.int("timeout", a.Timeout)
	return t, a.Extra
}

// Task is a <Task>.
type Task struct{ node }

// Task makes a TaskRouter task with attributes, a JSON object such as
// {"language":"es"}.
func (e *Enqueue) Task(attributes string, a *TaskAttrs) *Task {
	t, x := a.typed()
	return &Task{e.add("Task", t, x, attributes)}
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

func (a *SmsAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("to", a.To)
	t.str("from", a.From)
	t.str("action", a.Action)
	t.method("method", a.Method)
	t.str("statusCallback", a.StatusCallback)
	return t, a.Extra
}

// Sms is an <Sms>.
type Sms struct{ node }

// Sms sends a text message during the call.
//
// Deprecated: Twilio deprecated <Sms> and still documents it, at
// https://www.twilio.com/docs/voice/twiml/sms: send the message with the
// REST API instead. The validator reports it as deprecated (a warning).
func (r *VoiceResponse) Sms(message string, a *SmsAttrs) *Sms {
	t, x := a.typed()
	return &Sms{r.top().add("Sms", t, x, message)}
}

// ReferAttrs are the attributes of <Refer>.
type ReferAttrs struct {
	Action string
	Method Method
	Extra  []Attr
}

func (a *ReferAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("action", a.Action)
	t.method("method", a.Method)
	return t, a.Extra
}

// Refer is a <Refer>: name its transfer target on it.
type Refer struct{ node }

// Refer transfers a SIP call.
func (r *VoiceResponse) Refer(a *ReferAttrs) *Refer {
	t, x := a.typed()
	return &Refer{r.top().add("Refer", t, x, "")}
}

// Sip is the SIP URI to transfer the call to.
func (f *Refer) Sip(uri string) *Sip { return &Sip{node: f.add("Sip", nil, nil, uri)} }

// Echo is an <Echo>.
type Echo struct{ node }

// Echo plays the caller's audio back to them, for testing a connection.
func (r *VoiceResponse) Echo() *Echo { return &Echo{r.top().add("Echo", nil, nil, "")} }

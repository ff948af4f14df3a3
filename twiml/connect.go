package twiml

import "github.com/beevik/etree"

// This file builds what <Connect> connects a call to besides a stream or a
// room (AI agents, Conversations, Autopilot), and the <Transcription> and
// <Recording> that <Start> starts.

// AgentAttrs are the speech settings that <ConversationRelay> and
// <Assistant> share.
type AgentAttrs struct {
	Language                     string // a language tag for both speech and text, such as en-US
	TTSLanguage                  string
	TranscriptionLanguage        string
	TTSProvider                  string // such as Google, Amazon, ElevenLabs
	Voice                        string
	TranscriptionProvider        string // such as Google, Deepgram
	SpeechModel                  string
	ProfanityFilter              *bool
	DTMFDetection                *bool
	WelcomeGreeting              string // said when the call connects
	WelcomeGreetingInterruptible string // none, any, speech, dtmf
	PartialPrompts               *bool
	Interruptible                string // none, any, speech, dtmf
	InterruptSensitivity         string // low, medium, high
	Preemptible                  *bool
	ReportInputDuringAgentSpeech *bool
	Hints                        string
	IntelligenceService          string
	ElevenlabsTextNormalization  string // on, off, auto
	Debug                        string // debugging, speaker-events, tokens-played
}

func (a *AgentAttrs) add(t *attrs) {
	t.str("language", a.Language)
	t.str("ttsLanguage", a.TTSLanguage)
	t.str("transcriptionLanguage", a.TranscriptionLanguage)
	t.str("ttsProvider", a.TTSProvider)
	t.str("voice", a.Voice)
	t.str("transcriptionProvider", a.TranscriptionProvider)
	t.str("speechModel", a.SpeechModel)
	t.bool("profanityFilter", a.ProfanityFilter)
	t.bool("dtmfDetection", a.DTMFDetection)
	t.str("welcomeGreeting", a.WelcomeGreeting)
	t.str("welcomeGreetingInterruptible", a.WelcomeGreetingInterruptible)
	t.bool("partialPrompts", a.PartialPrompts)
	t.str("interruptible", a.Interruptible)
	t.str("interruptSensitivity", a.InterruptSensitivity)
	t.bool("preemptible", a.Preemptible)
	t.bool("reportInputDuringAgentSpeech", a.ReportInputDuringAgentSpeech)
	t.str("hints", a.Hints)
	t.str("intelligenceService", a.IntelligenceService)
	t.str("elevenlabsTextNormalization", a.ElevenlabsTextNormalization)
	t.str("debug", a.Debug)
}

// ConversationRelayAttrs are the attributes of <ConversationRelay>.
type ConversationRelayAttrs struct {
	URL string // the wss:// URL of the application's WebSocket
	AgentAttrs
	SpeechTimeout            string
	BackgroundNoiseReduction string
	DeepgramSmartFormat      string
	IgnoreBackchannel        string
	Events                   string
	Extra                    []Attr
}

// ConversationRelay connects the call to an application that talks with
// the caller in text over a WebSocket, Twilio doing speech both ways. Add
// languages and parameters on the returned [*ConversationRelay].
func (c *Connect) ConversationRelay(a *ConversationRelayAttrs) *ConversationRelay {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("url", a.URL)
		a.AgentAttrs.add(&t)
		t.str("speechTimeout", a.SpeechTimeout)
		t.str("backgroundNoiseReduction", a.BackgroundNoiseReduction)
		t.str("deepgramSmartFormat", a.DeepgramSmartFormat)
		t.str("ignoreBackchannel", a.IgnoreBackchannel)
		t.str("events", a.Events)
		x = a.Extra
	}
	return &ConversationRelay{agent{d: c.d, el: c.d.element(c.el, "ConversationRelay", t, x)}}
}

// agent is what <ConversationRelay> and <Assistant> hold.
type agent struct {
	d  *doc
	el *etree.Element
}

// LanguageAttrs are the attributes of <Language>: the speech settings of
// one language the caller may speak.
type LanguageAttrs struct {
	Code                  string // a language tag such as es-ES
	TTSProvider           string
	Voice                 string
	TranscriptionProvider string
	SpeechModel           string
	Extra                 []Attr
}

func (g agent) language(a *LanguageAttrs) {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("code", a.Code)
		t.str("ttsProvider", a.TTSProvider)
		t.str("voice", a.Voice)
		t.str("transcriptionProvider", a.TranscriptionProvider)
		t.str("speechModel", a.SpeechModel)
		x = a.Extra
	}
	g.d.element(g.el, "Language", t, x)
}

// ConversationRelay adds the languages and parameters of a <ConversationRelay>.
type ConversationRelay struct{ agent }

// Language sets the speech settings for one language.
func (r *ConversationRelay) Language(a *LanguageAttrs) *ConversationRelay {
	r.language(a)
	return r
}

// Parameter passes a custom parameter to the application's WebSocket.
func (r *ConversationRelay) Parameter(name, value string) *ConversationRelay {
	parameter(r.d, r.el, name, value)
	return r
}

// AssistantAttrs are the attributes of <Assistant>.
type AssistantAttrs struct {
	ID string // the AI Assistant's SID (aia_asst_...)
	AgentAttrs
	Extra []Attr
}

// Assistant connects the call to a Twilio AI Assistant. Add languages and
// parameters on the returned [*Assistant].
//
// Deprecated: Twilio retired AI Assistants; twilio-go 1.31 no longer builds
// <Assistant>. Use [Connect.ConversationRelay].
func (c *Connect) Assistant(a *AssistantAttrs) *Assistant {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("id", a.ID)
		a.AgentAttrs.add(&t)
		x = a.Extra
	}
	return &Assistant{agent{d: c.d, el: c.d.element(c.el, "Assistant", t, x)}}
}

// Assistant adds the languages and parameters of an <Assistant>.
type Assistant struct{ agent }

// Language sets the speech settings for one language.
func (s *Assistant) Language(a *LanguageAttrs) *Assistant {
	s.language(a)
	return s
}

// Parameter passes a custom parameter to the assistant.
func (s *Assistant) Parameter(name, value string) *Assistant {
	parameter(s.d, s.el, name, value)
	return s
}

// ConversationAttrs are the attributes of <Conversation>.
type ConversationAttrs struct {
	ServiceInstanceSid            string // the Conversations service (IS...)
	InboundAutocreation           *bool
	RoutingAssignmentTimeout      *int // seconds
	InboundTimeout                *int // seconds
	URL                           string
	Method                        Method
	Record                        string // do-not-record, record-from-answer, ...
	Trim                          string // trim-silence or do-not-trim
	RecordingStatusCallback       string
	RecordingStatusCallbackMethod Method
	RecordingStatusCallbackEvent  []string // in-progress, completed, absent
	StatusCallback                string
	StatusCallbackMethod          Method
	StatusCallbackEvent           []string // call-initiated, call-ringing, call-answered, call-completed
	Extra                         []Attr
}

// Conversation connects the call to a Twilio Conversation.
func (c *Connect) Conversation(a *ConversationAttrs) *Connect {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("serviceInstanceSid", a.ServiceInstanceSid)
		t.bool("inboundAutocreation", a.InboundAutocreation)
		t.int("routingAssignmentTimeout", a.RoutingAssignmentTimeout)
		t.int("inboundTimeout", a.InboundTimeout)
		t.str("url", a.URL)
		t.method("method", a.Method)
		t.str("record", a.Record)
		t.str("trim", a.Trim)
		t.str("recordingStatusCallback", a.RecordingStatusCallback)
		t.method("recordingStatusCallbackMethod", a.RecordingStatusCallbackMethod)
		t.list("recordingStatusCallbackEvent", a.RecordingStatusCallbackEvent)
		t.str("statusCallback", a.StatusCallback)
		t.method("statusCallbackMethod", a.StatusCallbackMethod)
		t.list("statusCallbackEvent", a.StatusCallbackEvent)
		x = a.Extra
	}
	c.d.element(c.el, "Conversation", t, x)
	return c
}

// VirtualAgentAttrs are the attributes of <VirtualAgent>.
type VirtualAgentAttrs struct {
	ConnectorName        string // the Dialogflow CX connector
	Language             string
	SentimentAnalysis    *bool
	StatusCallback       string
	StatusCallbackMethod Method
	Extra                []Attr
}

// VirtualAgent connects the call to a Dialogflow CX agent. Add its
// configuration and parameters on the returned [*VirtualAgent].
func (c *Connect) VirtualAgent(a *VirtualAgentAttrs) *VirtualAgent {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("connectorName", a.ConnectorName)
		t.str("language", a.Language)
		t.bool("sentimentAnalysis", a.SentimentAnalysis)
		t.str("statusCallback", a.StatusCallback)
		t.method("statusCallbackMethod", a.StatusCallbackMethod)
		x = a.Extra
	}
	return &VirtualAgent{d: c.d, el: c.d.element(c.el, "VirtualAgent", t, x)}
}

// VirtualAgent adds the configuration and parameters of a <VirtualAgent>.
type VirtualAgent struct {
	d  *doc
	el *etree.Element
}

// Config sets a configuration value of the agent.
func (v *VirtualAgent) Config(name, value string) *VirtualAgent {
	nameValue(v.d, v.el, "Config", name, value)
	return v
}

// Parameter passes a custom parameter to the agent.
func (v *VirtualAgent) Parameter(name, value string) *VirtualAgent {
	parameter(v.d, v.el, name, value)
	return v
}

// AiSession connects the call to an AI connector with a stored session
// configuration.
func (c *Connect) AiSession(connector, configuration string) *Connect {
	var t attrs
	t.str("aiConnector", connector)
	t.str("aiSessionConfiguration", configuration)
	c.d.element(c.el, "AiSession", t, nil)
	return c
}

// ConversationRelaySession connects the call to a ConversationRelay
// connector with a stored session configuration.
func (c *Connect) ConversationRelaySession(connector, configuration string) *Connect {
	var t attrs
	t.str("connector", connector)
	t.str("sessionConfiguration", configuration)
	c.d.element(c.el, "ConversationRelaySession", t, nil)
	return c
}

// Autopilot connects the call to an Autopilot assistant by SID or name.
//
// Deprecated: Twilio ended Autopilot. Use [Connect.ConversationRelay] or
// [Connect.VirtualAgent].
func (c *Connect) Autopilot(name string) *Connect {
	text(c.d.element(c.el, "Autopilot", nil, nil), name)
	return c
}

// TranscriptionAttrs are the attributes of <Transcription>.
type TranscriptionAttrs struct {
	Name                       string // names the transcription, so that <Stop> can stop it
	Track                      string // inbound_track, outbound_track, both_tracks
	StatusCallbackURL          string
	StatusCallbackMethod       Method
	InboundTrackLabel          string
	OutboundTrackLabel         string
	PartialResults             *bool
	LanguageCode               string
	TranscriptionEngine        string // google or deepgram
	ProfanityFilter            *bool
	SpeechModel                string
	Hints                      string
	EnableAutomaticPunctuation *bool
	IntelligenceService        string
	Extra                      []Attr
}

// Transcription transcribes the call in real time while it goes on. Add
// configuration and parameters on the returned [*Transcription].
func (s *Start) Transcription(a *TranscriptionAttrs) *Transcription {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("name", a.Name)
		t.str("track", a.Track)
		t.str("statusCallbackUrl", a.StatusCallbackURL)
		t.method("statusCallbackMethod", a.StatusCallbackMethod)
		t.str("inboundTrackLabel", a.InboundTrackLabel)
		t.str("outboundTrackLabel", a.OutboundTrackLabel)
		t.bool("partialResults", a.PartialResults)
		t.str("languageCode", a.LanguageCode)
		t.str("transcriptionEngine", a.TranscriptionEngine)
		t.bool("profanityFilter", a.ProfanityFilter)
		t.str("speechModel", a.SpeechModel)
		t.str("hints", a.Hints)
		t.bool("enableAutomaticPunctuation", a.EnableAutomaticPunctuation)
		t.str("intelligenceService", a.IntelligenceService)
		x = a.Extra
	}
	return &Transcription{d: s.d, el: s.d.element(s.el, "Transcription", t, x)}
}

// Transcription adds the configuration and parameters of a <Transcription>.
type Transcription struct {
	d  *doc
	el *etree.Element
}

// Config sets a configuration value of the transcription engine.
func (r *Transcription) Config(name, value string) *Transcription {
	nameValue(r.d, r.el, "Config", name, value)
	return r
}

// Parameter passes a custom parameter to the transcription's callbacks.
func (r *Transcription) Parameter(name, value string) *Transcription {
	parameter(r.d, r.el, name, value)
	return r
}

// Transcription stops the real-time transcription of that name.
func (s *Stop) Transcription(name string) *Stop {
	s.d.element(s.el, "Transcription", attrs{{"name", name}}, nil)
	return s
}

// RecordingAttrs are the attributes of <Recording>.
type RecordingAttrs struct {
	RecordingStatusCallback       string
	RecordingStatusCallbackMethod Method
	RecordingStatusCallbackEvent  []string // in-progress, completed, absent
	Trim                          string   // trim-silence or do-not-trim
	Track                         string   // inbound, outbound, both
	Channels                      string   // mono or dual
	RecordingConfigurationID      string
	Extra                         []Attr
}

// Recording records the call from here on, while it goes on.
func (s *Start) Recording(a *RecordingAttrs) *Start {
	var t attrs
	var x []Attr
	if a != nil {
		t.str("recordingStatusCallback", a.RecordingStatusCallback)
		t.method("recordingStatusCallbackMethod", a.RecordingStatusCallbackMethod)
		t.list("recordingStatusCallbackEvent", a.RecordingStatusCallbackEvent)
		t.str("trim", a.Trim)
		t.str("track", a.Track)
		t.str("channels", a.Channels)
		t.str("recordingConfigurationId", a.RecordingConfigurationID)
		x = a.Extra
	}
	s.d.element(s.el, "Recording", t, x)
	return s
}

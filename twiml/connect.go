package twiml

// This file builds <Connect> and what it connects a call to: a stream, a
// Video room, an AI agent, a Conversation. The elements of products Twilio
// retired (<Autopilot>, <Assistant>) have no builder: the validator names
// them as retired.

// ConnectAttrs are the attributes of <Connect>.
type ConnectAttrs struct {
	Action string // TwiML to run when the connection ends
	Method Method
	Extra  []Attr
}

func (a *ConnectAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("action", a.Action)
	t.method("method", a.Method)
	return t, a.Extra
}

// Connect is a <Connect>: add what it connects the call to on it.
type Connect struct{ node }

// Connect connects the call to a stream, a room or an AI service.
func (r *VoiceResponse) Connect(a *ConnectAttrs) *Connect {
	t, x := a.typed()
	return &Connect{r.top().add("Connect", t, x, "")}
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

// Stream is a <Stream>: add custom parameters on it.
type Stream struct{ node }

// Stream connects the call's audio, both ways, to a WebSocket.
func (c *Connect) Stream(a *StreamAttrs) *Stream {
	t, x := a.typed()
	return &Stream{c.add("Stream", t, x, "")}
}

// Parameter passes a custom parameter to the stream's WebSocket.
func (s *Stream) Parameter(name, value string) *Parameter { return s.parameter(name, value) }

// RoomAttrs are the attributes of <Room>.
type RoomAttrs struct {
	ParticipantIdentity string
	Extra               []Attr
}

func (a *RoomAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("participantIdentity", a.ParticipantIdentity)
	return t, a.Extra
}

// Room is a <Room>.
type Room struct{ node }

// Room connects the call to the named Twilio Video room.
func (c *Connect) Room(name string, a *RoomAttrs) *Room {
	t, x := a.typed()
	return &Room{c.add("Room", t, x, name)}
}

// ConversationRelayAttrs are the attributes of <ConversationRelay>.
type ConversationRelayAttrs struct {
	URL                          string // the wss:// URL of the application's WebSocket
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
	SpeechTimeout                string
	BackgroundNoiseReduction     string
	DeepgramSmartFormat          string
	IgnoreBackchannel            string
	Events                       string
	Extra                        []Attr
}

func (a *ConversationRelayAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("url", a.URL)
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
	t.str("speechTimeout", a.SpeechTimeout)
	t.str("backgroundNoiseReduction", a.BackgroundNoiseReduction)
	t.str("deepgramSmartFormat", a.DeepgramSmartFormat)
	t.str("ignoreBackchannel", a.IgnoreBackchannel)
	t.str("events", a.Events)
	return t, a.Extra
}

// ConversationRelay is a <ConversationRelay>: add languages and parameters
// on it.
type ConversationRelay struct{ node }

// ConversationRelay connects the call to an application that talks with
// the caller in text over a WebSocket, Twilio doing speech both ways.
func (c *Connect) ConversationRelay(a *ConversationRelayAttrs) *ConversationRelay {
	t, x := a.typed()
	return &ConversationRelay{c.add("ConversationRelay", t, x, "")}
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

func (a *LanguageAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("code", a.Code)
	t.str("ttsProvider", a.TTSProvider)
	t.str("voice", a.Voice)
	t.str("transcriptionProvider", a.TranscriptionProvider)
	t.str("speechModel", a.SpeechModel)
	return t, a.Extra
}

// Language is a <Language>.
type Language struct{ node }

// Language sets the speech settings for one language.
func (r *ConversationRelay) Language(a *LanguageAttrs) *Language {
	t, x := a.typed()
	return &Language{r.add("Language", t, x, "")}
}

// Parameter passes a custom parameter to the application's WebSocket.
func (r *ConversationRelay) Parameter(name, value string) *Parameter { return r.parameter(name, value) }

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

func (a *ConversationAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
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
	return t, a.Extra
}

// Conversation is a <Conversation>.
type Conversation struct{ node }

// Conversation connects the call to a Twilio Conversation.
func (c *Connect) Conversation(a *ConversationAttrs) *Conversation {
	t, x := a.typed()
	return &Conversation{c.add("Conversation", t, x, "")}
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

func (a *VirtualAgentAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("connectorName", a.ConnectorName)
	t.str("language", a.Language)
	t.bool("sentimentAnalysis", a.SentimentAnalysis)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	return t, a.Extra
}

// VirtualAgent is a <VirtualAgent>: add its configuration and parameters
// on it.
type VirtualAgent struct{ node }

// VirtualAgent connects the call to a Dialogflow CX agent.
func (c *Connect) VirtualAgent(a *VirtualAgentAttrs) *VirtualAgent {
	t, x := a.typed()
	return &VirtualAgent{c.add("VirtualAgent", t, x, "")}
}

// Config is a <Config>: a configuration value of its parent.
type Config struct{ node }

// Config sets a configuration value of the agent.
func (v *VirtualAgent) Config(name, value string) *Config {
	return &Config{v.nameValue("Config", name, value)}
}

// Parameter passes a custom parameter to the agent.
func (v *VirtualAgent) Parameter(name, value string) *Parameter { return v.parameter(name, value) }

// AiSession is an <AiSession>.
type AiSession struct{ node }

// AiSession connects the call to an AI connector with a stored session
// configuration.
func (c *Connect) AiSession(connector, configuration string) *AiSession {
	var t attrs
	t.str("aiConnector", connector)
	t.str("aiSessionConfiguration", configuration)
	return &AiSession{c.add("AiSession", t, nil, "")}
}

// ConversationRelaySession is a <ConversationRelaySession>.
type ConversationRelaySession struct{ node }

// ConversationRelaySession connects the call to a ConversationRelay
// connector with a stored session configuration.
func (c *Connect) ConversationRelaySession(connector, configuration string) *ConversationRelaySession {
	var t attrs
	t.str("connector", connector)
	t.str("sessionConfiguration", configuration)
	return &ConversationRelaySession{c.add("ConversationRelaySession", t, nil, "")}
}

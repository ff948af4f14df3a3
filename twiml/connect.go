package twiml

// This file builds <Connect> and what it connects a call to: a stream, a
// Video room, an AI agent, a Conversation. The elements of products Twilio
// retired (<Autopilot>, <Assistant>) have no builder: the validator names
// them as retired.

// ConnectAttrs are the attributes of <Connect>.
type ConnectAttrs struct {
	Action string `twiml:"action"` // TwiML to run when the connection ends
	Method Method `twiml:"method"`
	Extra  []Attr
}

// Connect is a <Connect>: add what it connects the call to on it.
type Connect struct{ node }

// Connect connects the call to a stream, a room or an AI service.
func (r *VoiceResponse) Connect(a *ConnectAttrs) *Connect {
	return &Connect{r.top().add("Connect", a, "")}
}

// StreamAttrs are the attributes of <Stream>.
type StreamAttrs struct {
	URL                  string `twiml:"url"`  // the wss:// URL to stream to; required in <Start> and <Connect>
	Name                 string `twiml:"name"` // names the stream, so that <Stop> can stop it
	ConnectorName        string `twiml:"connectorName"`
	Track                string `twiml:"track"` // inbound_track, outbound_track, both_tracks
	StatusCallback       string `twiml:"statusCallback"`
	StatusCallbackMethod Method `twiml:"statusCallbackMethod"`
	Extra                []Attr
}

// Stream is a <Stream>: add custom parameters on it.
type Stream struct{ node }

// Stream connects the call's audio, both ways, to a WebSocket.
func (c *Connect) Stream(a *StreamAttrs) *Stream {
	return &Stream{c.add("Stream", a, "")}
}

// Parameter passes a custom parameter to the stream's WebSocket.
func (s *Stream) Parameter(name, value string) *Parameter { return s.parameter(name, value) }

// RoomAttrs are the attributes of <Room>.
type RoomAttrs struct {
	ParticipantIdentity string `twiml:"participantIdentity"`
	Extra               []Attr
}

// Room is a <Room>.
type Room struct{ node }

// Room connects the call to the named Twilio Video room.
func (c *Connect) Room(name string, a *RoomAttrs) *Room {
	return &Room{c.add("Room", a, name)}
}

// ConversationRelayAttrs are the attributes of <ConversationRelay>.
type ConversationRelayAttrs struct {
	URL                          string `twiml:"url"`      // the wss:// URL of the application's WebSocket
	Language                     string `twiml:"language"` // a language tag for both speech and text, such as en-US
	TTSLanguage                  string `twiml:"ttsLanguage"`
	TranscriptionLanguage        string `twiml:"transcriptionLanguage"`
	TTSProvider                  string `twiml:"ttsProvider"` // such as Google, Amazon, ElevenLabs
	Voice                        string `twiml:"voice"`
	TranscriptionProvider        string `twiml:"transcriptionProvider"` // such as Google, Deepgram
	SpeechModel                  string `twiml:"speechModel"`
	ProfanityFilter              *bool  `twiml:"profanityFilter"`
	DTMFDetection                *bool  `twiml:"dtmfDetection"`
	WelcomeGreeting              string `twiml:"welcomeGreeting"`              // said when the call connects
	WelcomeGreetingInterruptible string `twiml:"welcomeGreetingInterruptible"` // none, any, speech, dtmf
	PartialPrompts               *bool  `twiml:"partialPrompts"`
	Interruptible                string `twiml:"interruptible"`        // none, any, speech, dtmf
	InterruptSensitivity         string `twiml:"interruptSensitivity"` // low, medium, high
	Preemptible                  *bool  `twiml:"preemptible"`
	ReportInputDuringAgentSpeech *bool  `twiml:"reportInputDuringAgentSpeech"`
	Hints                        string `twiml:"hints"`
	IntelligenceService          string `twiml:"intelligenceService"`
	ElevenlabsTextNormalization  string `twiml:"elevenlabsTextNormalization"` // on, off, auto
	Debug                        string `twiml:"debug"`                       // debugging, speaker-events, tokens-played
	SpeechTimeout                string `twiml:"speechTimeout"`
	BackgroundNoiseReduction     string `twiml:"backgroundNoiseReduction"`
	DeepgramSmartFormat          string `twiml:"deepgramSmartFormat"`
	IgnoreBackchannel            string `twiml:"ignoreBackchannel"`
	Events                       string `twiml:"events"`
	Extra                        []Attr
}

// ConversationRelay is a <ConversationRelay>: add languages and parameters
// on it.
type ConversationRelay struct{ node }

// ConversationRelay connects the call to an application that talks with
// the caller in text over a WebSocket, Twilio doing speech both ways.
func (c *Connect) ConversationRelay(a *ConversationRelayAttrs) *ConversationRelay {
	return &ConversationRelay{c.add("ConversationRelay", a, "")}
}

// LanguageAttrs are the attributes of <Language>: the speech settings of
// one language the caller may speak.
type LanguageAttrs struct {
	Code                  string `twiml:"code"` // a language tag such as es-ES
	TTSProvider           string `twiml:"ttsProvider"`
	Voice                 string `twiml:"voice"`
	TranscriptionProvider string `twiml:"transcriptionProvider"`
	SpeechModel           string `twiml:"speechModel"`
	Extra                 []Attr
}

// Language is a <Language>.
type Language struct{ node }

// Language sets the speech settings for one language.
func (r *ConversationRelay) Language(a *LanguageAttrs) *Language {
	return &Language{r.add("Language", a, "")}
}

// Parameter passes a custom parameter to the application's WebSocket.
func (r *ConversationRelay) Parameter(name, value string) *Parameter { return r.parameter(name, value) }

// ConversationAttrs are the attributes of <Conversation>.
type ConversationAttrs struct {
	ServiceInstanceSid            string   `twiml:"serviceInstanceSid"` // the Conversations service (IS...)
	InboundAutocreation           *bool    `twiml:"inboundAutocreation"`
	RoutingAssignmentTimeout      *int     `twiml:"routingAssignmentTimeout"` // seconds
	InboundTimeout                *int     `twiml:"inboundTimeout"`           // seconds
	URL                           string   `twiml:"url"`
	Method                        Method   `twiml:"method"`
	Record                        string   `twiml:"record"` // do-not-record, record-from-answer, ...
	Trim                          string   `twiml:"trim"`   // trim-silence or do-not-trim
	RecordingStatusCallback       string   `twiml:"recordingStatusCallback"`
	RecordingStatusCallbackMethod Method   `twiml:"recordingStatusCallbackMethod"`
	RecordingStatusCallbackEvent  []string `twiml:"recordingStatusCallbackEvent"` // in-progress, completed, absent
	StatusCallback                string   `twiml:"statusCallback"`
	StatusCallbackMethod          Method   `twiml:"statusCallbackMethod"`
	StatusCallbackEvent           []string `twiml:"statusCallbackEvent"` // call-initiated, call-ringing, call-answered, call-completed
	Extra                         []Attr
}

// Conversation is a <Conversation>.
type Conversation struct{ node }

// Conversation connects the call to a Twilio Conversation.
func (c *Connect) Conversation(a *ConversationAttrs) *Conversation {
	return &Conversation{c.add("Conversation", a, "")}
}

// VirtualAgentAttrs are the attributes of <VirtualAgent>.
type VirtualAgentAttrs struct {
	ConnectorName        string `twiml:"connectorName"` // the Dialogflow CX connector
	Language             string `twiml:"language"`
	SentimentAnalysis    *bool  `twiml:"sentimentAnalysis"`
	StatusCallback       string `twiml:"statusCallback"`
	StatusCallbackMethod Method `twiml:"statusCallbackMethod"`
	Extra                []Attr
}

// VirtualAgent is a <VirtualAgent>: add its configuration and parameters
// on it.
type VirtualAgent struct{ node }

// VirtualAgent connects the call to a Dialogflow CX agent.
func (c *Connect) VirtualAgent(a *VirtualAgentAttrs) *VirtualAgent {
	return &VirtualAgent{c.add("VirtualAgent", a, "")}
}

// Config is a <Config>: a configuration value of its parent.
type Config struct{ node }

// Config sets a configuration value of the agent.
func (v *VirtualAgent) Config(name, value string) *Config {
	return &Config{v.nameValue("Config", name, value)}
}

// Parameter passes a custom parameter to the agent.
func (v *VirtualAgent) Parameter(name, value string) *Parameter { return v.parameter(name, value) }

// AISession is an <AiSession> (AI written as Go writes initialisms, as
// SIP for <Sip>).
type AISession struct{ node }

// AISession connects the call to an AI connector with a stored session
// configuration.
func (c *Connect) AISession(connector, configuration string) *AISession {
	return &AISession{c.add("AiSession", &aiSessionAttrs{connector, configuration}, "")}
}

type aiSessionAttrs struct {
	AiConnector            string `twiml:"aiConnector"`
	AiSessionConfiguration string `twiml:"aiSessionConfiguration"`
}

// ConversationRelaySession is a <ConversationRelaySession>.
type ConversationRelaySession struct{ node }

// ConversationRelaySession connects the call to a ConversationRelay
// connector with a stored session configuration.
func (c *Connect) ConversationRelaySession(connector, configuration string) *ConversationRelaySession {
	return &ConversationRelaySession{c.add("ConversationRelaySession", &relaySessionAttrs{connector, configuration}, "")}
}

type relaySessionAttrs struct {
	Connector            string `twiml:"connector"`
	SessionConfiguration string `twiml:"sessionConfiguration"`
}

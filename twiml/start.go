package twiml

// This file builds <Start>, what it starts beside the call (a stream, a
// SIPREC recording, a real-time transcription, a recording), and <Stop>.

// StartAttrs are the attributes of <Start>.
type StartAttrs struct {
	Action string `twiml:"action"`
	Method Method `twiml:"method"`
	Extra  []Attr
}

// Start is a <Start>: add what it starts on it.
type Start struct{ node }

// Start starts something that runs beside the call, such as a stream or a
// SIPREC recording.
func (r *VoiceResponse) Start(a *StartAttrs) *Start {
	return &Start{r.top().add("Start", a, "")}
}

// Stream forks the call's audio to a WebSocket while the call goes on.
func (s *Start) Stream(a *StreamAttrs) *Stream {
	return &Stream{s.add("Stream", a, "")}
}

// SiprecAttrs are the attributes of <Siprec>.
type SiprecAttrs struct {
	Name                 string `twiml:"name"`
	ConnectorName        string `twiml:"connectorName"` // the SIPREC connector; required in <Start>
	Track                string `twiml:"track"`         // inbound_track, outbound_track, both_tracks
	StatusCallback       string `twiml:"statusCallback"`
	StatusCallbackMethod Method `twiml:"statusCallbackMethod"`
	Extra                []Attr
}

// Siprec is a <Siprec>: add custom parameters on it.
type Siprec struct{ node }

// Siprec starts recording the call with a SIPREC connector.
func (s *Start) Siprec(a *SiprecAttrs) *Siprec {
	return &Siprec{s.add("Siprec", a, "")}
}

// Parameter passes a custom parameter to the SIPREC connector.
func (s *Siprec) Parameter(name, value string) *Parameter { return s.parameter(name, value) }

// TranscriptionAttrs are the attributes of <Transcription>.
type TranscriptionAttrs struct {
	Name                       string `twiml:"name"`  // names the transcription, so that <Stop> can stop it
	Track                      string `twiml:"track"` // inbound_track, outbound_track, both_tracks
	StatusCallbackURL          string `twiml:"statusCallbackUrl"`
	StatusCallbackMethod       Method `twiml:"statusCallbackMethod"`
	InboundTrackLabel          string `twiml:"inboundTrackLabel"`
	OutboundTrackLabel         string `twiml:"outboundTrackLabel"`
	PartialResults             *bool  `twiml:"partialResults"`
	LanguageCode               string `twiml:"languageCode"`
	TranscriptionEngine        string `twiml:"transcriptionEngine"` // google or deepgram
	ProfanityFilter            *bool  `twiml:"profanityFilter"`
	SpeechModel                string `twiml:"speechModel"`
	Hints                      string `twiml:"hints"`
	EnableAutomaticPunctuation *bool  `twiml:"enableAutomaticPunctuation"`
	IntelligenceService        string `twiml:"intelligenceService"`
	Extra                      []Attr
}

// Transcription is a <Transcription>: add configuration and parameters on
// it.
type Transcription struct{ node }

// Transcription transcribes the call in real time while it goes on.
func (s *Start) Transcription(a *TranscriptionAttrs) *Transcription {
	return &Transcription{s.add("Transcription", a, "")}
}

// Config sets a configuration value of the transcription engine.
func (r *Transcription) Config(name, value string) *Config {
	return &Config{r.nameValue("Config", name, value)}
}

// Parameter passes a custom parameter to the transcription's callbacks.
func (r *Transcription) Parameter(name, value string) *Parameter { return r.parameter(name, value) }

// RecordingAttrs are the attributes of <Recording>.
type RecordingAttrs struct {
	RecordingStatusCallback       string   `twiml:"recordingStatusCallback"`
	RecordingStatusCallbackMethod Method   `twiml:"recordingStatusCallbackMethod"`
	RecordingStatusCallbackEvent  []string `twiml:"recordingStatusCallbackEvent"` // in-progress, completed, absent
	Trim                          string   `twiml:"trim"`                         // trim-silence or do-not-trim
	Track                         string   `twiml:"track"`                        // inbound, outbound, both
	Channels                      string   `twiml:"channels"`                     // mono or dual
	RecordingConfigurationID      string   `twiml:"recordingConfigurationId"`
	Extra                         []Attr
}

// Recording is a <Recording>.
type Recording struct{ node }

// Recording records the call from here on, while it goes on.
func (s *Start) Recording(a *RecordingAttrs) *Recording {
	return &Recording{s.add("Recording", a, "")}
}

// Stop is a <Stop>: name what it stops on it.
type Stop struct{ node }

// Stop stops what a <Start> started.
func (r *VoiceResponse) Stop() *Stop { return &Stop{r.top().add("Stop", nil, "")} }

// named adds <tag name="name"/>, what <Stop> holds.
func (s *Stop) named(tag, name string) node { return s.add(tag, &nameAttrs{name}, "") }

type nameAttrs struct {
	Name string `twiml:"name"`
}

// Stream stops the stream of that name.
func (s *Stop) Stream(name string) *Stream { return &Stream{s.named("Stream", name)} }

// Siprec stops the SIPREC recording of that name.
func (s *Stop) Siprec(name string) *Siprec { return &Siprec{s.named("Siprec", name)} }

// Transcription stops the real-time transcription of that name.
func (s *Stop) Transcription(name string) *Transcription {
	return &Transcription{s.named("Transcription", name)}
}

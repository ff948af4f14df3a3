package twiml

// This file builds <Start>, what it starts beside the call (a stream, a
// SIPREC recording, a real-time transcription, a recording), and <Stop>.

// StartAttrs are the attributes of <Start>.
type StartAttrs struct {
	Action string
	Method Method
	Extra  []Attr
}

func (a *StartAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("action", a.Action)
	t.method("method", a.Method)
	return t, a.Extra
}

// Start is a <Start>: add what it starts on it.
type Start struct{ node }

// Start starts something that runs beside the call, such as a stream or a
// SIPREC recording.
func (r *VoiceResponse) Start(a *StartAttrs) *Start {
	t, x := a.typed()
	return &Start{r.top().add("Start", t, x, "")}
}

// Stream forks the call's audio to a WebSocket while the call goes on.
func (s *Start) Stream(a *StreamAttrs) *Stream {
	t, x := a.typed()
	return &Stream{s.add("Stream", t, x, "")}
}

// SiprecAttrs are the attributes of <Siprec>.
type SiprecAttrs struct {
	Name                 string
	ConnectorName        string // the SIPREC connector; required in <Start>
	Track                string // inbound_track, outbound_track, both_tracks
	StatusCallback       string
	StatusCallbackMethod Method
	Extra                []Attr
}

func (a *SiprecAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("name", a.Name)
	t.str("connectorName", a.ConnectorName)
	t.str("track", a.Track)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	return t, a.Extra
}

// Siprec is a <Siprec>: add custom parameters on it.
type Siprec struct{ node }

// Siprec starts recording the call with a SIPREC connector.
func (s *Start) Siprec(a *SiprecAttrs) *Siprec {
	t, x := a.typed()
	return &Siprec{s.add("Siprec", t, x, "")}
}

// Parameter passes a custom parameter to the SIPREC connector.
func (s *Siprec) Parameter(name, value string) *Parameter { return s.parameter(name, value) }

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

func (a *TranscriptionAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
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
	return t, a.Extra
}

// Transcription is a <Transcription>: add configuration and parameters on
// it.
type Transcription struct{ node }

// Transcription transcribes the call in real time while it goes on.
func (s *Start) Transcription(a *TranscriptionAttrs) *Transcription {
	t, x := a.typed()
	return &Transcription{s.add("Transcription", t, x, "")}
}

// Config sets a configuration value of the transcription engine.
func (r *Transcription) Config(name, value string) *Config {
	return &Config{r.nameValue("Config", name, value)}
}

// Parameter passes a custom parameter to the transcription's callbacks.
func (r *Transcription) Parameter(name, value string) *Parameter { return r.parameter(name, value) }

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

func (a *RecordingAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("recordingStatusCallback", a.RecordingStatusCallback)
	t.method("recordingStatusCallbackMethod", a.RecordingStatusCallbackMethod)
	t.list("recordingStatusCallbackEvent", a.RecordingStatusCallbackEvent)
	t.str("trim", a.Trim)
	t.str("track", a.Track)
	t.str("channels", a.Channels)
	t.str("recordingConfigurationId", a.RecordingConfigurationID)
	return t, a.Extra
}

// Recording is a <Recording>.
type Recording struct{ node }

// Recording records the call from here on, while it goes on.
func (s *Start) Recording(a *RecordingAttrs) *Recording {
	t, x := a.typed()
	return &Recording{s.add("Recording", t, x, "")}
}

// Stop is a <Stop>: name what it stops on it.
type Stop struct{ node }

// Stop stops what a <Start> started.
func (r *VoiceResponse) Stop() *Stop { return &Stop{r.top().add("Stop", nil, nil, "")} }

// named adds <tag name="name"/>, what <Stop> holds.
func (s *Stop) named(tag, name string) node {
	var t attrs
	t.str("name", name)
	return s.add(tag, t, nil, "")
}

// Stream stops the stream of that name.
func (s *Stop) Stream(name string) *Stream { return &Stream{s.named("Stream", name)} }

// Siprec stops the SIPREC recording of that name.
func (s *Stop) Siprec(name string) *Siprec { return &Siprec{s.named("Siprec", name)} }

// Transcription stops the real-time transcription of that name.
func (s *Stop) Transcription(name string) *Transcription {
	return &Transcription{s.named("Transcription", name)}
}

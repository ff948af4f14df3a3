package twiml_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

// everyVoiceNoun builds, with values from Twilio's docs, what
// everyVoiceVerb does not: the nouns of <Connect>, <Start>, <Stop>, <Dial>
// and <Enqueue> added after the first release, <Parameter> wherever it may
// go, and the deprecated <Sms>.
func everyVoiceNoun() *twiml.VoiceResponse {
	r := twiml.NewVoiceResponse()
	start := r.Start(nil)
	notes := start.Transcription(&twiml.TranscriptionAttrs{
		Name: "ride-notes", Track: "both_tracks", StatusCallbackURL: "https://example.com/transcripts",
		StatusCallbackMethod: twiml.MethodPost, InboundTrackLabel: "rider", OutboundTrackLabel: "driver",
		PartialResults: twiml.Bool(true), LanguageCode: "en-US", TranscriptionEngine: "google",
		ProfanityFilter: twiml.Bool(true), SpeechModel: "telephony", Hints: "pickup, drop-off",
		EnableAutomaticPunctuation: twiml.Bool(true), IntelligenceService: "GA0123456789abcdef0123456789abcdef",
	})
	notes.Config("enableSpeakerDiarization", "true")
	notes.Parameter("ride", "8812")
	start.Recording(&twiml.RecordingAttrs{
		RecordingStatusCallback: "https://example.com/rec", RecordingStatusCallbackMethod: twiml.MethodPost,
		RecordingStatusCallbackEvent: []string{"in-progress", "completed"}, Trim: "trim-silence",
		Track: "both", Channels: "dual", RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef",
	})
	r.Stop().Transcription("ride-notes")
	r.Sms("Your driver is 2 minutes away.", &twiml.SmsAttrs{To: "+14155550123", From: "+14155550100",
		Action: "https://example.com/sms-done", Method: twiml.MethodPost, StatusCallback: "https://example.com/sms-status"})

	cb := twiml.CallbackAttrs{URL: "https://example.com/screen", Method: twiml.MethodPost,
		StatusCallback: "https://example.com/status", StatusCallbackMethod: twiml.MethodPost,
		StatusCallbackEvent: []string{"initiated", "completed"}}
	d := r.Dial("", &twiml.DialAttrs{CallerID: "+14155550100", Events: "call-progress-event",
		RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef", CallReason: "Your ride is here",
		CallerDisplayName: "RideCo", Passports: "eyJhbGciOiJFUzI1NiJ9"})
	d.Number("+14155550123", &twiml.NumberAttrs{MachineDetectionAttrs: twiml.MachineDetectionAttrs{
		MachineDetection: "DetectMessageEnd", MachineDetectionSpeechThreshold: twiml.Int(2400),
		MachineDetectionSpeechEndThreshold: twiml.Int(1200), MachineDetectionSilenceTimeout: twiml.Int(5000)}})
	client := d.Client("", &twiml.ClientAttrs{CallbackAttrs: cb, ClientNotificationURL: "https://example.com/push"})
	client.Identity("driver_17")
	client.Parameter("ride", "8812")
	sip := d.SIP("", &twiml.SIPAttrs{MachineDetectionAttrs: twiml.MachineDetectionAttrs{
		MachineDetection: "Enable", MachineDetectionTimeout: twiml.Int(30),
		MachineDetectionSpeechThreshold: twiml.Int(2400), MachineDetectionSpeechEndThreshold: twiml.Int(1200),
		MachineDetectionSilenceTimeout: twiml.Int(5000), AmdStatusCallback: "https://example.com/amd",
		AmdStatusCallbackMethod: twiml.MethodPost}})
	sip.URI("sip:driver@pbx-a.example.com", &twiml.URIAttrs{Priority: twiml.Int(1), Weight: twiml.Int(2), Username: "driver", Password: "s3cret"})
	sip.URI("sip:driver@pbx-b.example.com", &twiml.URIAttrs{Priority: twiml.Int(2)})
	sip.Header("X-Ride", "8812")
	sip.Header("X-Zone", "north")
	app := d.Application("", &twiml.ApplicationAttrs{CallbackAttrs: cb, CustomerID: "rider-42", CopyParentTo: twiml.Bool(true)})
	app.ApplicationSid("AP0123456789abcdef0123456789abcdef")
	app.Parameter("ride", "8812")
	d.Sim("DE0123456789abcdef0123456789abcdef")
	d.WhatsApp("+14155550125", &twiml.WhatsAppAttrs{CallbackAttrs: cb})

	r.Dial("", nil).Conference("ride-8812", &twiml.ConferenceAttrs{RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef"})
	r.Gather(&twiml.GatherAttrs{Input: []string{"speech"}, MaxSpeechTime: twiml.Int(60), BargeIn: twiml.Bool(true),
		Debug: twiml.Bool(false), Enhanced: twiml.Bool(true), SpeechModel: "phone_call"}).Say("Where to?", nil)
	r.Record(&twiml.RecordAttrs{RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef"})

	c := r.Connect(&twiml.ConnectAttrs{Action: "https://example.com/after"})
	relay := c.ConversationRelay(&twiml.ConversationRelayAttrs{
		URL:      "wss://agent.example.com/relay",
		Language: "en-US", TTSLanguage: "en-US", TranscriptionLanguage: "en-US", TTSProvider: "ElevenLabs",
		Voice: "UgBBYS2sOqTuMpoF3BR0", TranscriptionProvider: "Deepgram", SpeechModel: "nova-3-general",
		ProfanityFilter: twiml.Bool(true), DTMFDetection: twiml.Bool(true),
		WelcomeGreeting: "Hi! How can I help with your ride?", WelcomeGreetingInterruptible: "any",
		PartialPrompts: twiml.Bool(true), Interruptible: "speech", InterruptSensitivity: "high",
		Preemptible: twiml.Bool(false), ReportInputDuringAgentSpeech: twiml.Bool(false), Hints: "pickup,drop-off",
		IntelligenceService: "GA0123456789abcdef0123456789abcdef", ElevenlabsTextNormalization: "on", Debug: "speaker-events",
		SpeechTimeout: "auto", BackgroundNoiseReduction: "true", DeepgramSmartFormat: "true", IgnoreBackchannel: "true",
		Events: "call-ended",
	})
	relay.Language(&twiml.LanguageAttrs{Code: "es-ES", TTSProvider: "Google", Voice: "es-ES-Neural2-B",
		TranscriptionProvider: "Google", SpeechModel: "telephony"})
	relay.Parameter("ride", "8812")
	r.Connect(nil).Conversation(&twiml.ConversationAttrs{
		ServiceInstanceSid: "IS0123456789abcdef0123456789abcdef", InboundAutocreation: twiml.Bool(true),
		RoutingAssignmentTimeout: twiml.Int(60), InboundTimeout: twiml.Int(30), URL: "https://example.com/conv",
		Method: twiml.MethodPost, Record: "record-from-answer", Trim: "trim-silence",
		RecordingStatusCallback: "https://example.com/rec", RecordingStatusCallbackMethod: twiml.MethodPost,
		RecordingStatusCallbackEvent: []string{"completed"}, StatusCallback: "https://example.com/conv-status",
		StatusCallbackMethod: twiml.MethodPost, StatusCallbackEvent: []string{"call-initiated", "call-completed"},
	})
	agent := r.Connect(nil).VirtualAgent(&twiml.VirtualAgentAttrs{ConnectorName: "ride-agent", Language: "en-US",
		SentimentAnalysis: twiml.Bool(true), StatusCallback: "https://example.com/va", StatusCallbackMethod: twiml.MethodPost})
	agent.Config("voiceName", "en-US-Wavenet-C")
	agent.Parameter("ride", "8812")
	r.Connect(nil).AISession("ride-connector", "default")
	r.Connect(nil).ConversationRelaySession("relay-connector", "default")

	r.Enqueue("", &twiml.EnqueueAttrs{WorkflowSid: "WW0123456789abcdef0123456789abcdef", MaxQueueSize: twiml.Int(100)}).
		Task(`{"language":"es"}`, &twiml.TaskAttrs{Priority: twiml.Int(5), Timeout: twiml.Int(200)})
	r.Reject(&twiml.RejectAttrs{Reason: "busy"}).Parameter("why", "closed")
	r.Hangup().Parameter("why", "done")
	return r
}

// Every noun the builders added validates in strict mode; the warnings are
// only those the document earns: deprecated verbs and nouns, and verbs that
// cannot be reached after a <Dial action> or an ending verb.
func TestBuilderEveryNounValidates(t *testing.T) {
	rep := everyVoiceNoun().Validate()
	assert.True(t, rep.Valid(), "errors: %v", rep.Errors())
	for _, p := range rep.Warnings() {
		assert.Contains(t, []oosc.Rule{twiml.RuleUnreachable, twiml.RuleDeprecated, twiml.RuleRejectNotFirst}, p.Rule, "%v", p)
	}
}

// The nouns with nouns of their own write them inside, in the order given.
func TestBuilderNestedNouns(t *testing.T) {
	r := twiml.NewVoiceResponse()
	sip := r.Dial("", nil).SIP("", nil)
	sip.Header("X-A", "1")
	sip.URI("sip:a@example.com", nil)
	sip.Header("X-B", "2")
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Sip>`+
		`<Headers><Header name="X-A" value="1"/><Header name="X-B" value="2"/></Headers><Uri>sip:a@example.com</Uri>`+
		`</Sip></Dial></Response>`, r.String(), "one <Headers> holds every header")
	assert.True(t, r.Validate().Valid(), "%v", r.Validate().Errors())

	q := twiml.NewVoiceResponse()
	q.Enqueue("", &twiml.EnqueueAttrs{WorkflowSid: "WW0123456789abcdef0123456789abcdef"}).Task(`{"vip":true}`, nil)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response><Enqueue workflowSid="WW0123456789abcdef0123456789abcdef">`+
		`<Task>{"vip":true}</Task></Enqueue></Response>`, q.String())
	require.True(t, q.Validate().Valid(), "%v", q.Validate().Errors())

	bad := twiml.NewVoiceResponse()
	bad.Dial("", nil).Application("", nil).ApplicationSid("PN0123456789abcdef0123456789abcdef")
	errs := bad.Validate().Errors()
	require.Len(t, errs, 1, "a SID of the wrong kind is refused")
	assert.Equal(t, twiml.RuleInvalidValue, errs[0].Rule)
}

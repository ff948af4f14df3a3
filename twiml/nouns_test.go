package twiml_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/twiml"
)

// everyVoiceNoun builds, with values from Twilio's docs, what
// everyVoiceVerb does not: the nouns of <Connect>, <Start>, <Stop>, <Dial>
// and <Enqueue> added after the first release, <Parameter> wherever it may
// go, and the deprecated <Sms>.
func everyVoiceNoun() *twiml.VoiceResponse {
	r := twiml.NewVoiceResponse()
	start := r.Start(nil)
	start.Transcription(&twiml.TranscriptionAttrs{
		Name: "ride-notes", Track: "both_tracks", StatusCallbackURL: "https://example.com/transcripts",
		StatusCallbackMethod: twiml.POST, InboundTrackLabel: "rider", OutboundTrackLabel: "driver",
		PartialResults: twiml.Bool(true), LanguageCode: "en-US", TranscriptionEngine: "google",
		ProfanityFilter: twiml.Bool(true), SpeechModel: "telephony", Hints: "pickup, drop-off",
		EnableAutomaticPunctuation: twiml.Bool(true), IntelligenceService: "GA0123456789abcdef0123456789abcdef",
	}).Config("enableSpeakerDiarization", "true").Parameter("ride", "8812")
	start.Recording(&twiml.RecordingAttrs{
		RecordingStatusCallback: "https://example.com/rec", RecordingStatusCallbackMethod: twiml.POST,
		RecordingStatusCallbackEvent: []string{"in-progress", "completed"}, Trim: "trim-silence",
		Track: "both", Channels: "dual", RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef",
	})
	r.Stop().Transcription("ride-notes")
	r.Sms("Your driver is 2 minutes away.", &twiml.SmsAttrs{To: "+14155550123", From: "+14155550100",
		Action: "https://example.com/sms-done", Method: twiml.POST, StatusCallback: "https://example.com/sms-status"})

	cb := twiml.CallbackAttrs{URL: "https://example.com/screen", Method: twiml.POST,
		StatusCallback: "https://example.com/status", StatusCallbackMethod: twiml.POST,
		StatusCallbackEvent: []string{"initiated", "completed"}}
	d := r.Dial("", &twiml.DialAttrs{CallerID: "+14155550100", Events: "call-progress-event",
		RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef", CallReason: "Your ride is here",
		CallerDisplayName: "RideCo", Passports: "eyJhbGciOiJFUzI1NiJ9"})
	d.Number("+14155550123", &twiml.NumberAttrs{MachineDetection: "DetectMessageEnd",
		MachineDetectionSpeechThreshold: twiml.Int(2400), MachineDetectionSpeechEndThreshold: twiml.Int(1200),
		MachineDetectionSilenceTimeout: twiml.Int(5000)})
	d.ClientWith(&twiml.ClientAttrs{CallbackAttrs: cb, ClientNotificationURL: "https://example.com/push"}).
		Identity("driver_17").Parameter("ride", "8812")
	d.SipWith(&twiml.SipAttrs{MachineDetection: "Enable", MachineDetectionTimeout: twiml.Int(30),
		MachineDetectionSpeechThreshold: twiml.Int(2400), MachineDetectionSpeechEndThreshold: twiml.Int(1200),
		MachineDetectionSilenceTimeout: twiml.Int(5000), AmdStatusCallback: "https://example.com/amd",
		AmdStatusCallbackMethod: twiml.POST}).
		URI("sip:driver@pbx-a.example.com", &twiml.URIAttrs{Priority: twiml.Int(1), Weight: twiml.Int(2), Username: "driver", Password: "s3cret"}).
		URI("sip:driver@pbx-b.example.com", &twiml.URIAttrs{Priority: twiml.Int(2)}).
		Header("X-Ride", "8812").Header("X-Zone", "north")
	d.Application("", &twiml.ApplicationAttrs{CallbackAttrs: cb, CustomerID: "rider-42", CopyParentTo: twiml.Bool(true)}).
		ApplicationSid("AP0123456789abcdef0123456789abcdef").Parameter("ride", "8812")
	d.Sim("DE0123456789abcdef0123456789abcdef")
	d.WhatsApp("+14155550125", &twiml.WhatsAppAttrs{CallbackAttrs: cb})

	r.Dial("", nil).Conference("ride-8812", &twiml.ConferenceAttrs{RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef"})
	r.Gather(&twiml.GatherAttrs{Input: []string{"speech"}, MaxSpeechTime: twiml.Int(60), BargeIn: twiml.Bool(true),
		Debug: twiml.Bool(false), Enhanced: twiml.Bool(true), SpeechModel: "phone_call"}).Say("Where to?", nil)
	r.Record(&twiml.RecordAttrs{RecordingConfigurationID: "RF0123456789abcdef0123456789abcdef"})

	c := r.Connect(&twiml.ConnectAttrs{Action: "https://example.com/after"})
	c.ConversationRelay(&twiml.ConversationRelayAttrs{
		URL: "wss://agent.example.com/relay",
		AgentAttrs: twiml.AgentAttrs{
			Language: "en-US", TTSLanguage: "en-US", TranscriptionLanguage: "en-US", TTSProvider: "ElevenLabs",
			Voice: "UgBBYS2sOqTuMpoF3BR0", TranscriptionProvider: "Deepgram", SpeechModel: "nova-3-general",
			ProfanityFilter: twiml.Bool(true), DTMFDetection: twiml.Bool(true),
			WelcomeGreeting: "Hi! How can I help with your ride?", WelcomeGreetingInterruptible: "any",
			PartialPrompts: twiml.Bool(true), Interruptible: "speech", InterruptSensitivity: "high",
			Preemptible: twiml.Bool(false), ReportInputDuringAgentSpeech: twiml.Bool(false), Hints: "pickup,drop-off",
			IntelligenceService: "GA0123456789abcdef0123456789abcdef", ElevenlabsTextNormalization: "on", Debug: "speaker-events",
		},
		SpeechTimeout: "auto", BackgroundNoiseReduction: "true", DeepgramSmartFormat: "true", IgnoreBackchannel: "true",
		Events: "call-ended",
	}).
		Language(&twiml.LanguageAttrs{Code: "es-ES", TTSProvider: "Google", Voice: "es-ES-Neural2-B",
			TranscriptionProvider: "Google", SpeechModel: "telephony"}).
		Parameter("ride", "8812")
	r.Connect(nil).Conversation(&twiml.ConversationAttrs{
		ServiceInstanceSid: "IS0123456789abcdef0123456789abcdef", InboundAutocreation: twiml.Bool(true),
		RoutingAssignmentTimeout: twiml.Int(60), InboundTimeout: twiml.Int(30), URL: "https://example.com/conv",
		Method: twiml.POST, Record: "record-from-answer", Trim: "trim-silence",
		RecordingStatusCallback: "https://example.com/rec", RecordingStatusCallbackMethod: twiml.POST,
		RecordingStatusCallbackEvent: []string{"completed"}, StatusCallback: "https://example.com/conv-status",
		StatusCallbackMethod: twiml.POST, StatusCallbackEvent: []string{"call-initiated", "call-completed"},
	})
	r.Connect(nil).VirtualAgent(&twiml.VirtualAgentAttrs{ConnectorName: "ride-agent", Language: "en-US",
		SentimentAnalysis: twiml.Bool(true), StatusCallback: "https://example.com/va", StatusCallbackMethod: twiml.POST}).
		Config("voiceName", "en-US-Wavenet-C").Parameter("ride", "8812")
	r.Connect(nil).AiSession("ride-connector", "default")
	r.Connect(nil).ConversationRelaySession("relay-connector", "default")
	r.Connect(nil).Assistant(&twiml.AssistantAttrs{ID: "aia_asst_0123456789", AgentAttrs: twiml.AgentAttrs{Voice: "en-US-Journey-O"}}).
		Language(&twiml.LanguageAttrs{Code: "fr-FR"}).Parameter("ride", "8812")
	r.Connect(nil).Autopilot("UA0123456789abcdef0123456789abcdef")

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
		assert.Contains(t, []twiml.Code{twiml.CodeUnreachable, twiml.CodeDeprecated, twiml.CodeRejectNotFirst}, p.Code, "%v", p)
	}
}

// The nouns with nouns of their own write them inside, in the order given.
func TestBuilderNestedNouns(t *testing.T) {
	r := twiml.NewVoiceResponse()
	r.Dial("", nil).SipWith(nil).Header("X-A", "1").URI("sip:a@example.com", nil).Header("X-B", "2")
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
	assert.Equal(t, twiml.CodeInvalidValue, errs[0].Code)
}

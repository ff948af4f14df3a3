package twiml_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// everyVoiceVerb builds every voice verb and noun with every typed attribute set.
func everyVoiceVerb() *twiml.VoiceResponse {
	r := twiml.NewVoiceResponse()
	welcome := r.Say("Welcome back. ", &twiml.SayAttrs{Voice: "Polly.Joanna-Neural", Language: "en-US", Loop: twiml.Int(0),
		Extra: []twiml.Attr{}})
	welcome.Break(&twiml.BreakAttrs{Strength: "strong", Time: "750ms"})
	welcome.SayAs("4155550100", "telephone", "")
	welcome.Sub("W3C", "World Wide Web Consortium")
	welcome.Phoneme("pecan", "ipa", "pɪˈkɑːn")
	welcome.Text(" Goodbye.")
	ssml := r.Say("", &twiml.SayAttrs{Voice: "Google.en-GB-Neural2-A", Language: "en-GB"})
	ssml.P("").S("Your trip has ended.").Emphasis("Thank you", "moderate")
	ssml.Prosody("for riding.", &twiml.ProsodyAttrs{Volume: "+6dB", Rate: "90%", Pitch: "-5%"})
	ssml.Lang("Merci.", "fr-FR")
	ssml.W("read", "amazon:VB")
	ssml.SayAs("12/24/2026", "date", "mdy")
	r.Play("https://example.com/chime.mp3", &twiml.PlayAttrs{Loop: twiml.Int(2)})
	r.Play("", &twiml.PlayAttrs{Digits: "wwww3#"})
	r.Pause(&twiml.PauseAttrs{Length: twiml.Int(2)})
	g := r.Gather(&twiml.GatherAttrs{
		Input: []string{"dtmf", "speech"}, Action: "/menu", Method: twiml.MethodPost, Timeout: twiml.Int(5),
		FinishOnKey: twiml.String("#"), NumDigits: twiml.Int(1), SpeechTimeout: "auto", Language: "en-US",
		Hints: "driver, rider", ProfanityFilter: twiml.Bool(true), SpeechModel: "phone_call",
		ActionOnEmptyResult: twiml.Bool(false), PartialResultCallback: "https://example.com/partial",
		PartialResultCallbackMethod: twiml.MethodGet,
	})
	g.Say("Press 1 for your driver.", &twiml.SayAttrs{Voice: "man", Loop: twiml.Int(1)})
	g.Play("https://example.com/menu.wav", &twiml.PlayAttrs{Loop: twiml.Int(1)})
	g.Pause(&twiml.PauseAttrs{Length: twiml.Int(1)})
	cb := twiml.CallbackAttrs{URL: "https://example.com/screen", Method: twiml.MethodPost, StatusCallback: "https://example.com/status",
		StatusCallbackMethod: twiml.MethodPost, StatusCallbackEvent: []string{"initiated", "ringing", "answered", "completed"}}
	d := r.Dial("", &twiml.DialAttrs{
		Action: "https://example.com/dial-done", Method: twiml.MethodPost, Timeout: twiml.Int(30), HangupOnStar: twiml.Bool(false),
		TimeLimit: twiml.Int(3600), CallerID: "+14155550100", Record: "record-from-answer-dual", Trim: "trim-silence",
		RecordingStatusCallback: "https://example.com/rec", RecordingStatusCallbackMethod: twiml.MethodPost,
		RecordingStatusCallbackEvent: []string{"in-progress", "completed"}, RecordingTrack: "both",
		AnswerOnBridge: twiml.Bool(true), RingTone: "uk", Sequential: twiml.Bool(true),
		ReferURL: "https://example.com/refer", ReferMethod: twiml.MethodPost,
	})
	d.Number("+14155550123", &twiml.NumberAttrs{CallbackAttrs: cb, SendDigits: "ww1234",
		MachineDetectionAttrs: twiml.MachineDetectionAttrs{MachineDetection: "Enable", MachineDetectionTimeout: twiml.Int(30),
			AmdStatusCallback: "https://example.com/amd", AmdStatusCallbackMethod: twiml.MethodPost},
		BYOC: "BY0123456789abcdef0123456789abcdef"})
	d.Client("rider_42", &twiml.ClientAttrs{CallbackAttrs: cb})
	d.SIP("sip:driver@example.sip.twilio.com", &twiml.SIPAttrs{CallbackAttrs: cb, Username: "driver", Password: "s3cret"})
	r.Dial("", nil).Conference("ride-1234", &twiml.ConferenceAttrs{
		Muted: twiml.Bool(false), Beep: "onEnter", StartConferenceOnEnter: twiml.Bool(true), EndConferenceOnExit: twiml.Bool(true),
		WaitURL: "https://example.com/hold", WaitMethod: twiml.MethodGet, MaxParticipants: twiml.Int(10), Record: "record-from-start",
		Region: "ie1", Trim: "do-not-trim", Coach: "CA0123456789abcdef0123456789abcdef", JitterBufferSize: "medium",
		ParticipantLabel: "rider", StatusCallback: "https://example.com/conf", StatusCallbackMethod: twiml.MethodPost,
		StatusCallbackEvent: []string{"start", "end", "join", "leave"}, RecordingStatusCallback: "https://example.com/rec",
		RecordingStatusCallbackMethod: twiml.MethodPost, RecordingStatusCallbackEvent: []string{"completed"},
		EventCallbackURL: "https://example.com/events",
	})
	r.Dial("", nil).Queue("support", &twiml.QueueAttrs{URL: "https://example.com/connecting", Method: twiml.MethodPost,
		ReservationSid: "WR0123456789abcdef0123456789abcdef", PostWorkActivitySid: "WA0123456789abcdef0123456789abcdef"})
	r.Dial("+14155550124", &twiml.DialAttrs{Extra: []twiml.Attr{{Name: "events", Value: "call-progress-event"}}})
	r.Enqueue("support", &twiml.EnqueueAttrs{Action: "/left", Method: twiml.MethodPost, WaitURL: "/hold", WaitURLMethod: twiml.MethodGet,
		WorkflowSid: "WW0123456789abcdef0123456789abcdef"})
	r.Leave()
	r.Record(&twiml.RecordAttrs{Action: "/recorded", Method: twiml.MethodPost, Timeout: twiml.Int(5), FinishOnKey: twiml.String("#*"),
		MaxLength: twiml.Int(120), PlayBeep: twiml.Bool(true), Trim: "trim-silence", Transcribe: twiml.Bool(false),
		TranscribeCallback: "/transcribed", RecordingStatusCallback: "/rec", RecordingStatusCallbackMethod: twiml.MethodPost,
		RecordingStatusCallbackEvent: []string{"completed"}})
	return r
}

func TestBuilderEveryVerbValidates(t *testing.T) {
	r := everyVoiceVerb()
	rep := r.Validate()
	assert.True(t, rep.Valid(), "errors: %v", rep.Errors())
	// The only warnings are the verbs after <Dial action> and <Record>: the
	// document deliberately lists every verb.
	for _, p := range rep.Warnings() {
		assert.Equal(t, twiml.RuleUnreachable, p.Rule, "%v", p)
	}
	for _, end := range []func(*twiml.VoiceResponse){
		func(r *twiml.VoiceResponse) { r.Hangup() },
		func(r *twiml.VoiceResponse) { r.Reject(&twiml.RejectAttrs{Reason: "busy"}) },
		func(r *twiml.VoiceResponse) {
			r.Redirect("https://example.com/next", &twiml.RedirectAttrs{Method: twiml.MethodGet})
		},
	} {
		r := twiml.NewVoiceResponse()
		end(r)
		rep := r.Validate()
		assert.True(t, rep.Valid(), "%s: %v", r.String(), rep.Problems)
		assert.Empty(t, rep.Problems, r.String())
	}

	m := everyMessagingVerb()
	mrep := m.Validate()
	assert.True(t, mrep.Valid(), "errors: %v", mrep.Errors())
}

func everyMessagingVerb() *twiml.MessagingResponse {
	m := twiml.NewMessagingResponse()
	m.Message("Your driver is on the way.", &twiml.MessageAttrs{To: "+14155550123", From: "+14155550100"})
	receipt := m.Message("", nil)
	receipt.Body("Here is your receipt.")
	receipt.Media("https://example.com/receipt.png")
	m.Message("Rate your trip: reply 1 to 5.", &twiml.MessageAttrs{From: "RideCo", Action: "https://example.com/sms-status", Method: twiml.MethodPost,
		StatusCallback: "https://example.com/sms-status"})
	m.Redirect("https://example.com/more.xml", &twiml.RedirectAttrs{Method: twiml.MethodPost})
	return m
}

func TestBuilderGolden(t *testing.T) {
	say := twiml.NewVoiceResponse()
	say.Say("Sorry, this trip has ended & can't be reached.", &twiml.SayAttrs{Voice: "Polly.Joanna", Language: "en-US"})
	say.Hangup()
	reply := twiml.NewMessagingResponse()
	reply.Message("This conversation has ended. <Reply> HELP for support.", nil)

	tests := []struct {
		name string
		b    interface{ Bytes() ([]byte, error) }
	}{
		{"voice-say-hangup", say},
		{"voice-every-verb", everyVoiceVerb()},
		{"voice-every-noun", everyVoiceNoun()},
		{"messaging-reply", reply},
		{"messaging-every-verb", everyMessagingVerb()},
		{"voice-empty", twiml.NewVoiceResponse()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.b.Bytes()
			require.NoError(t, err)
			golden := filepath.Join("testdata", "golden", tt.name+".xml")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./twiml -run Golden -update")
			assert.Equal(t, string(want), string(got))
		})
	}
}

// The same answer always gives the same bytes, and they are valid.
func TestBuilderDeterministic(t *testing.T) {
	first, err := everyVoiceVerb().Bytes()
	require.NoError(t, err)
	require.True(t, twiml.Validate(first, oosc.Voice).Valid())
	for i := 0; i < 1000; i++ {
		b, err := everyVoiceVerb().Bytes()
		require.NoError(t, err)
		if !bytes.Equal(first, b) {
			t.Fatalf("build %d differs:\n%s\n%s", i, first, b)
		}
	}
	m1, err := everyMessagingVerb().Bytes()
	require.NoError(t, err)
	for i := 0; i < 1000; i++ {
		b, _ := everyMessagingVerb().Bytes()
		require.Equal(t, m1, b)
	}
}

func TestBuilderOutputShape(t *testing.T) {
	r := twiml.NewVoiceResponse()
	r.Dial("+14155550123", &twiml.DialAttrs{Timeout: twiml.Int(20), CallerID: "+14155550100", Action: "/done",
		Extra: []twiml.Attr{{Name: "zeta", Value: "1"}, {Name: "alpha", Value: "2"}}})
	r.Gather(&twiml.GatherAttrs{FinishOnKey: twiml.String("")}).Say("Line\nbreak \"quoted\"", nil)
	got := r.String()
	// Declaration first; typed attributes sorted by name, then extras in their order.
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response>`+
		`<Dial action="/done" callerId="+14155550100" timeout="20" zeta="1" alpha="2">+14155550123</Dial>`+
		`<Gather finishOnKey=""><Say>Line`+"\n"+`break "quoted"</Say></Gather></Response>`, got)
	var w bytes.Buffer
	n, err := r.WriteTo(&w)
	require.NoError(t, err)
	assert.Equal(t, int64(len(got)), n)
	assert.Equal(t, got, w.String())
	assert.Equal(t, oosc.Voice, r.Channel())
}

func TestBuilderErrors(t *testing.T) {
	tests := []struct {
		name  string
		extra []twiml.Attr
	}{
		{"not an XML name", []twiml.Attr{{Name: "bad name", Value: "x"}}},
		{"empty name", []twiml.Attr{{Name: "", Value: "x"}}},
		{"repeats a typed attribute", []twiml.Attr{{Name: "voice", Value: "woman"}}},
		{"repeats an extra", []twiml.Attr{{Name: "x", Value: "1"}, {Name: "x", Value: "2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := twiml.NewVoiceResponse()
			r.Say("Hi", &twiml.SayAttrs{Voice: "man", Extra: tt.extra})
			b, err := r.Bytes()
			assert.Nil(t, b)
			assert.ErrorIs(t, err, twiml.ErrBuild)
			assert.ErrorIs(t, r.Err(), twiml.ErrBuild)
			var w bytes.Buffer
			_, err = r.WriteTo(&w)
			assert.True(t, errors.Is(err, twiml.ErrBuild))
			assert.Zero(t, w.Len(), "nothing written")
			assert.False(t, r.Validate().Valid())
		})
	}
}

// Escape-hatch attributes are validated like the typed ones.
func TestBuilderExtraValidated(t *testing.T) {
	r := twiml.NewVoiceResponse()
	r.Say("Hi", &twiml.SayAttrs{Extra: []twiml.Attr{{Name: "voise", Value: "woman"}}})
	rep := r.Validate()
	require.False(t, rep.Valid())
	assert.True(t, rep.Has(twiml.RuleUnknownAttribute))
}

// Text that XML cannot carry is replaced, never written raw.
func TestBuilderInvalidCharacters(t *testing.T) {
	r := twiml.NewMessagingResponse()
	r.Message("bell\x07 and nul\x00", &twiml.MessageAttrs{To: "+14155550123\x01"})
	b, err := r.Bytes()
	require.NoError(t, err)
	rep := twiml.Validate(b, oosc.SMS)
	assert.False(t, rep.Has(twiml.RuleMalformed), "%v", rep.Problems)
}

package autocreate_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

const corpusDir = "../testdata/autocreate"

// now is the time of the corpus tests, and clock reads it: the documents'
// dates are judged against it.
var now = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// inboundVoice is the interaction the inbound-voice corpus answers.
var inboundVoice = oosc.Inbound{From: "+14155550100", Channel: oosc.Voice}

func files(t *testing.T, dir string) []string {
	t.Helper()
	f, err := filepath.Glob(filepath.Join(corpusDir, dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, f)
	return f
}

func TestCorpusValid(t *testing.T) {
	for _, f := range files(t, "valid") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc, err := os.ReadFile(f)
			require.NoError(t, err)
			s, err := autocreate.Parse(doc)
			require.NoError(t, err)
			assert.NotEmpty(t, s.ParticipantIdentifier)
			_, r := autocreate.ValidateBytes(doc, oosc.Inbound{}, clock)
			assert.True(t, r.Valid(), "%v", r.Problems)
			_, r = autocreate.ValidateBytes(doc, oosc.Inbound{From: "+14155550100", Channel: oosc.SMS}, clock)
			assert.True(t, r.Valid(), "%v", r.Problems)
		})
	}
}

func TestCorpusInvalid(t *testing.T) {
	check := func(t *testing.T, dir string, in oosc.Inbound) {
		for _, f := range files(t, dir) {
			code, _, ok := strings.Cut(filepath.Base(f), "--")
			require.True(t, ok, "%s: name must be CODE--description.json", f)
			t.Run(filepath.Base(f), func(t *testing.T) {
				doc, err := os.ReadFile(f)
				require.NoError(t, err)
				_, r := autocreate.ValidateBytes(doc, in, clock)
				require.False(t, r.Valid())
				require.True(t, r.Has(oosc.Rule(code)), "want %s, got %v", code, r.Problems)
				assert.ErrorIs(t, r.Err(), oosc.ErrInvalid)
				for _, p := range r.Errors() {
					assert.NotEmpty(t, p.Message)
				}
			})
		}
	}
	t.Run("alone", func(t *testing.T) { check(t, "invalid", oosc.Inbound{}) })
	t.Run("inbound voice", func(t *testing.T) { check(t, "inbound-voice", inboundVoice) })
	// Without the inbound interaction, those documents are valid.
	for _, f := range files(t, "inbound-voice") {
		doc, _ := os.ReadFile(f)
		_, r := autocreate.ValidateBytes(doc, oosc.Inbound{}, clock)
		assert.True(t, r.Valid(), "%s: %v", f, r.Problems)
	}
}

// Every parse error names the field and says what is allowed.
func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct {
		doc, field, says string
		code             oosc.Rule
	}{
		{`{"participantIdentifer":"+14155550123"}`, "participantIdentifer", "did you mean participantIdentifier", autocreate.RuleUnknownField},
		{`{"participantIdentifier":"+14155550123","TTL":5}`, "TTL", "must be written ttl", autocreate.RuleFieldCase},
		{`{"participantIdentifier":"+14155550123","ttl":"60"}`, "ttl", "found a string", autocreate.RuleWrongType},
		{`{"participantIdentifier":"+14155550123","ttl":1e3}`, "ttl", "digits only", autocreate.RuleInvalidTTL},
		{`{"participantIdentifier":"+14155550123","mode":{}}`, "mode", "found an object", autocreate.RuleWrongType},
		{`{"participantIdentifier":"+14155550123","participantIdentifier":"+1"}`, "participantIdentifier", "more than once", autocreate.RuleDuplicateField},
		{`{}`, "participantIdentifier", "is required", autocreate.RuleMissingField},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			_, err := autocreate.Parse([]byte(tt.doc))
			var e *oosc.ValidationError
			require.ErrorAs(t, err, &e)
			require.NotEmpty(t, e.Problems)
			p := e.Problems[0]
			assert.Equal(t, tt.code, p.Rule)
			assert.Equal(t, tt.field, p.Field)
			assert.Contains(t, p.Message, tt.says)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
}

// One case per validation rule of the contract, on Session values.
func TestValidateRules(t *testing.T) {
	ok := autocreate.Session{ParticipantIdentifier: "+14155550123"}
	with := func(f func(*autocreate.Session)) autocreate.Session { s := ok; f(&s); return s }
	sms := oosc.Inbound{From: "+14155550100", Channel: oosc.SMS}
	tests := []struct {
		name    string
		s       autocreate.Session
		in      oosc.Inbound
		code    oosc.Rule // "" when valid with no problem
		warning bool
	}{
		{"minimal", ok, sms, "", false},
		{"missing identifier", autocreate.Session{}, sms, autocreate.RuleMissingField, false},
		{"bad mode", with(func(s *autocreate.Session) { s.Mode = "text" }), sms, autocreate.RuleInvalidMode, false},
		{"negative ttl", with(func(s *autocreate.Session) { s.TTL = -time.Second }), sms, autocreate.RuleInvalidTTL, false},
		{"fractional ttl is written rounded up", with(func(s *autocreate.Session) { s.TTL = 1500 * time.Millisecond }), sms, "", false},
		{"past expiry", with(func(s *autocreate.Session) { s.DateExpiry = now.Add(-time.Minute) }), sms, autocreate.RuleDateNotFuture, false},
		{"expiry now", with(func(s *autocreate.Session) { s.DateExpiry = now }), sms, autocreate.RuleDateNotFuture, false},
		{"long unique name", with(func(s *autocreate.Session) { s.UniqueName = strings.Repeat("é", 192) }), sms, autocreate.RuleTooLong, false},
		{"unique name at limit", with(func(s *autocreate.Session) { s.UniqueName = strings.Repeat("é", 191) }), sms, "", false},
		{"not E.164", with(func(s *autocreate.Session) { s.ParticipantIdentifier = "(415) 555-0123" }), sms, autocreate.RuleInvalidIdentifier, false},
		{"identifier too long", with(func(s *autocreate.Session) { s.ParticipantIdentifier = "messenger:" + strings.Repeat("1", 190) }), sms, autocreate.RuleInvalidIdentifier, false},
		{"bad proxy identifier", with(func(s *autocreate.Session) { s.ParticipantProxyIdentifier = "pool" }), sms, autocreate.RuleInvalidIdentifier, false},
		{"sender as participant", with(func(s *autocreate.Session) { s.ParticipantIdentifier = "+14155550100" }), sms, autocreate.RuleSenderAsParticipant, false},
		{"voice-only for a message", with(func(s *autocreate.Session) { s.Mode = autocreate.VoiceOnly }), sms, autocreate.RuleModeChannel, false},
		{"message-only for a call", with(func(s *autocreate.Session) { s.Mode = autocreate.MessageOnly }), inboundVoice, autocreate.RuleModeChannel, false},
		{"voice-and-message for a call", with(func(s *autocreate.Session) { s.Mode = autocreate.VoiceAndMessage }), inboundVoice, "", false},
		{"channel address in voice mode", with(func(s *autocreate.Session) {
			s.ParticipantIdentifier, s.Mode = "whatsapp:+14155550123", autocreate.VoiceAndMessage
		}), sms, autocreate.RuleAddressNeedsMessaging, false},
		{"channel address, mode unset", with(func(s *autocreate.Session) { s.ParticipantIdentifier = "whatsapp:+14155550123" }), sms, autocreate.RuleModeUnset, true},
		{"phone number in unique name", with(func(s *autocreate.Session) { s.UniqueName = "ride-+1 415 555 0100" }), sms, autocreate.RulePII, true},
		{"ttl and dateExpiry", with(func(s *autocreate.Session) { s.TTL, s.DateExpiry = time.Hour, now.Add(time.Hour) }), sms, autocreate.RuleTTLAndExpiry, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.s.ValidateFor(tt.in, clock)
			if tt.code == "" {
				assert.Empty(t, r.Problems)
				return
			}
			require.True(t, r.Has(tt.code), "want %s, got %v", tt.code, r.Problems)
			assert.Equal(t, tt.warning, r.Valid(), "%v", r.Problems)
		})
	}
}

func TestMarshal(t *testing.T) {
	s := autocreate.Session{
		ParticipantProxyIdentifier: "+14155550199",
		ParticipantIdentifier:      "+14155550123",
		DateExpiry:                 time.Date(2027, 6, 1, 14, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
		TTL:                        time.Hour,
		Mode:                       autocreate.VoiceAndMessage,
		UniqueName:                 "ride-<8812>",
	}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `{"uniqueName":"ride-\u003c8812\u003e","mode":"voice-and-message","ttl":3600,"dateExpiry":"2027-06-01T12:00:00Z","participantIdentifier":"+14155550123","participantProxyIdentifier":"+14155550199"}`, string(b))
	for i := 0; i < 100; i++ {
		again, _ := json.Marshal(s)
		require.Equal(t, b, again)
	}
	b, err = json.Marshal(autocreate.Session{ParticipantIdentifier: "+14155550123"})
	require.NoError(t, err)
	assert.Equal(t, `{"participantIdentifier":"+14155550123"}`, string(b))

	_, err = json.Marshal(autocreate.Session{ParticipantIdentifier: "+14155550123", TTL: -time.Second})
	assert.ErrorIs(t, err, autocreate.ErrMarshal)

	var back autocreate.Session
	require.NoError(t, json.Unmarshal([]byte(`{"ttl":60,"participantIdentifier":"+14155550123"}`), &back))
	assert.Equal(t, time.Minute, back.TTL)
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"TTL":60,"participantIdentifier":"+1"}`), &back), oosc.ErrInvalid)
}

// A TTL computed as time.Until(t) has a fraction of a second: it is
// written in whole seconds rounded up, so a positive TTL never becomes 0
// (no expiry), and it reads back as at least what was asked.
func TestMarshalRoundsTTLUp(t *testing.T) {
	for _, tt := range []struct {
		ttl  time.Duration
		want string
	}{
		{time.Nanosecond, "1"},
		{1500 * time.Millisecond, "2"},
		{time.Hour - time.Microsecond, "3600"},
		{time.Hour, "3600"},
		{time.Hour + time.Nanosecond, "3601"},
	} {
		s := autocreate.Session{ParticipantIdentifier: "+14155550123", TTL: tt.ttl}
		b, err := json.Marshal(s)
		require.NoError(t, err, "ttl %v", tt.ttl)
		assert.Equal(t, `{"ttl":`+tt.want+`,"participantIdentifier":"+14155550123"}`, string(b), "ttl %v", tt.ttl)
		back, err := autocreate.Parse(b)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, back.TTL, tt.ttl)
		assert.True(t, s.Validate(time.Now).Valid(), "ttl %v", tt.ttl)
	}
}

func TestParseIdentifier(t *testing.T) {
	tests := []struct {
		in      string
		kind    autocreate.IdentifierKind
		channel string
		ok      bool
	}{
		{"+14155550123", autocreate.Phone, "", true},
		{"+447700900123", autocreate.Phone, "", true},
		{"whatsapp:+14155550123", autocreate.ChannelAddress, "whatsapp", true},
		{"messenger:123456", autocreate.ChannelAddress, "messenger", true},
		{"+1", 0, "", false},
		{"+1234567890123456", 0, "", false},
		{"14155550123", 0, "", false},
		{"whatsapp:14155550123", autocreate.ChannelAddress, "whatsapp", false},
		{"messenger:", autocreate.ChannelAddress, "messenger", false},
		{"sms:+14155550123", autocreate.ChannelAddress, "sms", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		id, err := autocreate.ParseIdentifier(tt.in)
		if !tt.ok {
			assert.ErrorIs(t, err, autocreate.ErrInvalidIdentifier, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.kind, id.Kind, tt.in)
		assert.Equal(t, tt.channel, id.Channel, tt.in)
	}
}

// A report lists at most oosc.MaxProblems problems, then counts the rest in
// one more, an error when any of them is.
func TestProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"participantIdentifier":"+14155550123"`)
	for i := range 150 {
		fmt.Fprintf(&b, `,"k%d":1`, i)
	}
	b.WriteString("}")
	_, rep := autocreate.ValidateBytes([]byte(b.String()), oosc.Inbound{Channel: oosc.SMS, From: "+14155550100"}, nil)
	require.Len(t, rep.Problems, oosc.MaxProblems+1)
	last := rep.Problems[oosc.MaxProblems]
	assert.Equal(t, oosc.RuleTooManyProblems, last.Rule)
	assert.Equal(t, oosc.SeverityError, last.Severity)
	assert.Equal(t, "50 more problems are not listed", last.Message)
	assert.False(t, rep.Valid())
}

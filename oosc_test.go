package oosc_test

import (
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
)

func TestParseChannel(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want oosc.Channel
		ok   bool
	}{{"voice", oosc.Voice, true}, {"VOICE", oosc.Voice, true}, {"sms", oosc.SMS, true}, {"Messaging", oosc.SMS, true}, {"fax", "", false}, {"", "", false}} {
		got, err := oosc.ParseChannel(tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.ok, err == nil, tt.in)
		if !tt.ok {
			assert.ErrorIs(t, err, oosc.ErrUnknownChannel)
		}
	}
	assert.Equal(t, []oosc.Channel{oosc.Voice, oosc.SMS}, oosc.Channels())
	assert.False(t, oosc.Channel("messaging").Valid(), "only the canonical names are valid values")
}

func TestCode(t *testing.T) {
	assert.Equal(t, "Unknown Scenario", oosc.CodeUnknownScenario.String())
	assert.True(t, oosc.CodeUnknownScenario.Known())
	assert.True(t, oosc.CodeUnknownScenario.Warning(), "80905 is logged as a warning")
	assert.Equal(t, "https://www.twilio.com/docs/errors/80905", oosc.CodeUnknownScenario.URL())
	assert.False(t, oosc.Code(99999).Known())
	assert.Equal(t, "Twilio error 99999", oosc.Code(99999).String())
	for _, c := range []oosc.Code{oosc.CodeDocumentParseFailure, oosc.CodeOutOfSessionCallbackError, oosc.CodeBadParameters, oosc.CodeStreamURLScheme} {
		assert.True(t, c.Known(), "%d", int(c))
		assert.NotEmpty(t, c.String())
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []oosc.Severity{oosc.SeverityError, oosc.SeverityWarning} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back oosc.Severity
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	var s oosc.Severity
	assert.Error(t, s.UnmarshalText([]byte("fatal")))
	assert.Equal(t, "severity(9)", oosc.Severity(9).String())
}

func TestProblemString(t *testing.T) {
	p := oosc.Problem{Severity: oosc.SeverityError, Rule: "unknown-attribute", Code: 12200, Path: "/Response/Say[1]", Attr: "x", Line: 1, Message: "no such attribute"}
	assert.Equal(t, "error /Response/Say[1]@x (line 1): unknown-attribute: no such attribute [12200]", p.String())
	p = oosc.Problem{Severity: oosc.SeverityWarning, Channel: oosc.SMS, Rule: "mode-unset", Field: "mode", Message: "m"}
	assert.Equal(t, "sms: warning mode: mode-unset: m", p.String())
	assert.Equal(t, "error /: r: m", oosc.Problem{Severity: oosc.SeverityError, Rule: "r", Message: "m"}.String())
}

func TestReport(t *testing.T) {
	warn := oosc.Problem{Severity: oosc.SeverityWarning, Rule: "w", Code: 12200}
	e1 := oosc.Problem{Severity: oosc.SeverityError, Rule: "a", Code: 80905}
	e2 := oosc.Problem{Severity: oosc.SeverityError, Rule: "b", Code: 12100}
	r := oosc.Report{Problems: []oosc.Problem{warn, e1, e2, e1}}
	assert.False(t, r.Valid())
	assert.Equal(t, []oosc.Problem{e1, e2, e1}, r.Errors())
	assert.Equal(t, []oosc.Problem{warn}, r.Warnings())
	assert.Equal(t, []oosc.Code{12100, 80905}, r.Codes(), "errors only, ascending, once each")
	assert.True(t, r.Has("w"))
	assert.False(t, r.Has("z"))
	err := r.Err()
	assert.ErrorIs(t, err, oosc.ErrInvalid)
	var ve *oosc.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 3)

	ok := oosc.Report{Problems: []oosc.Problem{warn}}
	assert.True(t, ok.Valid())
	assert.NoError(t, ok.Err())
	assert.Equal(t, []oosc.Code{}, ok.Codes())
	b, err := json.Marshal(oosc.Report{})
	require.NoError(t, err)
	assert.Equal(t, `{"problems":null}`, string(b))
}

func TestValidationError(t *testing.T) {
	many := make([]oosc.Problem, 5)
	for i := range many {
		many[i] = oosc.Problem{Severity: oosc.SeverityError, Rule: "r", Message: "m"}
	}
	e := &oosc.ValidationError{Subject: "TwiML answer to a call", Problems: many}
	assert.Equal(t, "oosc: invalid TwiML answer to a call: 5 errors; error /: r: m; error /: r: m; error /: r: m; and 2 more", e.Error())
	wrapped := &oosc.ValidationError{Subject: "answer", Err: io.ErrUnexpectedEOF}
	assert.Equal(t, "oosc: invalid answer: unexpected EOF", wrapped.Error())
	assert.ErrorIs(t, wrapped, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, wrapped, oosc.ErrInvalid)
	assert.False(t, errors.Is(errors.New("x"), oosc.ErrInvalid))
}

func TestCauseDescribe(t *testing.T) {
	for _, c := range []oosc.Cause{oosc.CauseNoPreviousSession, oosc.CauseSessionClosed, oosc.CauseSessionExpired, oosc.CauseSessionFailed, oosc.CauseOtherProxyNumber, oosc.CauseUnknown} {
		assert.NotEmpty(t, c.Describe(), c)
		assert.NotEqual(t, oosc.Cause("nonsense").Describe(), c.Describe())
	}
}

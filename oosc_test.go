package oosc_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
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
	assert.Equal(t, "80905", oosc.CodeUnknownScenario.String())
	assert.Equal(t, "Unknown Scenario", oosc.CodeUnknownScenario.Title())
	assert.Equal(t, "[12100 80905]", fmt.Sprint([]oosc.Code{oosc.CodeDocumentParseFailure, oosc.CodeUnknownScenario}), "a list of codes prints as numbers")
	assert.Equal(t, "80905 80905", fmt.Sprintf("%s %v", oosc.CodeUnknownScenario, oosc.CodeUnknownScenario))
	assert.True(t, oosc.CodeUnknownScenario.Known())
	assert.True(t, oosc.CodeUnknownScenario.Warning(), "80905 is logged as a warning")
	assert.Equal(t, "https://www.twilio.com/docs/errors/80905", oosc.CodeUnknownScenario.URL())
	assert.False(t, oosc.Code(99999).Known())
	assert.Equal(t, "99999", oosc.Code(99999).String())
	assert.Empty(t, oosc.Code(99999).Title(), "no title for an unknown code, as http.StatusText")
	for _, c := range []oosc.Code{oosc.CodeDocumentParseFailure, oosc.CodeOutOfSessionCallbackError, oosc.CodeBadParameters, oosc.CodeStreamURLScheme} {
		assert.True(t, c.Known(), "%d", int(c))
		assert.NotEmpty(t, c.Title())
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []oosc.Severity{0, oosc.SeverityError, oosc.SeverityWarning} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		back := oosc.Severity(7)
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	var s oosc.Severity
	assert.ErrorIs(t, s.UnmarshalText([]byte("fatal")), oosc.ErrUnknownSeverity)
	_, err := oosc.Severity(9).MarshalText()
	assert.ErrorIs(t, err, oosc.ErrUnknownSeverity)
	_, err = oosc.Severity(-1).MarshalText()
	assert.ErrorIs(t, err, oosc.ErrUnknownSeverity)
	assert.Equal(t, "severity(9)", oosc.Severity(9).String())
	assert.Empty(t, oosc.Severity(0).String())
}

// Every Problem that marshals reads back the same, the zero Problem too.
func TestProblemJSONRoundTrip(t *testing.T) {
	for _, p := range []oosc.Problem{
		{},
		{Severity: oosc.SeverityError, Rule: "malformed", Code: 12100, Line: 3, Message: "m"},
		{Severity: oosc.SeverityWarning, Channel: oosc.SMS, Rule: "r", Path: "/Response/Say[1]", Attr: "voice", Field: "mode", Message: "<&>"},
	} {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		var back oosc.Problem
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
		assert.Equal(t, p, back, "%s", b)
	}
	var back oosc.Problem
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"severity":"fatal"}`), &back), oosc.ErrUnknownSeverity)
}

// FuzzProblemJSON: whatever reads as a Problem writes and reads back as
// the same Problem.
func FuzzProblemJSON(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"severity":"","rule":"","message":""}`))
	f.Add([]byte(`{"severity":"error","rule":"malformed","code":12100,"line":3,"message":"m"}`))
	f.Add([]byte(`{"severity":"warning","rule":"r","channel":"sms","path":"/Response","attr":"a","field":"f","message":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p oosc.Problem
		if json.Unmarshal(data, &p) != nil {
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a Problem read from %q does not write: %v", data, err)
		}
		var back oosc.Problem
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s does not read back: %v", b, err)
		}
		if !reflect.DeepEqual(p, back) {
			t.Fatalf("round trip changed %#v into %#v", p, back)
		}
	})
}

func TestAnswerKind(t *testing.T) {
	assert.Equal(t, twiml.ContentType, oosc.TwiMLAnswer.ContentType())
	assert.Equal(t, autocreate.ContentType, oosc.AutoCreateAnswer.ContentType())
	assert.Empty(t, oosc.AnswerKind("fax").ContentType())
}

func TestSessionStatus(t *testing.T) {
	for s, active := range map[oosc.SessionStatus]bool{oosc.SessionOpen: true, oosc.SessionInProgress: true,
		oosc.SessionClosed: false, oosc.SessionFailed: false, oosc.SessionUnknown: false, "": false} {
		assert.Equal(t, active, s.Active(), s)
	}
}

// A problem's text names its Twilio code once: the message does not repeat
// the code that String appends. Checked over the TwiML corpus, whose
// invalid documents cause every code the validator gives.
func TestProblemTextNamesCodeOnce(t *testing.T) {
	var problems []oosc.Problem
	for _, ch := range oosc.Channels() {
		files, err := filepath.Glob(filepath.Join("testdata", "twiml", "invalid", string(ch), "*"))
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, name := range files {
			doc, err := os.ReadFile(name)
			require.NoError(t, err)
			problems = append(problems, twiml.Validate(doc, ch).Problems...)
		}
	}
	problems = append(problems, twiml.Validate([]byte("<Response><Say/></Response>"), oosc.Voice).Problems...)
	problems = append(problems, twiml.Validate([]byte("<Response><Dial><Sip>x</Sip></Dial></Response>"), oosc.Voice).Problems...)
	codes := map[oosc.Code]bool{}
	for _, p := range problems {
		if p.Code == 0 {
			continue
		}
		codes[p.Code] = true
		n := strings.Count(p.String(), p.Code.String())
		assert.Equal(t, 1, n, "%s", p)
	}
	for _, c := range []oosc.Code{oosc.CodeDocumentParseFailure, oosc.CodeRootNotResponse, oosc.CodeSayInvalidText, oosc.CodeInvalidSIPURI} {
		assert.True(t, codes[c], "the corpus gives no problem of code %d", c)
	}
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

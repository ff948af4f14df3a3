package emulator_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/emulator"
)

// closedURL is an http URL on loopback at which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u := "http://" + ln.Addr().String() + "/out-of-session"
	ln.Close()
	return u
}

// autoCreating is a callback that answers every contact with doc as
// auto-create JSON.
func autoCreating(doc string) func(*emulator.ServiceConfig, *emulator.Proxy) {
	return answering(answerWith("application/json", doc, http.StatusOK))
}

// eventsOf returns the events of code the emulator logged.
func eventsOf(e *emu, code oosc.Code) []debugger.Event {
	var out []debugger.Event
	for _, ev := range e.Events() {
		if ev.Code == code {
			out = append(out, ev)
		}
	}
	return out
}

// Every code the emulator logs, in each way it logs it, is explained from
// what happened: the summary names what the emulator saw (the URL, the
// status or why no answer came, the value at fault, the Session), and the
// fix is the one for that cause. Each row produces the event through the
// emulator's Go API and checks its explanation as logged.
func TestExplanationsFollowWhatHappened(t *testing.T) {
	type produced struct {
		e   *emu
		url string // the webhook's URL, when one is concerned
	}
	rows := []struct {
		name    string
		produce func(t *testing.T) produced
		code    oosc.Code
		summary []string // in the summary
		fix     []string // in the fix
		not     []string // in neither
		cases   []debugger.Case
	}{
		{name: "opt-out keyword",
			produce: func(t *testing.T) produced {
				e := newEmu(t, reconnect(), nil, nil)
				e.in(oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: "STOP"})
				return produced{e: e}
			},
			code: oosc.CodeMessageMatchedStopWord, summary: []string{"a message from " + rider + " to " + pn1, "opt-out keyword"}, fix: []string{"opted out"}},
		{name: "a call into a message-only Session",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, nil, nil)
				_, err := e.create(ride("ride-1", autocreate.MessageOnly, 0))
				require.NoError(t, err)
				e.in(call(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeCallToMessageOnlySession, summary: []string{"a call from " + rider, "Session ride-1", "message-only"}, fix: []string{"voice-and-message"}},
		{name: "a message into a voice-only Session",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, nil, nil)
				_, err := e.create(ride("ride-1", autocreate.VoiceOnly, 0))
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeMessageToVoiceOnlySession, summary: []string{"a message from " + rider, "Session ride-1", "voice-only"}, fix: []string{"voice-and-message"}},
		{name: "a Session with no other Participant",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, nil, nil)
				_, err := e.create(emulator.NewSession{UniqueName: "alone", Participants: []emulator.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}}})
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeNoPartnerParticipant, summary: []string{"Session alone", "no other Participant"}, fix: []string{"second Participant"}},
		{name: "the intercept callback's 403 to a contact",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("text/plain", "no", http.StatusForbidden)) + "/intercept"
					c.InterceptCallbackURL = u
				}, nil)
				_, err := e.create(ride("ride-1", "", 0))
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeInboundContactRejected, summary: []string{"intercept callback at URL answered 403", "the contact from " + rider}, fix: []string{"answer 2xx"}},
		{name: "the intercept callback's 403 to a Message Interaction",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("text/plain", "no", http.StatusForbidden)) + "/intercept"
					c.InterceptCallbackURL = u
				}, nil)
				s, err := e.create(ride("ride-1", "", 0))
				require.NoError(t, err)
				_, err = e.SendMessage(context.Background(), svc, "ride-1", s.Participants[1].Sid, "your driver is here", nil)
				require.Error(t, err)
				return produced{e: e, url: u}
			},
			code: oosc.CodeInboundContactRejected, summary: []string{"intercept callback at URL answered 403", "a Message Interaction in Session ride-1"}, fix: []string{"answer 2xx"}},
		{name: "the Session changed while the intercept callback was asked",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						s, err := p.Session(svc, "ride-1")
						if err == nil {
							p.RemoveParticipant(svc, "ride-1", s.Participants[1].Sid)
						}
					})) + "/intercept"
					c.InterceptCallbackURL = u
				}, nil)
				_, err := e.create(ride("ride-1", "", 0))
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeUnknownParticipant, summary: []string{"Session ride-1 changed", "while the intercept callback at URL was asked"}, fix: []string{"do not remove Participants"}},
		{name: "no out-of-session callback",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, nil, nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"no out-of-session callback", "KS"}, fix: []string{"OutOfSessionCallbackUrl"},
			cases: []debugger.Case{debugger.CaseNotInSession, debugger.CaseNoCallback}},
		{name: "80913: nothing listens at the callback's URL",
			produce: func(t *testing.T) produced {
				u := closedURL(t)
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.OutOfSessionCallbackURL = u }, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeOutOfSessionCallbackError, summary: []string{"nothing listens at URL", "connection refused"}, fix: []string{"start the server", "OutOfSessionCallbackUrl"},
			not: []string{"15 s", "DecisionTimeout"}, cases: []debugger.Case{debugger.CaseNotInSession}},
		{name: "80913: no answer in time",
			produce: func(t *testing.T) produced {
				var u string
				release := make(chan struct{})
				t.Cleanup(func() { close(release) })
				p := emulator.New(&emulator.Options{Start: t0, WebhookTimeout: 200 * time.Millisecond})
				t.Cleanup(p.Close)
				u = p.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-release:
					case <-r.Context().Done():
					}
				})) + "/slow"
				_, err := p.CreateService(emulator.ServiceConfig{UniqueName: svc, OutOfSessionCallbackURL: u})
				require.NoError(t, err)
				_, err = p.AddNumber(svc, emulator.NewPhoneNumber{Number: pn1})
				require.NoError(t, err)
				e := &emu{Proxy: p, t: t}
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeOutOfSessionCallbackError, summary: []string{"URL did not answer in time", "15 s"}, fix: []string{"within 15 s", "DecisionTimeout"},
			not: []string{"nothing listens"}},
		{name: "80913: status 500",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("text/html", "oops", http.StatusInternalServerError)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeOutOfSessionCallbackError, summary: []string{"at URL answered status 500", "only a 2xx"}, fix: []string{"fallback"}, not: []string{"15 s"}},
		{name: "80913: status 403",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("text/plain", "Forbidden", http.StatusForbidden)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeOutOfSessionCallbackError, summary: []string{"answered status 403"}, fix: []string{"auth token"}},
		{name: "80913: status 404",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(http.NotFoundHandler()) + "/wrong-path"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeOutOfSessionCallbackError, summary: []string{"answered status 404"}, fix: []string{"path"}},
		{name: "80913: a redirect",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(http.RedirectHandler("https://hooks.example.com/oos", http.StatusFound)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeOutOfSessionCallbackError, summary: []string{"answered status 302, a redirect to https://hooks.example.com/oos, which Proxy does not follow"},
			fix: []string{"where the redirect points (https://hooks.example.com/oos)"}},
		{name: "12100 beside 80905: TwiML that does not parse",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("application/xml", "<Response><Message>hi</Response>", http.StatusOK)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeDocumentParseFailure, summary: []string{"at URL answered 200 with application/xml, which Proxy refuses", "80905"}, fix: []string{"fix the TwiML"},
			not: []string{"not one of Proxy's codes"}, cases: []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}},
		{name: "80905 beside 12100",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("application/xml", "<Response><Message>hi</Response>", http.StatusOK)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"at URL answered 200 with application/xml, which Proxy refuses"}, fix: []string{"fix the TwiML"},
			cases: []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}},
		{name: "13803 beside 80905: messaging TwiML to a call",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("application/xml", "<Response><Message>hi</Message></Response>", http.StatusOK)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(call(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeSMSVerbNotSupported, summary: []string{"at URL answered 200 with application/xml", "Message"}, fix: []string{"fix the TwiML"},
			not: []string{"not one of Proxy's codes"}},
		{name: "12102 beside 80905: a root other than Response",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, answering(answerWith("application/xml", "<Message>hi</Message>", http.StatusOK)), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeRootNotResponse, summary: []string{"which Proxy refuses", "Response"}, fix: []string{"fix the TwiML"}, not: []string{"not one of Proxy's codes"}},
		{name: "80905: a Content-Type Proxy does not take",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, answering(answerWith("text/html", "<Response/>", http.StatusOK)), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"200 with text/html, which Proxy refuses"}, fix: []string{"application/xml"}},
		{name: "80905: auto-create JSON without participantIdentifier",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"uniqueName":"ride-2"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"200 with application/json, which Proxy refuses", "participantIdentifier"}, fix: []string{"auto-create JSON"}},
		{name: "80603: auto-create with a uniqueName in use",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("application/json", `{"participantIdentifier":"`+driver+`","uniqueName":"ride-1"}`, http.StatusOK)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				_, err := e.create(emulator.NewSession{UniqueName: "ride-1", Participants: []emulator.NewParticipant{{Identifier: stranger}}})
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeNonUniqueSessionName, summary: []string{"at URL answered auto-create JSON", `uniqueName "ride-1" is already used`, "created no Session"},
			fix: []string{"uniqueName of its own"}, not: []string{"no callback request", "OutOfSessionCallbackUrl", "harmless"},
			cases: []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}},
		{name: "80905 beside 80603",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("application/json", `{"participantIdentifier":"`+driver+`","uniqueName":"ride-1"}`, http.StatusOK)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				_, err := e.create(emulator.NewSession{UniqueName: "ride-1", Participants: []emulator.NewParticipant{{Identifier: stranger}}})
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code:    oosc.CodeUnknownScenario,
			summary: []string{"at URL answered auto-create JSON that Proxy could not carry out (80603 Non Unique Session Name)", `uniqueName "ride-1" is already used`, "the sender is in no open Session"},
			fix:     []string{"uniqueName of its own"}, not: []string{"no callback request", "case 3", "OutOfSessionCallbackUrl"},
			cases: []debugger.Case{debugger.CaseNotInSession, debugger.CaseInvalidAnswer}},
		{name: "20001 beside 80905: a uniqueName shaped like a SID",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","uniqueName":"KC0123456789abcdef0123456789abcdef"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeBadParameters, summary: []string{"shaped like a Session SID"}, fix: []string{"never a SID"}, not: []string{"not one of Proxy's codes"}},
		{name: "80905 beside 20001",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","uniqueName":"KC0123456789abcdef0123456789abcdef"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"(20001", "shaped like a Session SID"}, fix: []string{"never a SID"}},
		{name: "80701 beside 80905: a uniqueName over 191 characters",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","uniqueName":"`+strings.Repeat("n", 192)+`"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeParameterValidation, summary: []string{"uniqueName is 192 characters"}, fix: []string{"191 characters"}},
		{name: "80701 beside 80905: a dateExpiry past on the virtual clock",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","dateExpiry":"2026-01-05T09:00:00Z"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeParameterValidation, summary: []string{"dateExpiry 2026-01-05T09:00:00Z is not in the future"}, fix: []string{"dateExpiry in the future"}},
		{name: "80905 beside 80701: a dateExpiry past on the virtual clock",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","dateExpiry":"2026-01-05T09:00:00Z"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"(80701", "dateExpiry 2026-01-05T09:00:00Z is not in the future"}, fix: []string{"dateExpiry in the future"}},
		{name: "80103 beside 80905: the sender named as participant",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+rider+`"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeParticipantAlreadyInSession, summary: []string{"participantIdentifier " + rider, "sender"}, fix: []string{"never the sender"}},
		{name: "80905 beside 80103",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+rider+`"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeUnknownScenario, summary: []string{"(80103", "participantIdentifier " + rider}, fix: []string{"never the sender"}},
		{name: "80404 beside 80905: an identifier neither E.164 nor an address",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"driver-7"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeParticipantIdentifierBad, summary: []string{"driver-7"}, fix: []string{"E.164"}},
		{name: "80616 beside 80905: a channel address outside message-only",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"whatsapp:`+driver+`","mode":"voice-and-message"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeIdentifierTypeForMode, summary: []string{"whatsapp:" + driver, "message-only"}, fix: []string{"mode message-only"}},
		{name: "80605 beside 80905: a participantProxyIdentifier not in the pool",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","participantProxyIdentifier":"+14155550199"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeProxyIdentifierNotInService, summary: []string{"participantProxyIdentifier +14155550199 is not a number of the Service's pool"}, fix: []string{"leave it out"}},
		{name: "80604 beside 80905: the participant holds that number elsewhere",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`","participantProxyIdentifier":"`+pn2+`"}`), nil)
				_, err := e.create(emulator.NewSession{UniqueName: "held", Participants: []emulator.NewParticipant{{Identifier: driver, ProxyIdentifier: pn2}}})
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeProxyIdentifierInUse, summary: []string{"participantIdentifier " + driver + " already holds proxy number " + pn2}, fix: []string{"leave participantProxyIdentifier out"}},
		{name: "80203 beside 80905: no number of the participant's country",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"+33612345678"}`), nil)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeNoProxyForCountry, summary: []string{"country of participantIdentifier +33612345678"}, fix: []string{"that country"}},
		{name: "80206 beside 80905: no number of the participant's area code",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					autoCreating(`{"participantIdentifier":"+12125550100"}`)(c, p)
					c.GeoMatchLevel = emulator.GeoMatchAreaCode
				}, []emulator.NewPhoneNumber{{Number: "+19515550100"}})
				e.in(sms(rider, "+19515550100"))
				return produced{e: e}
			},
			code: oosc.CodeNoAvailableProxy, summary: []string{"GeoMatchLevel", "+12125550100"}, fix: []string{"GeoMatchLevel"}},
		{name: "80207 beside 80905: every matching number reserved",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"+33612345678"}`),
					[]emulator.NewPhoneNumber{{Number: pn1}, {Number: "+33612340000", Reserved: true}})
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeNoUnreservedNumbers, summary: []string{"+33612345678 is reserved"}, fix: []string{"unreserved numbers"}},
		{name: "80208 beside 80905: every matching number paired with the participant",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, autoCreating(`{"participantIdentifier":"`+driver+`"}`), []emulator.NewPhoneNumber{{Number: pn1}})
				_, err := e.create(one(driver))
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e}
			},
			code: oosc.CodeNoAvailableUnusedProxy, summary: []string{"already pairs it with someone"}, fix: []string{"add numbers to the pool"}},
		{name: "80911 after auto-create: a message-only Session for a call",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("application/json", `{"participantIdentifier":"`+driver+`","uniqueName":"by-call","mode":"message-only"}`, http.StatusOK)) + "/oos"
					c.OutOfSessionCallbackURL = u
				}, nil)
				e.in(call(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeCallToMessageOnlySession, summary: []string{"at URL answered auto-create JSON, and Proxy created Session by-call", "but its mode message-only cannot carry a call, so Proxy refused the contact"},
			fix: []string{"answer mode voice-and-message"}},
		{name: "80908: nothing listens at the status callback",
			produce: func(t *testing.T) produced {
				u := closedURL(t)
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.CallbackURL = u }, nil)
				_, err := e.create(ride("ride-1", "", 0))
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeCallbackError, summary: []string{"interaction status callback gave no answer: nothing listens at URL", "went through in Session ride-1"},
			fix: []string{"CallbackUrl"}, not: []string{"15 s"}},
		{name: "80908: the status callback answers 500",
			produce: func(t *testing.T) produced {
				var u string
				e := newEmu(t, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
					u = p.Serve(answerWith("text/plain", "oops", http.StatusInternalServerError)) + "/status"
					c.CallbackURL = u
				}, nil)
				_, err := e.create(ride("ride-1", "", 0))
				require.NoError(t, err)
				e.in(sms(rider, pn1))
				return produced{e: e, url: u}
			},
			code: oosc.CodeCallbackError, summary: []string{"interaction status callback at URL answered status 500", "went through"}, fix: []string{"failed"}},
		{name: "80904: a Session reached its ttl",
			produce: func(t *testing.T) produced {
				e := newEmu(t, nil, nil, nil)
				_, err := e.create(ride("ride-1", "", time.Hour))
				require.NoError(t, err)
				e.advance(2 * time.Hour)
				return produced{e: e}
			},
			code: oosc.CodeExpiredSession, summary: []string{"Session ride-1 reached its ttl"}, fix: []string{"ttl"}, cases: []debugger.Case{debugger.CaseSessionEnded}},
		{name: "80802: a create made a pair active twice",
			produce: func(t *testing.T) produced {
				e := newEmuWith(t, &emulator.Options{Start: t0, AllowParticipantConflict: true}, nil, nil, nil)
				_, err := e.create(ride("first", "", 0))
				require.NoError(t, err)
				_, err = e.create(emulator.NewSession{UniqueName: "second", Participants: []emulator.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: stranger}}})
				require.NoError(t, err)
				return produced{e: e}
			},
			code: oosc.CodeCreatePairConflict, summary: []string{"in Session second", "pair from " + rider + " to " + pn1}, fix: []string{"FailOnParticipantConflict"}},
		{name: "80801: a reopen made a pair active twice",
			produce: func(t *testing.T) produced {
				e := newEmuWith(t, &emulator.Options{Start: t0, AllowParticipantConflict: true}, nil, nil, nil)
				_, err := e.create(ride("first", "", 0))
				require.NoError(t, err)
				require.NoError(t, e.CloseSession(svc, "first"))
				_, err = e.create(ride("second", "", 0))
				require.NoError(t, err)
				require.NoError(t, e.ReopenSession(svc, "first"))
				return produced{e: e}
			},
			code: oosc.CodeReopenPairConflict, summary: []string{"reopening Session first", "pair from " + rider + " to " + pn1}, fix: []string{"reopen only"}},
	}
	seen := map[oosc.Code]bool{}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got := row.produce(t)
			events := eventsOf(got.e, row.code)
			require.NotEmpty(t, events, "no %d logged: %v", row.code, got.e.Events())
			x := events[0].Explanation
			require.NotNil(t, x)
			seen[row.code] = true
			t.Logf("%d: %s\nfix: %s", row.code, x.Summary, x.Fix)
			for _, s := range row.summary {
				assert.Contains(t, x.Summary, strings.ReplaceAll(s, "URL", got.url))
			}
			for _, s := range row.fix {
				assert.Contains(t, x.Fix, s)
			}
			for _, s := range row.not {
				assert.NotContains(t, x.Summary+" "+x.Fix, s)
			}
			if row.cases != nil {
				assert.Equal(t, row.cases, x.Cases)
			}
			assert.True(t, x.Settled, "the emulator's events settle their case")
			assert.Equal(t, *x, debugger.Explain(events[0]), "the explanation logged is Explain's of the event as kept (body clipped)")
		})
	}
	// Every code the emulator logs has its row (grep the emulator for
	// p.log, failed and logConflict; the judge's codes for TwiML and for
	// auto-create JSON are sampled by 12100, 12102, 13803).
	for _, c := range []oosc.Code{80901, 80911, 80910, 80614, 80909, 80903, 80905, 80913, 12100, 12102, 13803, 80603, 20001, 80701, 80103,
		80404, 80616, 80605, 80604, 80203, 80206, 80207, 80208, 80908, 80904, 80802, 80801} {
		assert.True(t, seen[c], "no row produces %d", c)
	}
}

package emulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/emulator"
)

// Package doc, "Creating a Session checks": each check in its order, with its code; a
// failed create changes nothing.
func TestCreateSession(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	s, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	assert.Equal(t, autocreate.VoiceAndMessage, s.Mode, "mode omitted, phone Participants: voice-and-message")
	assert.Equal(t, oosc.SessionOpen, s.Status)
	assert.Regexp(t, `^KC[0-9a-f]{32}$`, s.Sid)
	require.Len(t, s.Participants, 2)
	assert.Regexp(t, `^KP[0-9a-f]{32}$`, s.Participants[0].Sid)
	assert.Equal(t, pn1, s.Participants[1].ProxyIdentifier, "the first number in pool order; the rider's number is not excluded")

	tests := []struct {
		name string
		ns   emulator.NewSession
		code oosc.Code
	}{
		{"uniqueName over 191 characters", emulator.NewSession{UniqueName: strings.Repeat("x", 192)}, 80701},
		{"uniqueName already used", emulator.NewSession{UniqueName: "ride-1"}, 80603},
		{"mode outside the three", emulator.NewSession{UniqueName: "r", Mode: "sms-only"}, 80701},
		{"dateExpiry not in the future", emulator.NewSession{UniqueName: "r", DateExpiry: t0}, 80701},
		{"negative ttl", emulator.NewSession{UniqueName: "r", TTL: -time.Second}, 80701},
		{"identifier neither E.164 nor an address", one("0415555"), 80404},
		{"channel address outside message-only", emulator.NewSession{Mode: autocreate.VoiceAndMessage, Participants: []emulator.NewParticipant{{Identifier: "whatsapp:+14155550123"}}}, 80616},
		{"the same identifier twice", emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: stranger}}}, 80103},
		{"a third Participant", emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: "+16505550104"}, {Identifier: "+16505550105"}}}, 80609},
		{"proxy identifier not in the pool", emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: stranger, ProxyIdentifier: "+14155550999"}}}, 80605},
		{"pair held by another active Session", emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}}}, 80604},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.sessions()
			_, err := e.create(tt.ns)
			assert.Equal(t, tt.code, code(t, err))
			assert.Equal(t, before, e.sessions(), "a failed create changes nothing")
		})
	}
	t.Run("a failed create leaves no trace in the SIDs", func(t *testing.T) {
		f := newEmu(t, nil, nil, nil)
		_, err := f.create(emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: "bad"}}})
		require.Error(t, err)
		a, err := f.create(emulator.NewSession{})
		require.NoError(t, err)
		g := newEmu(t, nil, nil, nil)
		b, err := g.create(emulator.NewSession{})
		require.NoError(t, err)
		assert.Equal(t, b.Sid, a.Sid)
	})
}

// Package doc, "Creating a Session checks": an omitted mode is message-only when a
// Participant is a channel address, so that a WhatsApp Session needs no
// mode.
func TestOmittedModeFromParticipants(t *testing.T) {
	e := newEmu(t, nil, nil, []emulator.NewPhoneNumber{{Number: "whatsapp:+14155550100"}, {Number: pn2}})
	s, err := e.create(emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: "whatsapp:+14155550123"}, {Identifier: driver}}})
	require.NoError(t, err)
	assert.Equal(t, autocreate.MessageOnly, s.Mode)
	s, err = e.create(emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: stranger}}})
	require.NoError(t, err)
	assert.Equal(t, autocreate.VoiceAndMessage, s.Mode)
}

// Package doc, "A Session expires" (its second half): close, reopen,
// other statuses, delete.
func TestCloseReopenUpdateDelete(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("ride-1", "", time.Hour))
	require.NoError(t, err)
	e.advance(time.Minute)
	require.NoError(t, e.CloseSession(svc, "ride-1"))
	s := e.session("ride-1")
	assert.Equal(t, oosc.SessionClosed, s.Status)
	assert.Equal(t, oosc.ClosedByAPI, s.ClosedReason)
	assert.Equal(t, t0.Add(time.Minute), s.Ended)
	assert.Equal(t, oosc.CodeSessionClosed, code(t, e.CloseSession(svc, "ride-1")), "already closed")
	_, err = e.AddParticipant(svc, "ride-1", emulator.NewParticipant{Identifier: stranger})
	assert.Equal(t, oosc.CodeSessionClosed, code(t, err), "adding to a closed Session")
	ttl := 2 * time.Hour
	_, err = e.UpdateSession(svc, "ride-1", emulator.SessionUpdate{TTL: &ttl})
	assert.Equal(t, oosc.CodeSessionClosed, code(t, err), "a closed Session cannot be changed but by reopening it")

	// Reopen: in progress again, holding its pairs, expiry counted from now.
	e.advance(30 * time.Minute)
	require.NoError(t, e.ReopenSession(svc, "ride-1"))
	s = e.session("ride-1")
	assert.Equal(t, oosc.SessionInProgress, s.Status)
	assert.Empty(t, s.ClosedReason)
	assert.True(t, s.Ended.IsZero())
	assert.Equal(t, emulator.OutcomeRouted, e.in(sms(rider, pn1)).Outcome)
	assert.Equal(t, oosc.CodeSessionStatusInvalid, code(t, e.ReopenSession(svc, "ride-1")), "only a closed Session reopens")
	_, err = e.UpdateSession(svc, "ride-1", emulator.SessionUpdate{Status: "open"})
	assert.Equal(t, oosc.CodeSessionStatusInvalid, code(t, err), "any other status is 80608")
	_, err = e.UpdateSession(svc, "ride-1", emulator.SessionUpdate{Status: "failed"})
	assert.Equal(t, oosc.CodeSessionStatusInvalid, code(t, err))

	// A reopen whose pair another active Session now holds: 80604, and it stays closed.
	require.NoError(t, e.CloseSession(svc, "ride-1"))
	_, err = e.create(emulator.NewSession{UniqueName: "ride-2", Participants: []emulator.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}}})
	require.NoError(t, err)
	assert.Equal(t, oosc.CodeProxyIdentifierInUse, code(t, e.ReopenSession(svc, "ride-1")))
	assert.Equal(t, oosc.SessionClosed, e.session("ride-1").Status)

	// ttl and dateExpiry updates.
	d := t0.Add(5 * time.Hour)
	s, err = e.UpdateSession(svc, "ride-2", emulator.SessionUpdate{TTL: &ttl, DateExpiry: &d})
	require.NoError(t, err)
	assert.Equal(t, ttl, s.TTL)
	assert.Equal(t, d, s.DateExpiry)
	past := t0
	_, err = e.UpdateSession(svc, "ride-2", emulator.SessionUpdate{DateExpiry: &past})
	assert.Equal(t, oosc.CodeParameterValidation, code(t, err))

	// Delete: the name is free again.
	_, err = e.create(emulator.NewSession{UniqueName: "ride-1"})
	assert.Equal(t, oosc.CodeNonUniqueSessionName, code(t, err), "a closed Session keeps its name")
	require.NoError(t, e.DeleteSession(svc, "ride-1"))
	_, err = e.Session(svc, "ride-1")
	assert.ErrorIs(t, err, emulator.ErrNotFound)
	_, err = e.create(emulator.NewSession{UniqueName: "ride-1"})
	assert.NoError(t, err, "a deleted Session frees its name")
	assert.ErrorIs(t, e.DeleteSession(svc, "nope"), emulator.ErrNotFound)
	_, err = e.AdvanceTo(t0)
	assert.Error(t, err, "time never goes back")
}

// Package doc, "Adding a Participant checks": reserved never chosen,
// pairs excluded, prefer-sticky, 80205, 80207, 80208; one Phone Number
// SID per number.
func TestNumberChoice(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	numbers, err := e.Numbers(svc)
	require.NoError(t, err)
	require.Len(t, numbers, 3)
	assert.NotEqual(t, numbers[0].Sid, numbers[1].Sid, "one Phone Number SID per number")
	assert.Regexp(t, `^PN[0-9a-f]{32}$`, numbers[0].Sid)

	s1, err := e.create(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn1, s1.Participants[0].ProxyIdentifier, "the first unreserved number in pool order")
	assert.Equal(t, numbers[0].Sid, s1.Participants[0].ProxyIdentifierSid)
	s2, err := e.create(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn2, s2.Participants[0].ProxyIdentifier, "pn1 is paired with the driver already")
	assert.Equal(t, numbers[1].Sid, s2.Participants[0].ProxyIdentifierSid)
	_, err = e.create(one(driver))
	assert.Equal(t, oosc.CodeNoAvailableUnusedProxy, code(t, err), "every unreserved number is paired with the driver; the reserved one is never chosen")
	s3, err := e.create(one(rider))
	require.NoError(t, err)
	assert.Equal(t, pn1, s3.Participants[0].ProxyIdentifier, "two identifiers share a number")

	require.NoError(t, e.CloseSession(svc, s1.Sid))
	require.NoError(t, e.CloseSession(svc, s2.Sid))
	s4, err := e.create(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn2, s4.Participants[0].ProxyIdentifier, "prefer-sticky: the number the driver held most recently")

	both := emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: "+16505550104"}}}
	s5, err := e.create(both)
	require.NoError(t, err)
	assert.Equal(t, s5.Participants[0].ProxyIdentifier, s5.Participants[1].ProxyIdentifier, "the other Participant's number is not excluded")

	reserved := newEmu(t, nil, nil, []emulator.NewPhoneNumber{{Number: pnR, Reserved: true}})
	_, err = reserved.create(one(driver))
	assert.Equal(t, oosc.CodeNoUnreservedNumbers, code(t, err), "every matching number is reserved")
	_, err = reserved.create(emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: driver, ProxyIdentifier: pnR}}})
	assert.NoError(t, err, "a reserved number may be given explicitly")

	empty := newEmu(t, nil, nil, []emulator.NewPhoneNumber{})
	_, err = empty.create(one(driver))
	assert.Equal(t, oosc.CodeNoProxiesForService, code(t, err), "an empty pool is 80205, not 80207")
}

// Package doc, "Adding a Participant checks", geography: the country calling code by default; with
// area-code, the area code too for +1; a channel address matches any.
func TestGeography(t *testing.T) {
	uk := "+442079460958"
	e := newEmu(t, nil, nil, []emulator.NewPhoneNumber{{Number: "+442079460000"}, {Number: pn1}})
	s, err := e.create(one(uk))
	require.NoError(t, err)
	assert.Equal(t, "+442079460000", s.Participants[0].ProxyIdentifier, "a UK number gets the UK number")
	s, err = e.create(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn1, s.Participants[0].ProxyIdentifier, "a +1 number skips the UK number")
	_, err = e.create(one("+33612345678"))
	assert.Equal(t, oosc.CodeNoProxyForCountry, code(t, err), "no number of the pool for France: 80203")

	area := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.GeoMatchLevel = emulator.GeoMatchAreaCode },
		[]emulator.NewPhoneNumber{{Number: "+17075550100"}, {Number: "+19515550100"}})
	s, err = area.create(one(rider)) // +1 951
	require.NoError(t, err)
	assert.Equal(t, "+19515550100", s.Participants[0].ProxyIdentifier, "area-code: the 951 number")
	_, err = area.create(one("+12125550100"))
	assert.Equal(t, oosc.CodeNoAvailableProxy, code(t, err), "+1 numbers but no 212 number: 80206 (GeoMatchLevel), not 80203 (country)")
	_, err = area.create(one("+442079460958"))
	assert.Equal(t, oosc.CodeNoProxyForCountry, code(t, err), "no +44 number: 80203")

	// Overlay and radius, which no source defines, match as country does.
	for _, level := range []emulator.GeoMatchLevel{emulator.GeoMatchOverlay, emulator.GeoMatchRadius} {
		e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.GeoMatchLevel = level },
			[]emulator.NewPhoneNumber{{Number: "+442079460000"}, {Number: "+17075550100"}})
		s, err = e.create(one("+12125550100"))
		require.NoError(t, err, level)
		assert.Equal(t, "+17075550100", s.Participants[0].ProxyIdentifier, level)
		_, err = e.create(one("+33612345678"))
		assert.Equal(t, oosc.CodeNoProxyForCountry, code(t, err), level)
	}
	_, err = e.CreateService(emulator.ServiceConfig{GeoMatchLevel: "city"})
	assert.Equal(t, oosc.CodeBadParameters, code(t, err))

	wa := newEmu(t, nil, nil, []emulator.NewPhoneNumber{{Number: "whatsapp:+442079460000"}})
	s, err = wa.create(emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: "whatsapp:+14155550123"}}})
	require.NoError(t, err, "a channel address matches any number (convention)")
	assert.Equal(t, "whatsapp:+442079460000", s.Participants[0].ProxyIdentifier)
}

// Package doc, "Adding a Participant checks", avoid-sticky: the first number the identifier never held, else
// the one it held least recently.
func TestAvoidSticky(t *testing.T) {
	e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.NumberSelectionBehavior = emulator.AvoidSticky },
		[]emulator.NewPhoneNumber{{Number: pn1}, {Number: pn2}})
	take := func() string {
		s, err := e.create(one(driver))
		require.NoError(t, err)
		require.NoError(t, e.CloseSession(svc, s.Sid))
		return s.Participants[0].ProxyIdentifier
	}
	assert.Equal(t, pn1, take())
	assert.Equal(t, pn2, take(), "never held before")
	assert.Equal(t, pn1, take(), "held least recently")
	assert.Equal(t, pn2, take())
	sticky := newEmu(t, nil, nil, []emulator.NewPhoneNumber{{Number: pn1}, {Number: pn2}})
	for range 3 {
		s, err := sticky.create(one(driver))
		require.NoError(t, err)
		require.NoError(t, sticky.CloseSession(svc, s.Sid))
		assert.Equal(t, pn1, s.Participants[0].ProxyIdentifier, "prefer-sticky keeps the number")
	}
}

// Package doc, "A Session expires": by ttl from the last interaction, by dateExpiry
// (which wins), by the Service's defaultTtl; closed with reason expired at
// the expiry time, and 80904 logged. Retention: a Session closed
// for 90 days is deleted.
func TestExpiryAndRetention(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("ttl", "", time.Hour))
	require.NoError(t, err)
	e.advance(50 * time.Minute)
	require.Equal(t, emulator.OutcomeRouted, e.in(sms(rider, pn1)).Outcome)
	assert.Empty(t, e.advance(100*time.Minute))
	assert.Equal(t, oosc.SessionInProgress, e.session("ttl").Status, "the interaction at 50 min pushed the expiry to 110 min")
	events := e.advance(110 * time.Minute)
	require.Len(t, events, 1)
	assert.Equal(t, oosc.CodeExpiredSession, events[0].Code)
	assert.Equal(t, "ttl", events[0].Session)
	s := e.session("ttl")
	assert.Equal(t, oosc.SessionClosed, s.Status, "expires at the expiry time itself")
	assert.Equal(t, oosc.ClosedByExpiry, s.ClosedReason)
	assert.Equal(t, t0.Add(110*time.Minute), s.Ended)

	e.advance(110*time.Minute + emulator.Retention - time.Second)
	assert.Len(t, e.sessions(), 1, "kept for 90 days")
	e.advance(110*time.Minute + emulator.Retention)
	assert.Empty(t, e.sessions(), "deleted 90 days after closing")
	assert.Equal(t, oosc.CauseNoPreviousSession, e.in(sms(rider, pn1)).Cause, "its sender counts as never having had it")
	_, err = e.create(ride("ttl", "", 0))
	assert.NoError(t, err, "its uniqueName is free")

	q := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.DefaultTTL = time.Minute }, nil)
	ns := ride("both", "", time.Hour)
	ns.DateExpiry = t0.Add(10 * time.Minute)
	_, err = q.create(ns)
	require.NoError(t, err)
	_, err = q.create(emulator.NewSession{UniqueName: "default"})
	require.NoError(t, err)
	q.advance(2 * time.Minute)
	assert.Equal(t, oosc.SessionClosed, q.session("default").Status, "the Service's defaultTtl applies to a Session without ttl")
	assert.Equal(t, oosc.SessionOpen, q.session("both").Status, "dateExpiry wins over ttl and defaultTtl")
	q.advance(10 * time.Minute)
	assert.Equal(t, oosc.ClosedByExpiry, q.session("both").ClosedReason)
	var logged []oosc.Code
	for _, ev := range q.Events() {
		logged = append(logged, ev.Code)
	}
	assert.Equal(t, codes(80904, 80904), logged, "each expiry is in the event log")
}

// Participants removed through the API free their pair and cannot come
// back to that Session (80612).
func TestRemoveParticipant(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	s, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	require.NoError(t, e.RemoveParticipant(svc, "ride-1", s.Participants[1].Sid))
	assert.Len(t, e.session("ride-1").Participants, 1)
	_, err = e.AddParticipant(svc, "ride-1", emulator.NewParticipant{Identifier: driver})
	assert.Equal(t, oosc.Code(80612), code(t, err))
	_, err = e.create(emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: driver, ProxyIdentifier: pn1}}})
	assert.NoError(t, err, "the removed Participant's pair is free")
	assert.ErrorIs(t, e.RemoveParticipant(svc, "ride-1", "KPnope"), emulator.ErrNotFound)
}

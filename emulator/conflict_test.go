package emulator_test

import (
	"bytes"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

// Participant conflicts as Twilio's error pages 80604, 80623, 80801 and
// 80802 describe them: refused by default; on an account that allows
// them, the request succeeds and the conflict is logged, unless it sets
// FailOnParticipantConflict.
func TestParticipantConflicts(t *testing.T) {
	held := emulator.NewSession{UniqueName: "held", Participants: []emulator.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: driver}}}
	again := func(name string, fail bool) emulator.NewSession {
		return emulator.NewSession{UniqueName: name, FailOnParticipantConflict: fail,
			Participants: []emulator.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: stranger}}}
	}

	t.Run("refused by default", func(t *testing.T) {
		e := newEmu(t, nil, nil, nil)
		_, err := e.create(held)
		require.NoError(t, err)
		_, err = e.create(again("second", false))
		assert.Equal(t, oosc.CodeProxyIdentifierInUse, code(t, err))
		_, err = e.create(emulator.NewSession{UniqueName: "lone"})
		require.NoError(t, err)
		_, err = e.AddParticipant(svc, "lone", emulator.NewParticipant{Identifier: rider, ProxyIdentifier: pn1})
		assert.Equal(t, oosc.CodeProxyIdentifierInUse, code(t, err))
		assert.Empty(t, e.Events())
	})

	t.Run("allowed on a legacy account", func(t *testing.T) {
		e := newEmuWith(t, &emulator.Options{Start: t0, AllowParticipantConflict: true}, nil, nil, nil)
		_, err := e.create(held)
		require.NoError(t, err)
		_, err = e.create(again("refused", true))
		assert.Equal(t, oosc.CodeProxyIdentifierInUse, code(t, err), "FailOnParticipantConflict refuses it still")
		_, err = e.create(emulator.NewSession{UniqueName: "lone"})
		require.NoError(t, err)
		_, err = e.AddParticipant(svc, "lone", emulator.NewParticipant{Identifier: rider, ProxyIdentifier: pn1, FailOnParticipantConflict: true})
		assert.Equal(t, oosc.CodeProxyIdentifierInUse, code(t, err))
		assert.Empty(t, e.Events())

		before, _ := e.Numbers(svc)
		_, err = e.create(again("second", false))
		require.NoError(t, err)
		events := e.Events()
		require.Len(t, events, 1)
		assert.Equal(t, oosc.CodeCreatePairConflict, events[0].Code)
		assert.Equal(t, "second", events[0].Session)
		assert.Equal(t, e.session("second").Sid, events[0].ResourceSid)
		assert.Equal(t, rider, events[0].From, "the pair's identifier")
		assert.Equal(t, pn1, events[0].To, "and its proxy number")
		assert.Equal(t, "ERROR", events[0].Level, "oosc.CodeCreatePairConflict.Warning() is false")
		require.NotNil(t, events[0].Explanation)
		assert.Equal(t, "Simultaneous requests to create the same Identifier in one or more Sessions", events[0].Explanation.Title)
		assert.Contains(t, events[0].Text, "Session held")
		// The pair routes to the Participant that took it last; when that
		// Session closes, to the other again.
		assert.Equal(t, stranger, e.in(sms(rider, pn1)).DeliverTo)
		require.NoError(t, e.CloseSession(svc, "second"))
		assert.Equal(t, driver, e.in(sms(rider, pn1)).DeliverTo)
		numbers, _ := e.Numbers(svc)
		assert.Equal(t, before, numbers, "the numbers' use is as before the conflict")

		// A reopen that makes the pair active twice: logged as 80801,
		// unless the update fails on conflict.
		_, err = e.UpdateSession(svc, "second", emulator.SessionUpdate{Status: oosc.SessionInProgress, FailOnParticipantConflict: true})
		assert.Equal(t, oosc.CodeProxyIdentifierInUse, code(t, err))
		assert.Equal(t, oosc.SessionClosed, e.session("second").Status)
		require.NoError(t, e.ReopenSession(svc, "second"))
		events = e.Events()
		require.Len(t, events, 2)
		assert.Equal(t, oosc.CodeReopenPairConflict, events[1].Code)
		assert.Equal(t, stranger, e.in(sms(rider, pn1)).DeliverTo)

		// A state file with a pair held twice restores on a legacy account
		// only.
		var saved bytes.Buffer
		require.NoError(t, e.SaveState(&saved))
		legacy := emulator.New(&emulator.Options{Start: t0, AllowParticipantConflict: true})
		defer legacy.Close()
		require.NoError(t, legacy.RestoreState(bytes.NewReader(saved.Bytes())))
		assert.Equal(t, state(t, e.Proxy), state(t, legacy))
		var se *emulator.StateError
		assert.ErrorAs(t, emulator.New(nil).RestoreState(bytes.NewReader(saved.Bytes())), &se)

		require.NoError(t, e.DeleteSession(svc, "second"))
		assert.Equal(t, driver, e.in(sms(rider, pn1)).DeliverTo)
		require.NoError(t, e.CloseSession(svc, "held"))
		assert.Equal(t, emulator.OutcomeFailed, e.in(sms(rider, pn1)).Outcome, "no Session holds the pair now")
		numbers, _ = e.Numbers(svc)
		assert.Equal(t, 0, numbers[0].InUse)
	})
}

// Over HTTP: 409 and 80623 on create and 400 and 80604 on reopen by
// default, or with FailOnParticipantConflict=true on a legacy account,
// where a conflict without it succeeds and shows in the events.
func TestServerParticipantConflicts(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		a := newAPI(t)
		if legacy {
			a = newAPIFor(t, emulator.New(&emulator.Options{Start: t0, AllowParticipantConflict: true}))
		}
		ks := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))["sid"].(string)
		sessions := "/v1/Services/" + ks + "/Sessions"
		a.ok(a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
		pair := `{"Identifier":"` + rider + `","ProxyIdentifier":"` + pn1 + `"}`
		closed := sessions + "/" + a.ok(a.do("POST", sessions, url.Values{"UniqueName": {"closed"}, "Participants": {pair}}))["sid"].(string)
		a.ok(a.do("POST", closed, url.Values{"Status": {"closed"}}))
		a.ok(a.do("POST", sessions, url.Values{"UniqueName": {"held"}, "Participants": {pair}}))
		lone := sessions + "/" + a.ok(a.do("POST", sessions, url.Values{"UniqueName": {"lone"}}))["sid"].(string)

		refusals := []struct {
			method, path string
			form         url.Values
			status, code int
		}{
			{"POST", sessions, url.Values{"Participants": {pair}, "FailOnParticipantConflict": {"true"}}, 409, 80623},
			{"POST", lone + "/Participants", url.Values{"Identifier": {rider}, "ProxyIdentifier": {pn1}, "FailOnParticipantConflict": {"true"}}, 409, 80623},
			{"POST", sessions, url.Values{"Participants": {pair}, "FailOnParticipantConflict": {"maybe"}}, 400, 20001},
			{"POST", closed, url.Values{"Status": {"in-progress"}, "FailOnParticipantConflict": {"true"}}, 400, 80604},
		}
		if !legacy {
			refusals = append(refusals, []struct {
				method, path string
				form         url.Values
				status, code int
			}{
				{"POST", sessions, url.Values{"Participants": {pair}}, 409, 80623},
				{"POST", lone + "/Participants", url.Values{"Identifier": {rider}, "ProxyIdentifier": {pn1}}, 409, 80623},
				{"POST", closed, url.Values{"Status": {"in-progress"}}, 400, 80604},
			}...)
		}
		for _, r := range refusals {
			status, m := a.do(r.method, r.path, r.form)
			assert.Equal(t, r.status, status, "legacy %v %s %v: %v", legacy, r.path, r.form, m)
			assert.Equal(t, float64(r.code), m["code"])
		}
		_, ev := a.do("GET", "/emulator/events", nil)
		assert.Empty(t, ev["events"], "a refused request logs nothing")
		if !legacy {
			continue
		}
		status, _ := a.do("POST", lone+"/Participants", url.Values{"Identifier": {rider}, "ProxyIdentifier": {pn1}})
		assert.Equal(t, 201, status)
		status, _ = a.do("POST", closed, url.Values{"Status": {"in-progress"}})
		assert.Equal(t, 200, status)
		_, ev = a.do("GET", "/emulator/events", nil)
		require.Len(t, ev["events"], 2)
		first, second := ev["events"].([]any)[0].(map[string]any), ev["events"].([]any)[1].(map[string]any)
		assert.Equal(t, float64(80802), first["code"])
		assert.Equal(t, "Simultaneous requests to create the same Identifier in one or more Sessions", first["explanation"].(map[string]any)["title"])
		assert.Equal(t, float64(80801), second["code"])
		assert.Equal(t, "Invalid attempt to Re-Open a Session", second["explanation"].(map[string]any)["title"])
	}
}

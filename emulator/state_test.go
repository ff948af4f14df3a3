package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/emulator"
)

// A restored emulator goes on exactly where the saved one stopped: the
// same views, and the same results for what follows (sticky numbers,
// expiry, routing, the SID counter).
func TestSaveAndRestoreState(t *testing.T) {
	build := func() *emulator.Proxy {
		e := newEmu(t, nil, func(c *emulator.ServiceConfig, _ *emulator.Proxy) { c.DefaultTTL = time.Hour }, nil)
		_, err := e.create(ride("ride-1", "", 0))
		require.NoError(t, err)
		_, err = e.create(emulator.NewSession{UniqueName: "ride-2", Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: driver}}})
		require.NoError(t, err)
		_, err = e.Inbound(context.Background(), svc, oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: "hi"})
		require.NoError(t, err)
		require.NoError(t, e.CloseSession(svc, "ride-1"))
		parts, _ := e.Participants(svc, "ride-2")
		require.NoError(t, e.RemoveParticipant(svc, "ride-2", parts[0].Sid))
		require.NoError(t, e.RemoveNumber(svc, pn2))
		_, err = e.AdvanceTo(t0.Add(30 * time.Minute))
		require.NoError(t, err)
		return e.Proxy
	}
	orig := build()
	var saved bytes.Buffer
	require.NoError(t, orig.SaveState(&saved))

	restored := emulator.New(&emulator.Options{Start: t0})
	defer restored.Close()
	require.NoError(t, restored.RestoreState(bytes.NewReader(saved.Bytes())))
	assert.Equal(t, state(t, orig), state(t, restored))
	var again bytes.Buffer
	require.NoError(t, restored.SaveState(&again))
	assert.Equal(t, saved.String(), again.String(), "save, restore, save gives the same file")

	// What follows happens alike in both.
	for _, p := range []*emulator.Proxy{orig, restored} {
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: "ride-3", Participants: []emulator.NewParticipant{{Identifier: rider}, {Identifier: driver}}})
		require.NoError(t, err)
		_, err = p.AdvanceTo(t0.Add(3 * time.Hour))
		require.NoError(t, err)
	}
	assert.Equal(t, state(t, orig), state(t, restored))
}

// A state file of another account or format is refused, and the state
// stays as it was.
func TestRestoreStateRefuses(t *testing.T) {
	p := emulator.New(nil)
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: "keep"})
	require.NoError(t, err)
	before := state(t, p)
	other := emulator.New(&emulator.Options{AccountSid: "AC00000000000000000000000000000099"})
	var b bytes.Buffer
	require.NoError(t, other.SaveState(&b))
	for _, bad := range []string{b.String(), "{}", "not json", `{"version":1,"accountSid":"AC00000000000000000000000000000001","services":[{"sid":"KS1"},{"sid":"KS1"}]}`} {
		assert.Error(t, p.RestoreState(strings.NewReader(bad)), bad)
		assert.Equal(t, before, state(t, p))
	}
}

var _ = autocreate.MessageOnly

// baseState is a saved state with a Service (two pool numbers), an
// active Session with two Participants and an Interaction, and a closed
// one, as JSON to change.
func baseState(t *testing.T) map[string]any {
	t.Helper()
	e := newEmu(t, nil, nil, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	e.in(sms(rider, pn1))
	_, err = e.create(emulator.NewSession{UniqueName: "old", Participants: []emulator.NewParticipant{{Identifier: stranger, ProxyIdentifier: pn2}}})
	require.NoError(t, err)
	require.NoError(t, e.CloseSession(svc, "old"))
	var b bytes.Buffer
	require.NoError(t, e.SaveState(&b))
	var m map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &m))
	return m
}

// at walks a decoded state file: keys and indexes.
func at(v any, path ...any) any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

// A state file that does not hold together is refused as a whole, with
// what is wrong in words, naming the resource; the state stays as it was.
// What it does not hold (the numbers' in-use counts) is recomputed.
func TestRestoreStateChecksTheWholeFile(t *testing.T) {
	session := func(m map[string]any, i int) map[string]any {
		return at(m, "services", 0, "sessions", i).(map[string]any)
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
		raw    func(b []byte) []byte
		want   string
	}{
		{"seq below its SIDs", func(m map[string]any) { m["seq"] = 3 }, nil, "numbered above the file's seq 3"},
		{"a SID twice", func(m map[string]any) { session(m, 1)["sid"] = session(m, 0)["sid"] }, nil, "is given twice"},
		{"two active Sessions holding one pair", func(m map[string]any) {
			old := session(m, 1)
			old["status"], old["closedReason"], old["ended"] = "open", nil, nil
			delete(old, "closedReason")
			delete(old, "ended")
			p := at(old, "participants", 0).(map[string]any)
			q := at(session(m, 0), "participants", 0).(map[string]any)
			p["identifier"], p["proxy"], p["proxySid"] = q["identifier"], q["proxy"], q["proxySid"]
		}, nil, "are both active"},
		{"data after the JSON", nil, func(b []byte) []byte { return append(b, []byte(`{"version":1}`)...) }, "data after the JSON value"},
		{"garbage after the JSON", nil, func(b []byte) []byte { return append(b, 'x') }, "data after the JSON value"},
		{"a key twice", nil, func(b []byte) []byte { return bytes.Replace(b, []byte(`"seq":`), []byte(`"seq": 1, "seq":`), 1) }, `key "seq" is given twice`},
		{"keys that differ only in case", nil, func(b []byte) []byte { return bytes.Replace(b, []byte(`"seq":`), []byte(`"Seq": 1, "seq":`), 1) }, `keys "Seq" and "seq" differ only in case`},
		{"a clock past year 9999", func(m map[string]any) { m["now"] = "9999-12-31T23:59:59-23:59" }, nil, "now: time 10000-01-01"},
		{"a dateExpiry past year 9999", func(m map[string]any) { session(m, 0)["dateExpiry"] = "9999-12-31T23:59:59-00:01" }, nil, "dateExpiry: time 10000-01-01T00:00:59Z is not from year 1 to 9999-12-31T23:59:59Z"},
		{"no clock", func(m map[string]any) { delete(m, "now") }, nil, "now: time 0001-01-01T00:00:00Z"},
		{"a uniqueName shaped like a SID", func(m map[string]any) { session(m, 0)["uniqueName"] = "KC000000000000000000000000000000ff" }, nil, "shaped like a Session SID"},
		{"a uniqueName twice", func(m map[string]any) { session(m, 1)["uniqueName"] = "ride-1" }, nil, `has uniqueName "ride-1", as Session`},
		{"a number in two pools", func(m map[string]any) {
			svcs := m["services"].([]any)
			other := map[string]any{"sid": "KS000000000000000000000000000000ff", "config": map[string]any{}, "created": m["now"], "updated": m["now"],
				"numbers": []any{map[string]any{"sid": "PN000000000000000000000000000000fe", "number": pn1, "created": m["now"], "updated": m["now"]}}, "sessions": []any{}}
			m["services"], m["seq"] = append(svcs, other), 300
		}, nil, "is also in the pool of Service"},
		{"a closed Session without an end", func(m map[string]any) { delete(session(m, 1), "ended") }, nil, "is closed but has no end time"},
		{"an unknown status", func(m map[string]any) { session(m, 0)["status"] = "paused" }, nil, `status "paused" is not`},
		{"a delivery from nowhere", func(m map[string]any) { at(m, "deliveries", 0).(map[string]any)["source"] = "pigeon" }, nil, `delivery 0: source "pigeon" is not`},
		{"a delivery of no Service", func(m map[string]any) { at(m, "deliveries", 0).(map[string]any)["serviceSid"] = "svc" }, nil, `delivery 0: serviceSid "svc" is not KS`},
		{"a proxy SID of another number", func(m map[string]any) {
			at(session(m, 0), "participants", 0).(map[string]any)["proxy"] = pn2
		}, nil, "its proxy number is not the one SID"},
		{"an Interaction of another Session", func(m map[string]any) {
			at(session(m, 0), "interactions", 0).(map[string]any)["SessionSid"] = session(m, 1)["sid"]
		}, nil, "belongs to Session"},
		{"three Participants", func(m map[string]any) {
			s := session(m, 0)
			s["participants"] = append(s["participants"].([]any), at(session(m, 1), "participants", 0))
			delete(session(m, 1), "participants")
		}, nil, "has 3 Participants"},
		{"a negative seq", func(m map[string]any) { m["seq"] = -1 }, nil, "seq -1 is not from 0 to 9007199254740992"},
		// Round 3's attack: a seq at the largest int numbered the next SIDs
		// "KS-8000...", served, then saved in a file no start could read.
		{"a seq at the largest int", func(m map[string]any) { m["seq"] = math.MaxInt }, nil, "seq 9223372036854775807 is not from 0 to 9007199254740992"},
		{"version 0", func(m map[string]any) { m["version"] = 0 }, nil, "version 0: this oosc reads versions 1 and 2; a state file says its version, from 1"},
		{"a newer version", func(m map[string]any) { m["version"] = 3 }, nil, "version 3: this oosc reads versions 1 and 2; a newer oosc wrote it"},
		{"an unknown key", func(m map[string]any) { m["extra"] = 1 }, nil, `unknown field "extra"`},
		{"another account", func(m map[string]any) { m["accountSid"] = "AC00000000000000000000000000000099" }, nil, "start with --account-sid AC00000000000000000000000000000099"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := baseState(t)
			if tt.change != nil {
				tt.change(m)
			}
			b, err := json.Marshal(m)
			require.NoError(t, err)
			if tt.raw != nil {
				b = tt.raw(b)
			}
			p := emulator.New(nil)
			defer p.Close()
			_, err = p.CreateService(emulator.ServiceConfig{UniqueName: "keep"})
			require.NoError(t, err)
			before := state(t, p)
			err = p.RestoreState(bytes.NewReader(b))
			var se *emulator.StateError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, se.Error(), tt.want)
			assert.Equal(t, before, state(t, p), "a refused file changed the state")
		})
	}

	// The base itself is restored, its counts recomputed.
	b, err := json.Marshal(baseState(t))
	require.NoError(t, err)
	p := emulator.New(nil)
	defer p.Close()
	require.NoError(t, p.RestoreState(bytes.NewReader(b)))
	ns, err := p.Numbers(svc)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 0, 0}, []int{ns[0].InUse, ns[1].InUse, ns[2].InUse}, "in use: the active Session, once, though both its pairs are on pn1")
	assert.Equal(t, []int{2, 0, 0}, []int{ns[0].Participants, ns[1].Participants, ns[2].Participants}, "its two Participants on pn1")
}

// A state file of version 1, whose events had the emulator's own shape,
// is read: its events become package debugger's, numbered, keeping the
// summary and fix they were logged with; its deliveries' "at" and
// "session" are read as time and sessionSid; it is saved as version 2. A
// version this oosc does not know is refused, saying so.
func TestRestoreStateVersion1(t *testing.T) {
	v1 := `{"version": 1, "accountSid": "AC00000000000000000000000000000001", "now": "2026-01-05T12:00:00Z", "seq": 0,
		"services": null, "dropped": {"events": 4},
		"deliveries": [{"at": "2026-01-05T10:30:00Z", "to": "+17075550102", "from": "+14155550100", "channel": "sms", "body": "hi",
			"session": "KC00000000000000000000000000000003"}],
		"events": [{"at": "2026-01-05T11:00:00Z", "code": 80905, "service": "KS00000000000000000000000000000001", "session": "ride-1",
			"from": "+19515550101", "to": "+14155550100", "cause": "session-closed", "detail": "no out-of-session callback is configured",
			"explanation": "the summary it was logged with", "fix": "the fix it was logged with"}]}`
	p := emulator.New(nil)
	require.NoError(t, p.RestoreState(strings.NewReader(v1)))
	events := p.Events()
	require.Len(t, events, 1)
	e := events[0]
	assert.Equal(t, "NO00000000000000000000000000000005", e.Sid, "numbered after the 4 dropped")
	assert.Equal(t, time.Date(2026, 1, 5, 11, 0, 0, 0, time.UTC), e.Time)
	assert.Equal(t, "KS00000000000000000000000000000001", e.ServiceSid)
	assert.Equal(t, "no out-of-session callback is configured", e.Text)
	assert.Equal(t, "WARNING", e.Level)
	assert.Equal(t, oosc.CauseSessionClosed, e.Cause)
	assert.Equal(t, "ride-1", e.Session)
	assert.Equal(t, rider, e.From)
	require.NotNil(t, e.Explanation)
	assert.Equal(t, "the summary it was logged with", e.Explanation.Summary)
	assert.Equal(t, "the fix it was logged with", e.Explanation.Fix)
	assert.Equal(t, []emulator.Delivery{{Time: time.Date(2026, 1, 5, 10, 30, 0, 0, time.UTC), To: "+17075550102", From: pn1,
		Channel: oosc.SMS, Body: "hi", SessionSid: "KC00000000000000000000000000000003"}}, p.Deliveries(), "deliveries read from at and session")
	var b bytes.Buffer
	require.NoError(t, p.SaveState(&b))
	assert.Contains(t, b.String(), `"version": 2`)
	assert.Contains(t, b.String(), `"sessionSid": "KC00000000000000000000000000000003"`)

	err := p.RestoreState(strings.NewReader(`{"version": 3, "accountSid": "AC00000000000000000000000000000001"}`))
	var se *emulator.StateError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), "version 3: this oosc reads versions 1 and 2")
}

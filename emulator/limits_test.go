package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

// No time past 9999-12-31T23:59:59Z enters the emulator: not the clock,
// not a dateExpiry (an offset of -23:59 included), not a ttl that would
// carry an expiry past it. Each is 400 with 20001 and changes nothing;
// the emulator answers and saves as before.
func TestNoTimePastYear9999(t *testing.T) {
	a := newAPI(t)
	a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))
	a.ok(a.do("POST", "/v1/Services/"+ks1+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	ride := "/v1/Services/" + ks1 + "/Sessions/" + a.ok(a.do("POST", "/v1/Services/"+ks1+"/Sessions", url.Values{"UniqueName": {"ride-1"},
		"DateExpiry": {"9999-12-31T23:59:59Z"}}))["sid"].(string) // else the 90-day default ttl ends it before the clock moves
	status, m := a.control("/emulator/clock", map[string]any{"now": "9999-12-31T23:00:00Z"})
	require.Equal(t, 200, status, "%v", m)
	before := state(t, a.p)

	for _, tt := range []struct {
		name   string
		do     func() (int, map[string]any)
		status int
	}{
		{"the clock advanced past it", func() (int, map[string]any) { return a.control("/emulator/clock", map[string]any{"advance": "2h"}) }, 400},
		{"the clock set past it by an offset", func() (int, map[string]any) {
			return a.control("/emulator/clock", map[string]any{"now": "9999-12-31T23:59:59-23:59"})
		}, 400},
		{"a Session's dateExpiry by an offset", func() (int, map[string]any) {
			return a.do("POST", "/v1/Services/"+ks1+"/Sessions", url.Values{"DateExpiry": {"9999-12-31T23:59:59-23:59"}})
		}, 400},
		{"an update's dateExpiry", func() (int, map[string]any) {
			return a.do("POST", ride, url.Values{"DateExpiry": {"9999-12-31T23:59:59-00:01"}})
		}, 400},
		{"a ttl that carries the expiry past it", func() (int, map[string]any) {
			return a.do("POST", "/v1/Services/"+ks1+"/Sessions", url.Values{"Ttl": {"7200"}})
		}, 400},
		{"an update's ttl", func() (int, map[string]any) {
			return a.do("POST", ride, url.Values{"Ttl": {"7200"}})
		}, 400},
		{"a Service's default ttl", func() (int, map[string]any) {
			return a.do("POST", "/v1/Services/"+ks1, url.Values{"DefaultTtl": {"7200"}})
		}, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, m := tt.do()
			assert.Equal(t, tt.status, status, "%v", m)
			assert.Equal(t, float64(20001), m["code"], "%v", m)
			assert.Equal(t, before, state(t, a.p))
		})
	}
	// The last second is held, and the emulator answers and saves.
	a.ok(a.do("POST", "/v1/Services/"+ks1+"/Sessions", url.Values{"DateExpiry": {"9999-12-31T23:59:59Z"}, "Ttl": {"3599"}}))
	status, m = a.control("/emulator/clock", map[string]any{"now": "9999-12-31T23:59:59Z"})
	require.Equal(t, 200, status, "%v", m)
	status, _ = a.do("GET", "/emulator/events", nil)
	assert.Equal(t, 200, status)
	var b bytes.Buffer
	require.NoError(t, a.p.SaveState(&b))
	require.NoError(t, emulator.New(nil).RestoreState(&b))

	// The Go API alike, and a start past the end is brought to it.
	_, err := a.p.AdvanceTo(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, oosc.CodeBadParameters, code(t, err))
	late := emulator.New(&emulator.Options{Start: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)})
	defer late.Close()
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), late.Now())
	_, err = late.CreateSession(svc, emulator.NewSession{DateExpiry: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.Error(t, err)
}

// A uniqueName shaped like a SID of that resource (KS... for a Service,
// KC... for a Session), in any case of its hex digits, is refused with
// 400 and 20001: the next Service or Session could get that SID.
func TestNoUniqueNameShapedLikeASid(t *testing.T) {
	a := newAPI(t)
	a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))
	a.ok(a.do("POST", "/v1/Services/"+ks1+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	before := state(t, a.p)
	for _, tt := range []struct {
		path string
		form url.Values
	}{
		{"/v1/Services", url.Values{"UniqueName": {"KS00000000000000000000000000000002"}}},
		{"/v1/Services", url.Values{"UniqueName": {"KS0000000000000000000000000000000A"}}},
		{"/v1/Services/" + ks1, url.Values{"UniqueName": {"KS00000000000000000000000000000009"}}},
		{"/v1/Services/" + ks1 + "/Sessions", url.Values{"UniqueName": {"KC00000000000000000000000000000004"}}},
		{"/v1/Services/" + ks1 + "/Sessions", url.Values{"UniqueName": {"KCffffffffffffffffffffffffffffffff"}}},
	} {
		status, m := a.do("POST", tt.path, tt.form)
		assert.Equal(t, 400, status, "%s %v: %v", tt.path, tt.form, m)
		assert.Equal(t, float64(20001), m["code"], "%v", m)
		assert.Equal(t, before, state(t, a.p))
	}
	// Names near the shape are names.
	for _, name := range []string{"KS0000000000000000000000000000000", "KC000000000000000000000000000000004", "KC0000000000000000000000000000000g", "KS00000000000000000000000000000002x"} {
		a.ok(a.do("POST", "/v1/Services/"+ks1+"/Sessions", url.Values{"UniqueName": {name}}))
	}
	a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"KC00000000000000000000000000000002"}}))
}

// Two keys of one JSON object that differ only in case are refused, in
// whichever order, every time: Participants values, control API bodies,
// scenario files. A key given twice alike.
func TestCaseTwinKeysAreRefused(t *testing.T) {
	a := newAPI(t)
	a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))
	a.ok(a.do("POST", "/v1/Services/"+ks1+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	before := state(t, a.p)
	for range 20 {
		for _, p := range []string{
			`{"Identifier":"+14155550101","identifier":"+14155550102"}`,
			`{"identifier":"+14155550102","Identifier":"+14155550101"}`,
			`{"Identifier":"+14155550101","Identifier":"+14155550102"}`,
			`{"Identifier":"+14155550101","FriendlyName":"a","friendlyname":"b"}`,
		} {
			status, m := a.do("POST", "/v1/Services/"+ks1+"/Sessions", url.Values{"Participants": {p}})
			assert.Equal(t, 400, status, "%s: %v", p, m)
			assert.Equal(t, float64(20001), m["code"], "%v", m)
		}
		for _, body := range []string{
			`{"channel":"sms","from":"` + rider + `","From":"` + driver + `","to":"` + pn1 + `"}`,
			`{"channel":"sms","from":"` + rider + `","from":"` + driver + `","to":"` + pn1 + `"}`,
			`{"channel":"sms","FROM":"` + rider + `","to":"` + pn1 + `"}`,
		} {
			status, m := a.post("/emulator/inbound", body)
			assert.Equal(t, 400, status, "%s: %v", body, m)
			assert.Equal(t, float64(20001), m["code"], "%v", m)
		}
		status, m := a.post("/emulator/clock", `{"advance":"1h","Advance":"2h"}`)
		assert.Equal(t, 400, status, "%v", m)
	}
	assert.Equal(t, before, state(t, a.p))

	_, err := emulator.ParseScenario([]byte(`{"steps":[{"at":"2026-01-05T10:00:00Z","close":"a","Close":"b"}]}`))
	var se *emulator.ScenarioError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, `scenario, steps[0].Close: and "close" differ only in case: give one`, se.Error())
}

// post sends a raw JSON body to the control API.
func (a *api) post(path, body string) (int, map[string]any) {
	a.t.Helper()
	resp, err := a.srv.Client().Post(a.srv.URL+path, "application/json", strings.NewReader(body))
	require.NoError(a.t, err)
	defer resp.Body.Close()
	var m map[string]any
	require.NoError(a.t, json.NewDecoder(resp.Body).Decode(&m))
	return resp.StatusCode, m
}

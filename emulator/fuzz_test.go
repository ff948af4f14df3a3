package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oosc-dev/oosc/emulator"
)

// FuzzRestoreState: no file makes RestoreState panic; a refused file
// leaves the state as it was; a file restored holds together (see
// invariants), and saves, restores and saves again to the same bytes.
func FuzzRestoreState(f *testing.F) {
	p := emulator.New(&emulator.Options{Start: t0})
	svcv, _ := p.CreateService(emulator.ServiceConfig{UniqueName: "svc", DefaultTTL: 3600e9})
	p.AddNumber(svcv.Sid, emulator.NewPhoneNumber{Number: pn1})
	p.AddNumber(svcv.Sid, emulator.NewPhoneNumber{Number: pn2, Reserved: true})
	p.CreateSession(svcv.Sid, ride("ride-1", "", 0))
	p.CreateSession(svcv.Sid, emulator.NewSession{UniqueName: "old", Participants: []emulator.NewParticipant{{Identifier: stranger}}})
	p.CloseSession(svcv.Sid, "old")
	p.Inbound(f.Context(), svcv.Sid, sms(rider, pn1))
	p.Inbound(f.Context(), svcv.Sid, sms(stranger, pn2))
	var b bytes.Buffer
	p.SaveState(&b)
	p.Close()
	valid := b.String()
	f.Add(valid)
	f.Add(valid + "{}")
	f.Add(strings.Replace(valid, `"seq":`, `"Seq": 2, "seq":`, 1))
	f.Add(strings.Replace(valid, `"seq": 9`, `"seq": 2`, 1))
	f.Add(`{"version":1,"accountSid":"AC00000000000000000000000000000001","now":"9999-12-31T23:59:59-23:59","seq":0}`)
	f.Fuzz(func(t *testing.T, file string) {
		p := emulator.New(&emulator.Options{Start: t0})
		defer p.Close()
		before := state(t, p)
		if err := p.RestoreState(strings.NewReader(file)); err != nil {
			if after := state(t, p); after != before {
				t.Fatalf("a refused file changed the state: %v", err)
			}
			return
		}
		if err := invariants(p); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzControlJSON: no body makes the control API panic or answer 5xx;
// every answer is JSON (or nothing, 204); a refused body changes nothing.
func FuzzControlJSON(f *testing.F) {
	for _, seed := range []struct {
		route byte
		body  string
	}{
		{0, contactJSON},
		{0, `{"channel":"sms","from":"+19515550101","From":"+1","to":"+14155550100"}`},
		{0, `{"channel":"voice","from":"+19515550101","to":"+14155550100","media":[` + strings.Repeat(`"x",`, 20) + `"y"]}`},
		{1, `{"advance":"2562047h"}`},
		{1, `{"now":"9999-12-31T23:59:59-23:59"}`},
		{1, `{"advance":"1h"}{}`},
		{2, ``},
		{2, `{}`},
		{2, `{"a":{"b":[[[[[]]]]]}}`},
	} {
		f.Add(seed.route, seed.body)
	}
	routes := []string{"/emulator/inbound", "/emulator/clock", "/emulator/reset"}
	f.Fuzz(func(t *testing.T, route byte, body string) {
		p := emulator.New(&emulator.Options{Start: t0})
		defer p.Close()
		p.CreateService(emulator.ServiceConfig{UniqueName: "svc"})
		p.AddNumber("svc", emulator.NewPhoneNumber{Number: pn1})
		p.CreateSession("svc", ride("ride-1", "", 0))
		s := emulator.NewServer(p, nil)
		before := state(t, p)
		r := httptest.NewRequest("POST", "http://127.0.0.1:4010"+routes[int(route)%len(routes)], strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch {
		case w.Code >= 500:
			t.Fatalf("%q: %d %s", body, w.Code, w.Body)
		case w.Code != 204 && !json.Valid(w.Body.Bytes()):
			t.Fatalf("%q: not JSON: %s", body, w.Body)
		case w.Code >= 400 && state(t, p) != before:
			t.Fatalf("%q: refused (%d) but the state changed", body, w.Code)
		}
	})
}

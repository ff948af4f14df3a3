package emulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

// api is a REST emulator served over loopback, with a client that signs
// in as the account.
type api struct {
	t   testing.TB
	p   *emulator.Proxy
	srv *httptest.Server
}

func newAPI(t testing.TB) *api {
	t.Helper()
	return newAPIFor(t, emulator.New(&emulator.Options{Start: t0}))
}

// newAPIFor serves p.
func newAPIFor(t testing.TB, p *emulator.Proxy) *api {
	t.Helper()
	srv := httptest.NewServer(emulator.NewServer(p, nil))
	t.Cleanup(func() { srv.Close(); p.Close() })
	return &api{t: t, p: p, srv: srv}
}

// do sends a form (nil: none) with method to path, as the account unless
// user is given, and decodes the JSON answer.
func (a *api) do(method, path string, form url.Values, user ...string) (int, map[string]any) {
	a.t.Helper()
	var body io.Reader
	target := a.srv.URL + path
	if form != nil && method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		target += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, target, body)
	require.NoError(a.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if len(user) == 2 {
		req.SetBasicAuth(user[0], user[1])
	} else {
		req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
	}
	resp, err := a.srv.Client().Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	var m map[string]any
	if len(raw) > 0 {
		require.NoError(a.t, json.Unmarshal(raw, &m), "%s", raw)
	}
	return resp.StatusCode, m
}

// control posts a JSON body to the control API.
func (a *api) control(path string, v any) (int, map[string]any) {
	a.t.Helper()
	b, err := json.Marshal(v)
	require.NoError(a.t, err)
	resp, err := a.srv.Client().Post(a.srv.URL+path, "application/json", strings.NewReader(string(b)))
	require.NoError(a.t, err)
	defer resp.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		require.NoError(a.t, json.Unmarshal(raw, &m), "%s", raw)
	}
	return resp.StatusCode, m
}

// ok asserts a 2xx and returns the answer.
func (a *api) ok(status int, m map[string]any) map[string]any {
	a.t.Helper()
	require.True(a.t, status >= 200 && status < 300, "status %d: %v", status, m)
	return m
}

// A whole flow over HTTP, as an application's REST half and its callback
// meet: Service, numbers, a Session with two Participants, a routed
// message, a Message Interaction, close, an out-of-session contact
// answered with auto-create, the new Session in the list, the clock
// expiring it.
func TestServerFlow(t *testing.T) {
	a := newAPI(t)
	app := a.p.Serve(handlerFor(t, callback.Reconnect(nil)))

	svc := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"rides"}, "OutOfSessionCallbackUrl": {app + "/oos"}, "DefaultTtl": {"3600"}}))
	ks := svc["sid"].(string)
	assert.Regexp(t, `^KS[0-9a-f]{32}$`, ks)
	assert.Equal(t, app+"/oos", svc["out_of_session_callback_url"])
	assert.Equal(t, float64(3600), svc["default_ttl"])
	assert.Equal(t, a.srv.URL+"/v1/Services/"+ks, svc["url"])
	assert.Nil(t, svc["intercept_callback_url"], "an unset URL is null")

	for _, n := range []string{pn1, pn2} {
		pn := a.ok(a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {n}}))
		assert.Equal(t, n, pn["phone_number"])
		assert.Equal(t, false, pn["is_reserved"])
	}
	sess := a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {"ride-1"}, "Participants": {
		`{"Identifier":"` + rider + `"}`, `{"Identifier":"` + driver + `","FriendlyName":"driver"}`}}))
	kc := sess["sid"].(string)
	assert.Equal(t, "open", sess["status"])
	assert.Equal(t, "voice-and-message", sess["mode"])

	_, parts := a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants", nil)
	list := parts["participants"].([]any)
	require.Len(t, list, 2)
	driverP := list[1].(map[string]any)
	assert.Equal(t, driver, driverP["identifier"])
	assert.Equal(t, pn1, driverP["proxy_identifier"])

	// The rider texts; the driver receives it from the proxy number.
	_, res := a.control("/emulator/inbound", map[string]any{"service": ks, "channel": "sms", "from": rider, "to": pn1, "body": "on my way"})
	assert.Equal(t, "routed", res["outcome"])
	assert.Equal(t, driver, res["deliverTo"])
	_, its := a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Interactions", nil)
	require.Len(t, its["interactions"].([]any), 1)
	it := its["interactions"].([]any)[0].(map[string]any)
	assert.Equal(t, "message", it["type"])
	assert.Equal(t, `{"body":"on my way"}`, it["data"])
	assert.Equal(t, "Message", it["inbound_resource_type"])

	// A message to the driver through the API.
	mi := a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverP["sid"].(string)+"/MessageInteractions", url.Values{"Body": {"Your rider is waiting"}}))
	assert.Equal(t, driverP["sid"], mi["participant_sid"])
	_, mis := a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverP["sid"].(string)+"/MessageInteractions", nil)
	assert.Len(t, mis["interactions"].([]any), 1)

	// Closed; the rider texts again: the callback reconnects them.
	closed := a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions/"+kc, url.Values{"Status": {"closed"}}))
	assert.Equal(t, "closed", closed["status"])
	assert.Equal(t, "api", closed["closed_reason"])
	_, res = a.control("/emulator/inbound", map[string]any{"channel": "sms", "from": rider, "to": pn1, "body": "my bag?"})
	assert.Equal(t, "created", res["outcome"], "%v", res)
	assert.Equal(t, "session-closed", res["cause"])
	_, sessions := a.do("GET", "/v1/Services/"+ks+"/Sessions", nil)
	require.Len(t, sessions["sessions"].([]any), 2, "the auto-created Session is listed")

	_, d := a.do("GET", "/emulator/deliveries", nil)
	require.Len(t, d["deliveries"].([]any), 3)

	// The clock runs past the new Session's ttl (the Service's default).
	_, clock := a.control("/emulator/clock", map[string]any{"advance": "2h"})
	events := clock["events"].([]any)
	require.Len(t, events, 1)
	assert.Equal(t, float64(80904), events[0].(map[string]any)["code"])
	_, sessions = a.do("GET", "/v1/Services/"+ks+"/Sessions", nil)
	for _, s := range sessions["sessions"].([]any) {
		assert.Equal(t, "closed", s.(map[string]any)["status"])
	}
}

// Lists page as Twilio's do: PageSize, next_page_url until the end.
func TestServerPaging(t *testing.T) {
	a := newAPI(t)
	ks := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))["sid"].(string)
	a.ok(a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	for i := range 7 {
		a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {fmt.Sprint("s", i)}}))
	}
	var names []string
	next := a.srv.URL + "/v1/Services/" + ks + "/Sessions?PageSize=3"
	for pages := 0; next != ""; pages++ {
		require.Less(t, pages, 5)
		_, m := a.do("GET", strings.TrimPrefix(next, a.srv.URL), nil)
		for _, s := range m["sessions"].([]any) {
			names = append(names, s.(map[string]any)["unique_name"].(string))
		}
		meta := m["meta"].(map[string]any)
		assert.Equal(t, float64(3), meta["page_size"])
		assert.Equal(t, "sessions", meta["key"])
		next, _ = meta["next_page_url"].(string)
	}
	assert.Equal(t, []string{"s0", "s1", "s2", "s3", "s4", "s5", "s6"}, names)
}

// state is what a refused request must leave unchanged.
func state(t *testing.T, p *emulator.Proxy) string {
	t.Helper()
	var b strings.Builder
	for _, s := range p.Services() {
		fmt.Fprintf(&b, "%+v\n", s)
		ns, _ := p.Numbers(s.Sid)
		sessions, _ := p.Sessions(s.Sid)
		fmt.Fprintf(&b, "%+v\n%+v\n", ns, sessions)
	}
	events, err := json.Marshal(p.Events())
	require.NoError(t, err)
	fmt.Fprintf(&b, "%v %s %v %v", p.AccountNumbers(), events, p.Deliveries(), p.Now())
	return b.String()
}

// Bad input gets Twilio's status and code, and changes nothing.
func TestServerRefusals(t *testing.T) {
	a := newAPI(t)
	ks := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))["sid"].(string)
	svcPath := "/v1/Services/" + ks
	pn := a.ok(a.do("POST", svcPath+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))["sid"].(string)
	a.ok(a.do("POST", svcPath+"/PhoneNumbers", url.Values{"PhoneNumber": {pn2}}))
	ride := svcPath + "/Sessions/" + a.ok(a.do("POST", svcPath+"/Sessions", url.Values{"UniqueName": {"ride-1"}, "Participants": {
		`{"Identifier":"` + rider + `","ProxyIdentifier":"` + pn1 + `"}`, `{"Identifier":"` + driver + `"}`}}))["sid"].(string)
	closed := svcPath + "/Sessions/" + a.ok(a.do("POST", svcPath+"/Sessions", url.Values{"UniqueName": {"closed-1"}, "Participants": {
		`{"Identifier":"` + stranger + `","ProxyIdentifier":"` + pn1 + `"}`}}))["sid"].(string)
	a.ok(a.do("POST", closed, url.Values{"Status": {"closed"}}))
	a.ok(a.do("POST", svcPath+"/Sessions", url.Values{"UniqueName": {"holder"}, "Participants": {
		`{"Identifier":"` + stranger + `","ProxyIdentifier":"` + pn1 + `"}`}}))

	tests := []struct {
		name         string
		method, path string
		form         url.Values
		user         []string
		status       int
		code         int
	}{
		{"no credentials", "GET", "/v1/Services", nil, []string{"", ""}, 401, 20003},
		{"wrong token", "POST", "/v1/Services", url.Values{"UniqueName": {"x"}}, []string{emulator.DefaultAccountSid, "wrong"}, 401, 20003},
		{"wrong account", "GET", "/v1/Services", nil, []string{"AC00000000000000000000000000000099", callbacktest.DefaultAuthToken}, 401, 20003},
		{"unknown Service", "GET", "/v1/Services/KS00000000000000000000000000000099", nil, nil, 404, 20404},
		{"unknown Session", "GET", svcPath + "/Sessions/KC00000000000000000000000000000099", nil, nil, 404, 20404},
		{"unknown Participant", "DELETE", ride + "/Participants/KP00000000000000000000000000000099", nil, nil, 404, 20404},
		{"unknown path", "GET", "/v1/Nothing", nil, nil, 404, 20404},
		{"Service updated by unique name", "POST", "/v1/Services/svc", url.Values{"DefaultTtl": {"60"}}, nil, 404, 20404},
		{"Service deleted by unique name", "DELETE", "/v1/Services/svc", nil, nil, 404, 20404},
		{"Service by unique name in a path", "GET", "/v1/Services/svc/Sessions", nil, nil, 404, 20404},
		{"Session updated by unique name", "POST", svcPath + "/Sessions/ride-1", url.Values{"Ttl": {"60"}}, nil, 404, 20404},
		{"Session deleted by unique name", "DELETE", svcPath + "/Sessions/ride-1", nil, nil, 404, 20404},
		{"Session by unique name in a path", "GET", svcPath + "/Sessions/ride-1/Participants", nil, nil, 404, 20404},
		{"phone number by number", "GET", svcPath + "/PhoneNumbers/" + url.PathEscape(pn1), nil, nil, 404, 20404},
		{"method not allowed", "PUT", "/v1/Services", nil, nil, 405, 20004},
		{"Service without UniqueName", "POST", "/v1/Services", url.Values{"DefaultTtl": {"60"}}, nil, 400, 20001},
		{"malformed ttl", "POST", svcPath + "/Sessions", url.Values{"Ttl": {"soon"}}, nil, 400, 20001},
		{"ttl that overflows", "POST", svcPath + "/Sessions", url.Values{"Ttl": {"18446744074"}}, nil, 400, 20001},
		{"malformed date", "POST", svcPath + "/Sessions", url.Values{"DateExpiry": {"tomorrow"}}, nil, 400, 20001},
		{"a bad Participants value", "POST", svcPath + "/Sessions", url.Values{"Participants": {`not json`}}, nil, 400, 20001},
		{"a Participants value without Identifier", "POST", svcPath + "/Sessions", url.Values{"Participants": {`{"FriendlyName":"x"}`}}, nil, 400, 20001},
		{"three Participants", "POST", svcPath + "/Sessions", url.Values{"Participants": {`{"Identifier":"+14155550001"}`, `{"Identifier":"+14155550002"}`, `{"Identifier":"+14155550003"}`}}, nil, 400, 80609},
		{"a third Participant", "POST", ride + "/Participants", url.Values{"Identifier": {"+14155550003"}}, nil, 400, 80609},
		{"Participant without Identifier", "POST", ride + "/Participants", url.Values{}, nil, 400, 20001},
		{"a ProxyIdentifierSid that is no SID", "POST", closed + "/Participants", url.Values{"Identifier": {"+14155550003"}, "ProxyIdentifierSid": {pn1}}, nil, 400, 20001},
		{"duplicate unique name", "POST", svcPath + "/Sessions", url.Values{"UniqueName": {"ride-1"}}, nil, 400, 80603},
		{"pair conflict on create", "POST", svcPath + "/Sessions", url.Values{"Participants": {`{"Identifier":"` + rider + `","ProxyIdentifier":"` + pn1 + `"}`}}, nil, 409, 80623},
		{"pair conflict on reopen", "POST", closed, url.Values{"Status": {"in-progress"}}, nil, 400, 80604},
		{"another status", "POST", ride, url.Values{"Status": {"failed"}}, nil, 400, 80608},
		{"a number twice", "POST", svcPath + "/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}, nil, 400, 80601},
		{"a number not a number", "POST", svcPath + "/PhoneNumbers", url.Values{"PhoneNumber": {"hello"}}, nil, 400, 20001},
		{"an unknown number SID", "POST", svcPath + "/PhoneNumbers", url.Values{"Sid": {"PN00000000000000000000000000000099"}}, nil, 404, 20404},
		{"a number SID that is no SID", "POST", svcPath + "/PhoneNumbers", url.Values{"Sid": {"PN1"}}, nil, 400, 20001},
		{"a bad IsReserved", "POST", svcPath + "/PhoneNumbers/" + pn, url.Values{"IsReserved": {"maybe"}}, nil, 400, 20001},
		{"a bad page size", "GET", svcPath + "/Sessions", url.Values{"PageSize": {"-1"}}, nil, 400, 20001},
		{"a page size over 1000", "GET", svcPath + "/Sessions", url.Values{"PageSize": {"1001"}}, nil, 400, 20001},
		{"a forged page token", "GET", svcPath + "/Sessions", url.Values{"PageToken": {"xyz"}}, nil, 400, 20001},
		{"a message without body", "POST", ride + "/Participants/KP00000000000000000000000000000099/MessageInteractions", url.Values{}, nil, 400, 20001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := state(t, a.p)
			status, m := a.do(tt.method, tt.path, tt.form, tt.user...)
			assert.Equal(t, tt.status, status, "%v", m)
			assert.Equal(t, float64(tt.code), m["code"], "%v", m)
			assert.Equal(t, float64(tt.status), m["status"])
			assert.Equal(t, fmt.Sprintf("https://www.twilio.com/docs/errors/%d", tt.code), m["more_info"])
			assert.Equal(t, before, state(t, a.p), "a refused request changed the state")
		})
	}

	raw := func(method, path, ct, body string) *http.Response {
		req, _ := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
		resp, err := a.srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	before := state(t, a.p)
	assert.Equal(t, 413, raw("POST", "/v1/Services", "application/x-www-form-urlencoded", "UniqueName="+strings.Repeat("x", emulator.DefaultMaxBodyBytes)).StatusCode)
	assert.Equal(t, 400, raw("POST", "/v1/Services", "application/x-www-form-urlencoded", "UniqueName=%zz").StatusCode)
	assert.Equal(t, 415, raw("POST", "/v1/Services", "application/json", `{"UniqueName":"x"}`).StatusCode)
	assert.Equal(t, 400, raw("POST", "/emulator/inbound", "application/json", `{"channel":"fax"}`).StatusCode)
	assert.Equal(t, 400, raw("POST", "/emulator/inbound", "application/json", `{"channel":"sms","from":"+1","to":"+2","extra":1}`).StatusCode)
	assert.Equal(t, 400, raw("POST", "/emulator/clock", "application/json", `{"advance":"-1h"}`).StatusCode)
	assert.Equal(t, 400, raw("POST", "/emulator/clock", "application/json", `{"now":"2020-01-01T00:00:00Z"}`).StatusCode, "the clock never goes back")
	assert.Equal(t, 400, raw("POST", "/emulator/clock", "application/json", `{"advance":"1h"}{}`).StatusCode)
	assert.Equal(t, before, state(t, a.p))
}

// The page shows the state, and escapes what it shows.
func TestServerPage(t *testing.T) {
	a := newAPI(t)
	a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {`<script>alert("svc")</script>`}}))
	ks := a.p.Services()[0].Sid
	a.ok(a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	a.ok(a.do("POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {`<img src=x onerror=alert(1)>`}, "Participants": {
		`{"Identifier":"` + rider + `","FriendlyName":"<b>rider</b>"}`, `{"Identifier":"` + driver + `"}`}}))
	a.control("/emulator/inbound", map[string]any{"channel": "sms", "from": stranger, "to": pn1, "body": "<i>hi</i>"})

	resp, err := a.srv.Client().Get(a.srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	plus := func(n string) string { return "&#43;" + n[1:] } // html/template escapes +
	for _, want := range []string{"Proxy emulator", plus(pn1), plus(rider), plus(driver), plus(stranger), "80905", "Unknown Scenario",
		"the sender has no Session on this Proxy number", "set the Service&#39;s OutOfSessionCallbackUrl", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;rider&lt;/b&gt;",
		"&lt;script&gt;alert(&#34;svc&#34;)&lt;/script&gt;"} {
		assert.Contains(t, page, want)
	}
	for _, bad := range []string{"<script>", "<img src=x", "<b>rider", "<i>hi"} {
		assert.NotContains(t, page, bad)
	}
}

// Concurrent clients over loopback are safe (run with -race), and each
// gets its answer.
func TestServerConcurrentClients(t *testing.T) {
	a := newAPI(t)
	ks := a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))["sid"].(string)
	for i := range 8 {
		a.ok(a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {fmt.Sprintf("+1415555%04d", i)}}))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				rider, driver := fmt.Sprintf("+1951555%02d%02d", w, i), fmt.Sprintf("+1707555%02d%02d", w, i)
				status, m := a.do("POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {fmt.Sprint("r", w, "-", i)},
					"Participants": {`{"Identifier":"` + rider + `"}`, `{"Identifier":"` + driver + `"}`}})
				if status != 201 {
					errs <- fmt.Sprint(status, m)
					continue
				}
				_, parts := a.do("GET", "/v1/Services/"+ks+"/Sessions/"+m["sid"].(string)+"/Participants", nil)
				proxy := parts["participants"].([]any)[0].(map[string]any)["proxy_identifier"].(string)
				_, res := a.control("/emulator/inbound", map[string]any{"channel": "sms", "from": rider, "to": proxy, "body": "hi"})
				if res["outcome"] != "routed" || res["deliverTo"] != driver {
					errs <- fmt.Sprint(res)
				}
				a.do("GET", "/v1/Services/"+ks+"/Sessions", url.Values{"PageSize": {"5"}})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	sessions, _ := a.p.Sessions("svc")
	assert.Len(t, sessions, 80)
	assert.Len(t, a.p.Deliveries(), 80)
}

// The control API needs Basic auth from other than loopback, unless
// opened; the REST API always does.
func TestServerControlNeedsAuthFromAfar(t *testing.T) {
	p := emulator.New(nil)
	s := emulator.NewServer(p, nil)
	for _, path := range []string{"/emulator/events", "/"} {
		r := httptest.NewRequest("GET", "http://127.0.0.1:4010"+path, nil)
		r.RemoteAddr = "203.0.113.9:5000"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		assert.Equal(t, 401, w.Code, path)
		r.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
		w = httptest.NewRecorder()
		s.ServeHTTP(w, r)
		assert.Equal(t, 200, w.Code, path)
	}
	open := emulator.NewServer(p, &emulator.ServerOptions{OpenControl: true})
	r := httptest.NewRequest("GET", "http://127.0.0.1:4010/emulator/events", nil)
	r.RemoteAddr = "203.0.113.9:5000"
	w := httptest.NewRecorder()
	open.ServeHTTP(w, r)
	assert.Equal(t, 200, w.Code)
}

// ks1 is the SID of a new emulator's first Service, as REST paths take
// it; fuzzKC is FuzzServer's Session, the emulator's third SID.
const ks1, fuzzKC = "KS00000000000000000000000000000001", "KC00000000000000000000000000000003"

// FuzzServer: no input makes the server panic or answer 5xx, and every
// answer but a 204 is JSON (or the page).
func FuzzServer(f *testing.F) {
	f.Add("POST", "/v1/Services", "UniqueName=x&DefaultTtl=60")
	f.Add("POST", "/v1/Services/"+ks1+"/Sessions", "Participants=%7B%22Identifier%22%3A%22%2B14155550100%22%7D&Ttl=9")
	f.Add("POST", "/v1/Services/"+ks1+"/Sessions/"+fuzzKC+"/Participants", "Identifier=whatsapp%3A%2B1&ProxyIdentifierSid=PN1")
	f.Add("GET", "/v1/Services/"+ks1+"/Sessions", "PageSize=2&PageToken=PA1")
	f.Add("POST", "/emulator/numbers", `{"number":"+14155550100"}`)
	f.Add("POST", "/emulator/inbound", `{"channel":"sms","from":"+14155550101","to":"+14155550100","body":"STOP"}`)
	f.Add("POST", "/emulator/clock", `{"advance":"1h"}`)
	f.Add("POST", "/emulator/reset", ``)
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#?\x00") || len(path) > 200 {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return
		}
		switch method {
		case "GET", "POST", "DELETE", "PUT":
		default:
			return
		}
		p := emulator.New(&emulator.Options{Start: t0})
		s := emulator.NewServer(p, nil)
		seed := []struct{ path, body string }{
			{"/v1/Services", "UniqueName=svc"}, {"/v1/Services/" + ks1 + "/PhoneNumbers", "PhoneNumber=%2B14155550100"},
			{"/v1/Services/" + ks1 + "/Sessions", "UniqueName=s"},
		}
		for _, sd := range append(seed, struct{ path, body string }{path, body}) {
			m := "POST"
			if sd.path == path && sd.body == body {
				m = method
			}
			r := httptest.NewRequest(m, "http://127.0.0.1:4010"+sd.path, strings.NewReader(sd.body))
			ct := "application/x-www-form-urlencoded"
			if strings.HasPrefix(sd.path, "/emulator") {
				ct = "application/json"
			}
			r.Header.Set("Content-Type", ct)
			r.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("%s %s %q: %d %s", m, sd.path, sd.body, w.Code, w.Body)
			}
			if w.Code != 204 && w.Header().Get("Content-Type") == "application/json" && !json.Valid(w.Body.Bytes()) {
				t.Fatalf("invalid JSON: %s", w.Body)
			}
		}
	})
}

var _ = autocreate.MessageOnly
var _ = oosc.Voice
var _ = time.Second

// The REST API answers as Twilio's OpenAPI description of Proxy says:
// each operation's success status, the Message Interactions' list key,
// SIDs in paths (a unique name only to fetch), no ShortCodes link, the
// ISO country of each number, and numbers of the account added by SID.
func TestServerFollowsOpenAPI(t *testing.T) {
	a := newAPI(t)
	status, svc := a.do("POST", "/v1/Services", url.Values{"UniqueName": {"rides"}})
	require.Equal(t, 201, status)
	ks := svc["sid"].(string)
	assert.Equal(t, map[string]any{"sessions": a.srv.URL + "/v1/Services/" + ks + "/Sessions",
		"phone_numbers": a.srv.URL + "/v1/Services/" + ks + "/PhoneNumbers"}, svc["links"], "no short_codes: ShortCodes left Proxy")

	// Every GeoMatchLevel of Twilio's enum is taken.
	for _, level := range []string{"overlay", "radius", "area-code", "country"} {
		assert.Equal(t, level, a.ok(a.do("POST", "/v1/Services/"+ks, url.Values{"GeoMatchLevel": {level}}))["geo_match_level"])
	}

	// A number of the account, added by its SID; a repeat keeps the SID.
	status, bought := a.control("/emulator/numbers", map[string]any{"number": pn1})
	require.Equal(t, 201, status, "%v", bought)
	assert.Regexp(t, `^PN[0-9a-f]{32}$`, bought["sid"])
	assert.Equal(t, pn1, bought["number"])
	status, again := a.control("/emulator/numbers", map[string]any{"number": pn1})
	assert.Equal(t, 200, status)
	assert.Equal(t, bought["sid"], again["sid"])
	status, pn := a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"Sid": {bought["sid"].(string)}})
	require.Equal(t, 201, status, "%v", pn)
	assert.Equal(t, bought["sid"], pn["sid"], "the pool number keeps the account's SID")
	assert.Equal(t, pn1, pn["phone_number"])
	status, m := a.control("/emulator/numbers", map[string]any{"number": "not a number"})
	assert.Equal(t, 400, status, "%v", m)

	for _, tt := range []struct{ number, iso string }{
		{"+14165550100", "CA"}, {"+447700900123", "JE"}, {"+442079460000", "GB"}, {"+18765550100", "JM"}, {"+18005550100", ""},
	} {
		status, n := a.do("POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {tt.number}})
		require.Equal(t, 201, status)
		if tt.iso == "" {
			assert.Nil(t, n["iso_country"], tt.number)
		} else {
			assert.Equal(t, tt.iso, n["iso_country"], tt.number)
		}
	}
	assert.Equal(t, "US", a.ok(a.do("GET", "/v1/Services/"+ks+"/PhoneNumbers/"+pn["sid"].(string), nil))["iso_country"])

	// Sessions and Participants: created 201; fetched by unique name.
	status, sess := a.do("POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {"ride-1"}, "Participants": {
		`{"Identifier":"` + rider + `"}`, `{"Identifier":"` + driver + `"}`}})
	require.Equal(t, 201, status)
	kc := sess["sid"].(string)
	assert.Equal(t, kc, a.ok(a.do("GET", "/v1/Services/"+ks+"/Sessions/ride-1", nil))["sid"])
	assert.Equal(t, ks, a.ok(a.do("GET", "/v1/Services/rides", nil))["sid"])
	_, parts := a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants", nil)
	driverKP := parts["participants"].([]any)[1].(map[string]any)["sid"].(string)

	// A Message Interaction: created 200, listed under "interactions".
	mis := "/v1/Services/" + ks + "/Sessions/" + kc + "/Participants/" + driverKP + "/MessageInteractions"
	status, mi := a.do("POST", mis, url.Values{"Body": {"hello"}})
	assert.Equal(t, 200, status, "%v", mi)
	_, list := a.do("GET", mis, nil)
	assert.Len(t, list["interactions"], 1)
	assert.Equal(t, "interactions", list["meta"].(map[string]any)["key"])

	// Deletes: a Participant 200 with no body, the others 204.
	req, _ := http.NewRequest("DELETE", a.srv.URL+"/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP, nil)
	req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
	resp, err := a.srv.Client().Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, body)
	// A soft delete: the Participant stays in its Session, with its date
	// deleted; a message to it is 80903; deleting it again changes nothing.
	gone := a.ok(a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP, nil))
	assert.Equal(t, "2026-01-05T10:00:00Z", gone["date_deleted"])
	_, parts = a.do("GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants", nil)
	require.Len(t, parts["participants"], 2)
	assert.Nil(t, parts["participants"].([]any)[0].(map[string]any)["date_deleted"])
	assert.Equal(t, gone, parts["participants"].([]any)[1])
	status, m = a.do("POST", mis, url.Values{"Body": {"still there?"}})
	assert.Equal(t, 400, status)
	assert.Equal(t, float64(80903), m["code"])
	status, _ = a.do("DELETE", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP, nil)
	assert.Equal(t, 200, status)
	status, _ = a.do("DELETE", "/v1/Services/"+ks+"/Sessions/"+kc, nil)
	assert.Equal(t, 204, status)
	status, _ = a.do("DELETE", "/v1/Services/"+ks+"/PhoneNumbers/"+pn["sid"].(string), nil)
	assert.Equal(t, 204, status)
	status, _ = a.do("DELETE", "/v1/Services/"+ks, nil)
	assert.Equal(t, 204, status)
}

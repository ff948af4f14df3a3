package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/emulator"
)

const (
	account = "AC0123456789abcdef0123456789abcdef"
	token   = "0123456789abcdef0123456789abcdef"
	twilio  = "https://proxy.twilio.com" // the document's server
)

// checker validates every exchange with the emulator's REST API against
// the document, keeps the exchanges it validated, and counts the
// operations that answered a validated success.
type checker struct {
	t *testing.T
	spec

	mu        sync.Mutex
	succeeded map[string]int // operationId -> validated success answers
	exchanges []exchange     // every validated success
}

// spec is a document and its router.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

func newSpec(t *testing.T, doc *openapi3.T) spec {
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return spec{doc: doc, router: router}
}

// exchange is a request to the REST API and the emulator's answer.
type exchange struct {
	method, uri string
	header      http.Header
	body        []byte
	status      int
	respHeader  http.Header
	respBody    []byte
}

func newChecker(t *testing.T) *checker {
	return &checker{t: t, spec: newSpec(t, loadSpec(t)), succeeded: map[string]int{}}
}

// wrap serves next and checks each exchange under /v1: an answer outside
// 2xx is a refusal and is not checked further; a success must be for a
// request the document allows, with the operation's documented status,
// Content-Type and schema.
func (c *checker) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			c.t.Errorf("reading the request: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if rec.Code >= 200 && rec.Code <= 299 {
			x := exchange{method: r.Method, uri: r.URL.RequestURI(), header: r.Header.Clone(), body: body,
				status: rec.Code, respHeader: rec.Header().Clone(), respBody: rec.Body.Bytes()}
			op, err := c.validate(x)
			c.mu.Lock()
			if err != nil {
				c.t.Error(err)
			} else {
				c.succeeded[op]++
				c.exchanges = append(c.exchanges, x)
			}
			c.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// validate checks a successful exchange against the document: the
// request is one of its operations and allowed by it, and the answer has
// a documented status and matches its schema. It returns the operation.
func (s spec) validate(x exchange) (string, error) {
	what := x.method + " " + x.uri
	req, err := http.NewRequestWithContext(context.Background(), x.method, twilio+x.uri, bytes.NewReader(x.body))
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	req.Header = x.header
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return "", fmt.Errorf("the emulator answered %d to %s, for which the document has no operation: %w", x.status, what, err)
	}
	op := route.Operation.OperationID
	opts := &openapi3filter.Options{MultiError: true, AuthenticationFunc: basicAuth}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return op, fmt.Errorf("the emulator accepted (%d) %s %s, a request the document does not allow:\n%w\nbody: %s", x.status, op, what, err, x.body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.respHeader,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	out.SetBodyBytes(x.respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return op, fmt.Errorf("%s %s: the answer does not match the document:\n%w\nanswer %d: %s", op, what, err, x.status, x.respBody)
	}
	return op, nil
}

// basicAuth checks the document's one security scheme, HTTP Basic with the
// account SID and auth token: the request must carry it.
func basicAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecuritySchemeName != "accountSid_authToken" {
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	if _, _, ok := in.RequestValidationInput.Request.BasicAuth(); !ok {
		return errors.New("no Basic credentials")
	}
	return nil
}

// operations returns the document's operation IDs, sorted.
func (c *checker) operations() []string {
	var ids []string
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	return ids
}

// client talks to the emulator as an application does.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

// answer is a decoded JSON answer.
type answer map[string]any

func (a answer) str(key string) string {
	s, _ := a[key].(string)
	return s
}

func (a answer) list(key string) []answer {
	items, _ := a[key].([]any)
	out := make([]answer, len(items))
	for i, v := range items {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// do sends a REST request (a form for POST, a query otherwise) and
// returns the status and the decoded answer.
func (cl *client) do(method, path string, form url.Values) (int, answer) {
	cl.t.Helper()
	target := path
	if !strings.HasPrefix(target, "http") {
		target = cl.base + path
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if len(form) > 0 {
		target += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, target, body)
	require.NoError(cl.t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.SetBasicAuth(account, token)
	resp, err := cl.http.Do(req)
	require.NoError(cl.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(cl.t, err)
	var a answer
	if len(raw) > 0 {
		require.NoError(cl.t, json.Unmarshal(raw, &a), "%s %s: %s", method, path, raw)
	}
	return resp.StatusCode, a
}

// ok sends a request that must succeed with status, and returns the answer.
func (cl *client) ok(status int, method, path string, form url.Values) answer {
	cl.t.Helper()
	got, a := cl.do(method, path, form)
	require.Equal(cl.t, status, got, "%s %s %v: %v", method, path, form, a)
	return a
}

// control posts JSON to the emulator's control API.
func (cl *client) control(path string, v any) (int, answer) {
	cl.t.Helper()
	b, err := json.Marshal(v)
	require.NoError(cl.t, err)
	resp, err := cl.http.Post(cl.base+path, "application/json", bytes.NewReader(b))
	require.NoError(cl.t, err)
	defer resp.Body.Close()
	var a answer
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		require.NoError(cl.t, json.Unmarshal(raw, &a), "%s: %s", path, raw)
	}
	return resp.StatusCode, a
}

func participants(ps ...map[string]string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		b, _ := json.Marshal(p)
		out[i] = string(b)
	}
	return out
}

// TestEmulatorConformsToTwiliosOpenAPI calls every operation of Twilio's
// document on the emulator, with what an application sends, and checks
// every exchange (see checker); then it sends requests the document does
// not allow, which the emulator must refuse; and it fails when an
// operation of the document was not called with success.
func TestEmulatorConformsToTwiliosOpenAPI(t *testing.T) {
	c := newChecker(t)
	t.Logf("%d exceptions to Twilio's document:", len(exceptions))
	for _, e := range exceptions {
		t.Logf("  %s %s: %s", e.where, e.change, e.source)
	}

	// The application's webhooks: they answer 200, so that the emulator
	// routes and reports.
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(app.Close)

	p := emulator.New(&emulator.Options{AccountSid: account, AuthToken: token, Start: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	t.Cleanup(p.Close)
	srv := httptest.NewServer(c.wrap(emulator.NewServer(p, nil)))
	t.Cleanup(srv.Close)
	cl := &client{t: t, base: srv.URL, http: srv.Client()}

	const (
		pool1, pool2, pool3 = "+14155550100", "+14155550110", "+14155550120"
		rider, driver       = "+19515550101", "+17075550102"
		courier             = "+16505550103"
	)

	// Services.
	svc := cl.ok(201, "POST", "/v1/Services", url.Values{"UniqueName": {"rides"}, "DefaultTtl": {"3600"},
		"CallbackUrl": {app.URL + "/status"}, "InterceptCallbackUrl": {app.URL + "/intercept"},
		"OutOfSessionCallbackUrl": {app.URL + "/oos"}, "GeoMatchLevel": {"country"}, "NumberSelectionBehavior": {"prefer-sticky"}})
	ks := svc.str("sid")
	spareKS := cl.ok(201, "POST", "/v1/Services", url.Values{"UniqueName": {"spare"}}).str("sid")
	assert.Equal(t, "overlay", cl.ok(200, "POST", "/v1/Services/"+spareKS, url.Values{"GeoMatchLevel": {"overlay"}}).str("geo_match_level"))
	assert.Len(t, cl.ok(200, "GET", "/v1/Services", nil).list("services"), 2)
	assert.Equal(t, ks, cl.ok(200, "GET", "/v1/Services/"+ks, nil).str("sid"))
	assert.Equal(t, ks, cl.ok(200, "GET", "/v1/Services/rides", nil).str("sid"), "fetch takes a unique name")
	assert.Equal(t, "7200", fmt.Sprint(cl.ok(200, "POST", "/v1/Services/"+ks, url.Values{"DefaultTtl": {"7200"}})["default_ttl"]))

	// Phone numbers: one of the account's, added by its SID; two by number.
	status, bought := cl.control("/emulator/numbers", map[string]string{"number": pool1})
	require.Equal(t, 201, status, "%v", bought)
	pn1 := cl.ok(201, "POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"Sid": {bought.str("sid")}})
	assert.Equal(t, pool1, pn1.str("phone_number"))
	cl.ok(201, "POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {pool2}})
	pn3 := cl.ok(201, "POST", "/v1/Services/"+ks+"/PhoneNumbers", url.Values{"PhoneNumber": {pool3}, "IsReserved": {"true"}})
	assert.Len(t, cl.ok(200, "GET", "/v1/Services/"+ks+"/PhoneNumbers", nil).list("phone_numbers"), 3)
	assert.Equal(t, pool1, cl.ok(200, "GET", "/v1/Services/"+ks+"/PhoneNumbers/"+pn1.str("sid"), nil).str("phone_number"))
	assert.Equal(t, false, cl.ok(200, "POST", "/v1/Services/"+ks+"/PhoneNumbers/"+pn3.str("sid"), url.Values{"IsReserved": {"false"}})["is_reserved"])

	// Sessions.
	sess := cl.ok(201, "POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {"ride-1"}, "Ttl": {"900"},
		"Mode": {"voice-and-message"}, "Participants": participants(map[string]string{"Identifier": rider, "ProxyIdentifier": pool1},
			map[string]string{"Identifier": driver, "FriendlyName": "driver-42"})})
	kc := sess.str("sid")
	other := cl.ok(201, "POST", "/v1/Services/"+ks+"/Sessions", url.Values{"UniqueName": {"ride-2"},
		"DateExpiry": {"2026-03-02T09:00:00Z"}, "Status": {"in-progress"}})
	assert.Equal(t, "in-progress", other.str("status"))
	assert.Len(t, cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions", nil).list("sessions"), 2)
	assert.Equal(t, kc, cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc, nil).str("sid"))
	assert.Equal(t, kc, cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/ride-1", nil).str("sid"), "fetch takes a unique name")
	cl.ok(200, "POST", "/v1/Services/"+ks+"/Sessions/"+kc, url.Values{"Ttl": {"1800"}})
	// Paging: the next page's URL as the emulator gives it.
	first := cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions", url.Values{"PageSize": {"1"}})
	next, _ := first["meta"].(map[string]any)["next_page_url"].(string)
	require.NotEmpty(t, next)
	assert.Len(t, cl.ok(200, "GET", next, nil).list("sessions"), 1)

	// Participants.
	parts := cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants", nil).list("participants")
	require.Len(t, parts, 2)
	riderKP, driverKP := parts[0], parts[1]
	assert.Equal(t, "driver-42", cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP.str("sid"), nil).str("friendly_name"))
	kc2 := other.str("sid")
	courierKP := cl.ok(201, "POST", "/v1/Services/"+ks+"/Sessions/"+kc2+"/Participants", url.Values{"Identifier": {courier},
		"ProxyIdentifierSid": {pn1.str("sid")}, "FriendlyName": {"courier"}, "FailOnParticipantConflict": {"true"}})
	cl.ok(201, "POST", "/v1/Services/"+ks+"/Sessions/"+kc2+"/Participants", url.Values{"Identifier": {rider}, "ProxyIdentifier": {pool2}})

	// Interactions: a routed message and a routed call.
	status, res := cl.control("/emulator/inbound", map[string]string{"service": ks, "channel": "sms", "from": rider, "to": riderKP.str("proxy_identifier"), "body": "on my way"})
	require.Equal(t, 200, status)
	require.Equal(t, "routed", res.str("outcome"), "%v", res)
	status, res = cl.control("/emulator/inbound", map[string]any{"service": ks, "channel": "voice", "from": driver, "to": driverKP.str("proxy_identifier"), "duration": 42})
	require.Equal(t, 200, status)
	require.Equal(t, "routed", res.str("outcome"), "%v", res)
	status, res = cl.control("/emulator/inbound", map[string]string{"service": ks, "channel": "voice", "from": driver, "to": driverKP.str("proxy_identifier")})
	require.Equal(t, 200, status)
	require.Equal(t, "routed", res.str("outcome"), "%v", res)
	its := cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Interactions", nil).list("interactions")
	require.Len(t, its, 3)
	assert.Equal(t, `{"duration":"42"}`, its[1].str("data"))
	assert.Equal(t, "completed", its[1].str("outbound_resource_status"))
	assert.Equal(t, "initiated", its[2].str("outbound_resource_status"))
	assert.Equal(t, its[1].str("sid"), cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Interactions/"+its[1].str("sid"), nil).str("sid"))

	// Message Interactions.
	mi := cl.ok(200, "POST", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP.str("sid")+"/MessageInteractions",
		url.Values{"Body": {"Your rider is waiting"}})
	cl.ok(200, "POST", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP.str("sid")+"/MessageInteractions",
		url.Values{"MediaUrl": {"https://example.com/map.png"}})
	mis := cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP.str("sid")+"/MessageInteractions", nil).list("interactions")
	assert.Len(t, mis, 2)
	assert.Equal(t, mi.str("sid"), cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Participants/"+driverKP.str("sid")+"/MessageInteractions/"+mi.str("sid"), nil).str("sid"))
	// They are Interactions of the Session too, one-sided.
	assert.Len(t, cl.ok(200, "GET", "/v1/Services/"+ks+"/Sessions/"+kc+"/Interactions", nil).list("interactions"), 5)

	// Closing and reopening.
	assert.Equal(t, "closed", cl.ok(200, "POST", "/v1/Services/"+ks+"/Sessions/"+kc, url.Values{"Status": {"closed"}}).str("status"))
	assert.Equal(t, "in-progress", cl.ok(200, "POST", "/v1/Services/"+ks+"/Sessions/"+kc, url.Values{"Status": {"in-progress"}}).str("status"))

	// Deletes.
	cl.ok(204, "DELETE", "/v1/Services/"+ks+"/Sessions/"+kc+"/Interactions/"+its[0].str("sid"), nil)
	cl.ok(200, "DELETE", "/v1/Services/"+ks+"/Sessions/"+kc2+"/Participants/"+courierKP.str("sid"), nil)
	cl.ok(204, "DELETE", "/v1/Services/"+ks+"/PhoneNumbers/"+pn3.str("sid"), nil)
	cl.ok(204, "DELETE", "/v1/Services/"+ks+"/Sessions/"+kc2, nil)
	cl.ok(204, "DELETE", "/v1/Services/"+spareKS, nil)

	// Requests the document does not allow: the emulator must refuse each
	// (the checker fails any it accepts).
	sessions := "/v1/Services/" + ks + "/Sessions"
	for _, probe := range []struct {
		method, path string
		form         url.Values
	}{
		{"POST", "/v1/Services/rides", url.Values{"DefaultTtl": {"60"}}},              // update takes a SID
		{"DELETE", "/v1/Services/rides", nil},                                         // delete takes a SID
		{"GET", "/v1/Services/rides/Sessions", nil},                                   // ServiceSid is a SID
		{"GET", "/v1/Services/rides/PhoneNumbers", nil},                               // ServiceSid is a SID
		{"POST", sessions + "/ride-1", url.Values{"Ttl": {"60"}}},                     // update takes a SID
		{"DELETE", sessions + "/ride-1", nil},                                         // delete takes a SID
		{"GET", sessions + "/ride-1/Participants", nil},                               // SessionSid is a SID
		{"GET", sessions + "/ride-1/Interactions", nil},                               // SessionSid is a SID
		{"GET", "/v1/Services/" + ks + "/PhoneNumbers/" + url.PathEscape(pool1), nil}, // Sid is a PN SID
		{"POST", "/v1/Services", url.Values{"DefaultTtl": {"60"}}},                    // UniqueName is required
		{"POST", "/v1/Services", url.Values{"UniqueName": {"x"}, "GeoMatchLevel": {"city"}}},
		{"POST", "/v1/Services", url.Values{"UniqueName": {"x"}, "DefaultTtl": {"soon"}}},
		{"POST", "/v1/Services", url.Values{"UniqueName": {"x"}, "ChatInstanceSid": {"chat"}}},
		{"POST", sessions, url.Values{"Mode": {"video-only"}}},
		{"POST", sessions, url.Values{"Ttl": {"1.5"}}},
		{"POST", sessions, url.Values{"DateExpiry": {"tomorrow"}}},
		{"POST", sessions + "/" + kc, url.Values{"Status": {"paused"}}},
		{"POST", sessions + "/" + kc + "/Participants", url.Values{"FriendlyName": {"no identifier"}}},
		{"POST", sessions + "/" + kc2 + "/Participants", url.Values{"Identifier": {courier}, "ProxyIdentifierSid": {"PN1"}}},
		{"POST", "/v1/Services/" + ks + "/PhoneNumbers", url.Values{"Sid": {"PN1"}}},
		{"POST", "/v1/Services/" + ks + "/PhoneNumbers/" + pn1.str("sid"), url.Values{"IsReserved": {"maybe"}}},
		{"GET", sessions, url.Values{"PageSize": {"0"}}},
		{"GET", sessions, url.Values{"PageSize": {"1001"}}},
		{"GET", sessions, url.Values{"Page": {"-1"}}},
	} {
		got, a := cl.do(probe.method, probe.path, probe.form)
		assert.False(t, got >= 200 && got <= 299, "%s %s %v: accepted (%d), but the document does not allow it: %v", probe.method, probe.path, probe.form, got, a)
	}

	// Every operation of the document was called, with success.
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []string
	for _, id := range c.operations() {
		if c.succeeded[id] == 0 {
			missing = append(missing, id)
		}
	}
	assert.Empty(t, missing, "operations of Twilio's document never answered with success")
	assert.Len(t, c.operations(), 25, "Proxy v1 has 25 operations in the pinned document")
	t.Logf("%d operations called with success, %d exchanges checked", len(c.operations())-len(missing), len(c.exchanges))

	// Each exception is needed: without it, an answer the emulator gave,
	// as Twilio's own examples show it, would not match the document.
	for i, e := range exceptions {
		doc, err := parseSpec(t, slices.Delete(slices.Clone(exceptions), i, i+1), false)
		require.NoError(t, err)
		strictResponses(doc)
		without := newSpec(t, doc)
		broken := 0
		for _, x := range c.exchanges {
			if _, err := without.validate(x); err != nil {
				broken++
			}
		}
		assert.NotZero(t, broken, "no exchange needs the exception for %s", e.where)
	}
}

package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

// DefaultMaxBodyBytes is the default limit of a request's body to the
// server: far above any request Proxy's API takes.
const DefaultMaxBodyBytes = 64 << 10

// ServerOptions configure [NewServer]. The zero value of each field is its
// documented default; a nil *ServerOptions is all defaults.
type ServerOptions struct {
	// MaxBodyBytes limits each request's body; a longer one is answered
	// 413. Default (0): DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// OpenControl lets any client use the control API (/emulator) and
	// the page (/) without Basic auth. Default: false, and only clients on
	// a loopback address, through no proxy, may skip it; the REST API
	// (/v1) always needs it. OpenControl opens no other gate: Host,
	// Origin and Content-Type are checked all the same.
	OpenControl bool
	// AllowedHosts are further names a request's Host may carry, beyond
	// the address it reached and the loopback names: a container's name,
	// a tunnel's. A name without a port allows any port. Default: none.
	AllowedHosts []string
}

// server serves an emulator over HTTP; see NewServer.
type server struct {
	p   *Proxy
	o   ServerOptions
	mux *http.ServeMux
}

// NewServer returns a handler that serves p over HTTP, as Twilio serves Proxy: the REST
// API under /v1, for Twilio's helper libraries unchanged; the control API
// under /emulator, for the world outside Proxy (inbound calls and
// messages, the clock, what phones received, what Twilio's Debugger would
// show); and a page at / that shows the state. It is an http.Handler, for
// httptest.NewServer in a Go test or an http.Server (oosc emulate).
//
// The REST API takes form-encoded requests with Basic auth (the account
// SID and the auth token of the emulator's Options) and answers JSON with
// Twilio's field names, paging and error shape, with the success status
// Twilio's OpenAPI description documents for each operation:
//
//	/v1/Services[/{KS or UniqueName}]                                   create 201, fetch, list, update, delete 204
//	/v1/Services/{KS}/PhoneNumbers[/{PN}]                               create 201 (Sid or PhoneNumber, IsReserved), fetch, list, update (IsReserved), delete 204
//	/v1/Services/{KS}/Sessions[/{KC or UniqueName}]                     create 201 (Participants: JSON objects), fetch, list, update (Status, Ttl, DateExpiry), delete 204
//	/v1/Services/{KS}/Sessions/{KC}/Participants[/{KP}]                 create 201, fetch, list, delete 200
//	/v1/Services/{KS}/Sessions/{KC}/Interactions[/{KI}]                 fetch, list, delete 204
//	/v1/Services/{KS}/Sessions/{KC}/Participants/{KP}/MessageInteractions[/{KI}]  create 200 (Body, MediaUrl), fetch, list
//
// Paths take what the OpenAPI description allows: a SID of the right
// kind everywhere, and a unique name only where a Service or a Session
// is fetched; anything else there is 404 and 20404, as on Twilio.
//
// Errors are {"code", "message", "more_info", "status"}: 401 and 20003
// for wrong credentials, 404 and 20404 for what does not exist, 400 and
// 20001 for a missing or malformed parameter, 413 for a body over the
// limit, 405 and 20004 for a method a resource does not take; a rule of
// Proxy broken gives its code with 400, except a pair conflict on create,
// which Twilio answers 409 with 80623 (the engine's 80604; 400 and 80604
// on reopen). A refused request changes nothing.
//
// The control API takes and answers JSON; every POST must say
// Content-Type: application/json (415 otherwise, an empty reset too),
// each key given once, exactly as written:
//
//	POST /emulator/inbound  {"service", "channel", "from", "to", "body", "media"}  a contact, answered with its Result
//	POST /emulator/numbers  {"number": "+1..."}                              a number of the account: 201 {"sid": "PN...", "number"}
//	POST /emulator/clock    {"advance": "2h"} or {"now": RFC 3339}            the clock moves forward; answers the events
//	GET  /emulator/deliveries                                                what each phone received, oldest first, paged
//	GET  /emulator/events                                                    what Twilio's Debugger would show (debugger.Event JSON), oldest first, paged
//	GET  /emulator/webhooks                                                  each webhook called, with its answer, latency and verdict (Exchange JSON), oldest first, paged
//	POST /emulator/reset                                                     empty state, same credentials
//
// The lists page as Proxy's do (PageSize, default 50, at most 1,000;
// Page, PageToken; "meta" with next_page_url), over the entries the
// emulator's bounded logs hold, with "dropped", how many older ones they
// no longer hold; a page token is a position in the log, so paging goes
// on where it was while older entries are dropped.
//
// Every request first passes gates that keep a web page the developer
// visits from driving the emulator: its Host must name the emulator (the
// address the request reached, localhost, 127.0.0.1 or [::1], with any
// port, or one of ServerOptions.AllowedHosts), else 421 (a DNS rebinding
// attack names its own host); an Origin header other than the emulator's
// own, or a POST that a browser marks cross-site or same-site
// (Sec-Fetch-Site), is 403. The control API and the page need Basic auth
// unless the client is on loopback and the request says it came through
// no proxy (no Forwarded, X-Forwarded-For, X-Forwarded-Host, X-Real-Ip or
// Via header), or OpenControl is set; OpenControl opens no other gate.
func NewServer(p *Proxy, opts *ServerOptions) http.Handler {
	var o ServerOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	p.options() // a zero Proxy takes its defaults before the server reads them
	s := &server{p: p, o: o, mux: http.NewServeMux()}
	const svc, sess = "/v1/Services/{service}", "/v1/Services/{service}/Sessions/{session}"
	ok, created, deleted := http.StatusOK, http.StatusCreated, http.StatusNoContent
	routes := map[string]map[string]operation{
		"/v1/Services":                       {"GET": {s.listServices, ok}, "POST": {s.createService, created}},
		svc:                                  {"GET": {s.fetchService, ok}, "POST": {s.updateService, ok}, "DELETE": {s.deleteService, deleted}},
		svc + "/PhoneNumbers":                {"GET": {s.listNumbers, ok}, "POST": {s.createNumber, created}},
		svc + "/PhoneNumbers/{number}":       {"GET": {s.fetchNumber, ok}, "POST": {s.updateNumber, ok}, "DELETE": {s.deleteNumber, deleted}},
		svc + "/Sessions":                    {"GET": {s.listSessions, ok}, "POST": {s.createSession, created}},
		sess:                                 {"GET": {s.fetchSession, ok}, "POST": {s.updateSession, ok}, "DELETE": {s.deleteSession, deleted}},
		sess + "/Participants":               {"GET": {s.listParticipants, ok}, "POST": {s.createParticipant, created}},
		sess + "/Participants/{participant}": {"GET": {s.fetchParticipant, ok}, "DELETE": {s.deleteParticipant, ok}},
		sess + "/Interactions":               {"GET": {s.listInteractions, ok}},
		sess + "/Interactions/{interaction}": {"GET": {s.fetchInteraction, ok}, "DELETE": {s.deleteInteraction, deleted}},
		sess + "/Participants/{participant}/MessageInteractions":               {"GET": {s.listMessageInteractions, ok}, "POST": {s.createMessageInteraction, ok}},
		sess + "/Participants/{participant}/MessageInteractions/{interaction}": {"GET": {s.fetchMessageInteraction, ok}},
	}
	for path, verbs := range routes {
		s.mux.Handle(path, s.rest(verbs))
	}
	s.mux.Handle("/emulator/inbound", s.control("POST", s.inbound))
	s.mux.Handle("/emulator/numbers", s.control("POST", s.addAccountNumber))
	s.mux.Handle("/emulator/clock", s.control("POST", s.clock))
	s.mux.Handle("/emulator/deliveries", s.control("GET", s.deliveries))
	s.mux.Handle("/emulator/events", s.control("GET", s.events))
	s.mux.Handle("/emulator/webhooks", s.control("GET", s.webhooks))
	s.mux.Handle("/emulator/reset", s.control("POST", s.reset))
	s.mux.HandleFunc("/{$}", s.page)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, pathNotFound(r))
	})
	return s
}

// operation is one operation of the REST API: what it does, and the
// status of its success (its answer; none for a nil answer).
type operation struct {
	do     func(*request) (any, error)
	status int
}

func pathNotFound(r *http.Request) *apiError {
	return &apiError{status: http.StatusNotFound, code: oosc.CodeNotFound, message: "The requested resource " + r.URL.Path + " was not found"}
}

// pathValues are the path's values and the kind of SID each takes.
var pathValues = [...]struct{ name, prefix string }{
	{"service", "KS"}, {"session", "KC"}, {"number", "PN"}, {"participant", "KP"}, {"interaction", "KI"},
}

// pathSIDs reports whether every value of r's path is a SID of its kind,
// as Twilio's OpenAPI description has it: only a fetch of a Service or
// a Session (a GET whose path ends with it) may name it by unique name.
func pathSIDs(r *http.Request) bool {
	last := r.Pattern[strings.LastIndexByte(r.Pattern, '/')+1:]
	for _, pv := range pathValues {
		v := r.PathValue(pv.name)
		if v == "" || isSID(v, pv.prefix) {
			continue
		}
		if r.Method == http.MethodGet && last == "{"+pv.name+"}" && (pv.name == "service" || pv.name == "session") {
			continue
		}
		return false
	}
	return true
}

// ServeHTTP serves one request, if it passes the gates.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := s.gate(r); err != nil {
		writeError(w, err)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// apiError is an error answer in Twilio's shape.
type apiError struct {
	status  int
	code    oosc.Code
	message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %d: %s", e.status, e.code, e.message) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: oosc.CodeBadParameters, message: fmt.Sprintf(format, args...)}
}

func missing(name string) *apiError {
	return badRequest("Missing required parameter %s in the post body", name)
}

// asAPIError gives an engine error its HTTP status: 404 for 20404, 400 for
// the rest of Proxy's rules.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var e *Error
	if errors.As(err, &e) {
		status := http.StatusBadRequest
		if e.Code == oosc.CodeNotFound {
			status = http.StatusNotFound
		}
		return &apiError{status: status, code: e.Code, message: e.Message}
	}
	return &apiError{status: http.StatusInternalServerError, code: 20500, message: "internal error"}
}

// onCreate answers a pair conflict on create as Twilio does: 409, 80623.
func onCreate(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Code == oosc.CodeProxyIdentifierInUse {
		return &apiError{status: http.StatusConflict, code: oosc.CodeDuplicateParticipant, message: e.Message}
	}
	return err
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	}
	writeJSON(w, e.status, struct {
		Code     int    `json:"code"`
		Message  string `json:"message"`
		MoreInfo string `json:"more_info"`
		Status   int    `json:"status"`
	}{int(e.code), e.message, e.code.URL(), e.status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":20500,"message":"internal error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// request is one REST request: its form (the body's for POST, the
// query's otherwise), its path values and the base of the URLs it
// answers with.
type request struct {
	r    *http.Request
	form url.Values
	base string // scheme://host
	svc  string // the SID of the Service the path names, resolved once; "" when none
}

func (q *request) path(name string) string { return q.r.PathValue(name) }

// rest serves a resource: Basic auth, the path's SIDs, the body, the
// method.
func (s *server) rest(verbs map[string]operation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authenticated(r) {
			writeError(w, &apiError{status: http.StatusUnauthorized, code: oosc.CodePermissionDenied, message: "Authenticate"})
			return
		}
		op, ok := verbs[r.Method]
		if !ok {
			allow := make([]string, 0, len(verbs))
			for _, m := range []string{"GET", "POST", "DELETE"} {
				if verbs[m].do != nil {
					allow = append(allow, m)
				}
			}
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: 20004, message: "Method not allowed"})
			return
		}
		if !pathSIDs(r) {
			writeError(w, pathNotFound(r))
			return
		}
		q := &request{r: r, base: base(r)}
		var err error
		if q.form, err = s.form(w, r); err != nil {
			writeError(w, asAPIError(err))
			return
		}
		if name := r.PathValue("service"); name != "" {
			v, err := s.p.Service(name) // by SID, or by UniqueName for a fetch
			if err != nil {
				writeError(w, asAPIError(err))
				return
			}
			q.svc = v.Sid
		}
		v, err := op.do(q)
		switch {
		case err != nil:
			writeError(w, asAPIError(err))
		case v == nil:
			w.WriteHeader(op.status)
		default:
			writeJSON(w, op.status, v)
		}
	})
}

// form reads the request's parameters: the body's, form-encoded, for a
// POST; the query's otherwise.
func (s *server) form(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if r.Method != http.MethodPost {
		v, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, badRequest("the query is not well-formed: %v", err)
		}
		return v, nil
	}
	body, err := readBody(w, r, s.o.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	if ct := r.Header.Get("Content-Type"); len(body) > 0 && !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		return nil, &apiError{status: http.StatusUnsupportedMediaType, code: oosc.CodeBadParameters, message: "the body must be application/x-www-form-urlencoded"}
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest("the body is not a well-formed form: %v", err)
	}
	return v, nil
}

func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := &apiError{status: http.StatusRequestEntityTooLarge, code: oosc.CodeBadParameters,
		message: fmt.Sprintf("the body is over %d bytes", limit)}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		return nil, badRequest("the body could not be read")
	}
	return body, nil
}

// base is the scheme and host the request was sent to: the URLs in the
// answer (a resource's url, a list's next page) point there.
func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// authenticated reports whether r carries the account's credentials.
func (s *server) authenticated(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u := subtle.ConstantTimeCompare([]byte(user), []byte(s.p.o.AccountSid))
	t := subtle.ConstantTimeCompare([]byte(pass), []byte(s.p.o.AuthToken))
	return u&t == 1
}

// mayControl reports whether r may use the control API and the page:
// opened to all, or from loopback through no proxy, or authenticated.
func (s *server) mayControl(r *http.Request) bool {
	return s.o.OpenControl || (loopback(r) && !forwarded(r)) || s.authenticated(r)
}

// forwarded reports whether r says it was forwarded by a proxy or a
// tunnel: its client may be anywhere.
func forwarded(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Via"} {
		if _, ok := r.Header[h]; ok {
			return true
		}
	}
	return false
}

func loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// Parameters.

// formString returns the value of name, and whether it was given at all.
func formString(f url.Values, name string) (string, bool) {
	v, ok := f[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// seconds reads a whole number of seconds, 0 or more, that fits a Duration.
func seconds(f url.Values, name string) (*time.Duration, error) {
	v, ok := formString(f, name)
	if !ok {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > MaxTTLSeconds {
		return nil, badRequest("%s must be a whole number of seconds from 0 to %d, not %q", name, MaxTTLSeconds, clip(v))
	}
	d := time.Duration(n) * time.Second
	return &d, nil
}

func dateParam(f url.Values, name string) (*time.Time, error) {
	v, ok := formString(f, name)
	if !ok || v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, badRequest("%s must be an ISO 8601 date and time, not %q", name, clip(v))
	}
	return &t, nil
}

// failOnConflict reads FailOnParticipantConflict, the parameter Twilio's
// error pages 80604, 80623, 80801 and 80802 document for Session create
// and update and Participant create (its OpenAPI description dropped it
// in 2022).
func failOnConflict(f url.Values) (bool, error) {
	b, err := boolParam(f, "FailOnParticipantConflict")
	return b != nil && *b, err
}

func boolParam(f url.Values, name string) (*bool, error) {
	v, ok := formString(f, name)
	if !ok {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, badRequest("%s must be true or false, not %q", name, clip(v))
	}
	return &b, nil
}

// Paging.

// page is the paging of a list request.
type page struct {
	number, size, offset int
}

// DefaultPageSize and MaxPageSize are Twilio's.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// pageOf reads a list's paging: PageSize (a larger one is cut to
// MaxPageSize), Page, PageToken.
func pageOf(f url.Values) (page, error) {
	pg := page{size: DefaultPageSize}
	if v, ok := formString(f, "PageSize"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return pg, badRequest("PageSize must be a whole number from 1 to %d, not %q", MaxPageSize, clip(v))
		}
		pg.size = min(n, MaxPageSize)
	}
	if v, ok := formString(f, "Page"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<20 {
			return pg, badRequest("Page must be a whole number, not %q", clip(v))
		}
		pg.number = n
	}
	pg.offset = pg.number * pg.size
	if v, ok := formString(f, "PageToken"); ok && v != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "PA"))
		if !strings.HasPrefix(v, "PA") || err != nil || n < 0 {
			return pg, badRequest("PageToken %q is not one this server gave", clip(v))
		}
		pg.offset = n
	}
	return pg, nil
}

// restPageOf reads a REST list's paging, as pageOf does, but refuses a
// PageSize over MaxPageSize, as Twilio's OpenAPI description does.
func restPageOf(f url.Values) (page, error) {
	if v, _ := formString(f, "PageSize"); len(v) > 0 {
		if n, err := strconv.Atoi(v); err == nil && n > MaxPageSize {
			return page{}, badRequest("PageSize must be a whole number from 1 to %d, not %q", MaxPageSize, clip(v))
		}
	}
	return pageOf(f)
}

// listMeta is a list's meta object, as Twilio's libraries page with it.
type listMeta struct {
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	FirstPageURL    string  `json:"first_page_url"`
	PreviousPageURL *string `json:"previous_page_url"`
	URL             string  `json:"url"`
	NextPageURL     *string `json:"next_page_url"`
	Key             string  `json:"key"`
}

// paged answers the request's page of items under key.
func paged[T any](q *request, key string, items []T) (any, error) {
	pg, err := restPageOf(q.form)
	if err != nil {
		return nil, err
	}
	from := min(pg.offset, len(items))
	to := min(from+pg.size, len(items))
	return pageAnswer(q, key, pg, from, to, len(items), items[from:to]), nil
}

// pageAnswer is a list's answer: the items of the page that starts at
// position from, of total, the next page starting at position next, and
// the meta object Twilio's libraries page with.
func pageAnswer[T any](q *request, key string, pg page, from, next, total int, items []T) any {
	at := func(number, offset int) string {
		v := url.Values{"PageSize": {strconv.Itoa(pg.size)}, "Page": {strconv.Itoa(number)}}
		if offset > 0 {
			v.Set("PageToken", "PA"+strconv.Itoa(offset))
		}
		return q.base + q.r.URL.Path + "?" + v.Encode()
	}
	meta := listMeta{Page: pg.number, PageSize: pg.size, FirstPageURL: at(0, 0), URL: at(pg.number, from), Key: key}
	if next < total {
		u := at(pg.number+1, next)
		meta.NextPageURL = &u
	}
	if from > 0 {
		prev := at(max(pg.number-1, 0), max(from-pg.size, 0))
		meta.PreviousPageURL = &prev
	}
	if items == nil {
		items = []T{}
	}
	return map[string]any{key: items, "meta": meta}
}

// JSON views, with Twilio's field names. Optional strings are null when
// empty, as Twilio writes them.

func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// jsonTime writes an ISO 8601 time in UTC, or null.
type jsonTime time.Time

func (t jsonTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + time.Time(t).UTC().Format(time.RFC3339) + `"`), nil
}

type serviceJSON struct {
	Sid                     string            `json:"sid"`
	UniqueName              *string           `json:"unique_name"`
	AccountSid              string            `json:"account_sid"`
	ChatInstanceSid         *string           `json:"chat_instance_sid"`
	CallbackURL             *string           `json:"callback_url"`
	DefaultTTL              int64             `json:"default_ttl"`
	NumberSelectionBehavior string            `json:"number_selection_behavior"`
	GeoMatchLevel           string            `json:"geo_match_level"`
	InterceptCallbackURL    *string           `json:"intercept_callback_url"`
	OutOfSessionCallbackURL *string           `json:"out_of_session_callback_url"`
	DateCreated             jsonTime          `json:"date_created"`
	DateUpdated             jsonTime          `json:"date_updated"`
	URL                     string            `json:"url"`
	Links                   map[string]string `json:"links"`
}

func (s *server) serviceJSON(q *request, v Service) serviceJSON {
	u := q.base + "/v1/Services/" + v.Sid
	nsb, geo := v.NumberSelectionBehavior, v.GeoMatchLevel
	if nsb == "" {
		nsb = PreferSticky
	}
	if geo == "" {
		geo = GeoMatchCountry
	}
	return serviceJSON{Sid: v.Sid, UniqueName: null(v.UniqueName), AccountSid: s.p.o.AccountSid, ChatInstanceSid: null(v.ChatInstanceSid),
		CallbackURL: null(v.CallbackURL), DefaultTTL: int64(v.DefaultTTL / time.Second), NumberSelectionBehavior: string(nsb), GeoMatchLevel: string(geo),
		InterceptCallbackURL: null(v.InterceptCallbackURL), OutOfSessionCallbackURL: null(v.OutOfSessionCallbackURL),
		DateCreated: jsonTime(v.Created), DateUpdated: jsonTime(v.Updated), URL: u,
		Links: map[string]string{"sessions": u + "/Sessions", "phone_numbers": u + "/PhoneNumbers"}}
}

type capabilitiesJSON struct {
	Fax   bool `json:"fax"`
	MMS   bool `json:"mms"`
	SMS   bool `json:"sms"`
	Voice bool `json:"voice"`
}

type numberJSON struct {
	Sid          string           `json:"sid"`
	AccountSid   string           `json:"account_sid"`
	ServiceSid   string           `json:"service_sid"`
	DateCreated  jsonTime         `json:"date_created"`
	DateUpdated  jsonTime         `json:"date_updated"`
	PhoneNumber  string           `json:"phone_number"`
	FriendlyName string           `json:"friendly_name"`
	IsoCountry   *string          `json:"iso_country"`
	Capabilities capabilitiesJSON `json:"capabilities"`
	URL          string           `json:"url"`
	IsReserved   bool             `json:"is_reserved"`
	InUse        int              `json:"in_use"`
}

func (s *server) numberJSON(q *request, service string, n PhoneNumber) numberJSON {
	phone := strings.HasPrefix(n.Number, "+")
	return numberJSON{Sid: n.Sid, AccountSid: s.p.o.AccountSid, ServiceSid: service, DateCreated: jsonTime(n.Created),
		DateUpdated: jsonTime(n.Updated), PhoneNumber: n.Number, FriendlyName: n.Number, IsoCountry: null(isoCountry(n.Number)),
		Capabilities: capabilitiesJSON{MMS: phone, SMS: true, Voice: phone},
		URL:          q.base + "/v1/Services/" + service + "/PhoneNumbers/" + n.Sid, IsReserved: n.Reserved, InUse: n.InUse}
}

type sessionJSON struct {
	Sid                 string            `json:"sid"`
	ServiceSid          string            `json:"service_sid"`
	AccountSid          string            `json:"account_sid"`
	DateStarted         jsonTime          `json:"date_started"`
	DateEnded           jsonTime          `json:"date_ended"`
	DateLastInteraction jsonTime          `json:"date_last_interaction"`
	DateExpiry          jsonTime          `json:"date_expiry"`
	UniqueName          *string           `json:"unique_name"`
	Status              string            `json:"status"`
	ClosedReason        *string           `json:"closed_reason"`
	TTL                 int64             `json:"ttl"`
	Mode                string            `json:"mode"`
	DateCreated         jsonTime          `json:"date_created"`
	DateUpdated         jsonTime          `json:"date_updated"`
	URL                 string            `json:"url"`
	Links               map[string]string `json:"links"`
}

func (s *server) sessionJSON(q *request, v Session) sessionJSON {
	u := q.base + "/v1/Services/" + v.ServiceSid + "/Sessions/" + v.Sid
	return sessionJSON{Sid: v.Sid, ServiceSid: v.ServiceSid, AccountSid: s.p.o.AccountSid, DateStarted: jsonTime(v.Started),
		DateEnded: jsonTime(v.Ended), DateLastInteraction: jsonTime(v.LastInteraction), DateExpiry: jsonTime(v.DateExpiry),
		UniqueName: null(v.UniqueName), Status: string(v.Status), ClosedReason: null(string(v.ClosedReason)), TTL: int64(v.TTL / time.Second),
		Mode: string(v.Mode), DateCreated: jsonTime(v.Created), DateUpdated: jsonTime(v.Updated), URL: u,
		Links: map[string]string{"interactions": u + "/Interactions", "participants": u + "/Participants"}}
}

type participantJSON struct {
	Sid                string            `json:"sid"`
	SessionSid         string            `json:"session_sid"`
	ServiceSid         string            `json:"service_sid"`
	AccountSid         string            `json:"account_sid"`
	FriendlyName       *string           `json:"friendly_name"`
	Identifier         string            `json:"identifier"`
	ProxyIdentifier    string            `json:"proxy_identifier"`
	ProxyIdentifierSid string            `json:"proxy_identifier_sid"`
	DateDeleted        jsonTime          `json:"date_deleted"`
	DateCreated        jsonTime          `json:"date_created"`
	DateUpdated        jsonTime          `json:"date_updated"`
	URL                string            `json:"url"`
	Links              map[string]string `json:"links"`
}

func (s *server) participantJSON(q *request, service string, v Participant) participantJSON {
	u := q.base + "/v1/Services/" + service + "/Sessions/" + v.SessionSid + "/Participants/" + v.Sid
	return participantJSON{Sid: v.Sid, SessionSid: v.SessionSid, ServiceSid: service, AccountSid: s.p.o.AccountSid,
		FriendlyName: null(v.FriendlyName), Identifier: v.Identifier, ProxyIdentifier: v.ProxyIdentifier,
		ProxyIdentifierSid: v.ProxyIdentifierSid, DateDeleted: jsonTime(v.Deleted), DateCreated: jsonTime(v.Created),
		DateUpdated: jsonTime(v.Updated), URL: u, Links: map[string]string{"message_interactions": u + "/MessageInteractions"}}
}

type interactionJSON struct {
	Sid                    string   `json:"sid"`
	SessionSid             string   `json:"session_sid"`
	ServiceSid             string   `json:"service_sid"`
	AccountSid             string   `json:"account_sid"`
	Data                   *string  `json:"data"`
	Type                   string   `json:"type"`
	ParticipantSid         *string  `json:"participant_sid,omitempty"`
	InboundParticipantSid  *string  `json:"inbound_participant_sid"`
	InboundResourceSid     *string  `json:"inbound_resource_sid"`
	InboundResourceStatus  *string  `json:"inbound_resource_status"`
	InboundResourceType    *string  `json:"inbound_resource_type"`
	InboundResourceURL     *string  `json:"inbound_resource_url"`
	OutboundParticipantSid *string  `json:"outbound_participant_sid"`
	OutboundResourceSid    *string  `json:"outbound_resource_sid"`
	OutboundResourceStatus *string  `json:"outbound_resource_status"`
	OutboundResourceType   *string  `json:"outbound_resource_type"`
	OutboundResourceURL    *string  `json:"outbound_resource_url"`
	DateCreated            jsonTime `json:"date_created"`
	DateUpdated            jsonTime `json:"date_updated"`
	URL                    string   `json:"url"`
}

// resource returns the type and the URL of a Call (CA) or Message (SM)
// of the account.
func (s *server) resource(sid string) (kind, u *string) {
	switch {
	case strings.HasPrefix(sid, "CA"):
		return null("Call"), null("https://api.twilio.com/2010-04-01/Accounts/" + s.p.o.AccountSid + "/Calls/" + sid + ".json")
	case strings.HasPrefix(sid, "SM"):
		return null("Message"), null("https://api.twilio.com/2010-04-01/Accounts/" + s.p.o.AccountSid + "/Messages/" + sid + ".json")
	}
	return nil, nil
}

func (s *server) interactionJSON(q *request, service string, v Interaction) interactionJSON {
	j := interactionJSON{Sid: v.Sid, SessionSid: v.SessionSid, ServiceSid: service, AccountSid: s.p.o.AccountSid,
		Data: null(v.Data), Type: string(v.Type), InboundParticipantSid: null(v.InboundParticipantSid),
		InboundResourceSid: null(v.InboundResourceSid), InboundResourceStatus: null(string(v.InboundResourceStatus)),
		OutboundParticipantSid: null(v.OutboundParticipantSid), OutboundResourceSid: null(v.OutboundResourceSid),
		OutboundResourceStatus: null(string(v.OutboundResourceStatus)), DateCreated: jsonTime(v.Created), DateUpdated: jsonTime(v.Updated),
		URL: q.base + "/v1/Services/" + service + "/Sessions/" + v.SessionSid + "/Interactions/" + v.Sid}
	j.InboundResourceType, j.InboundResourceURL = s.resource(v.InboundResourceSid)
	j.OutboundResourceType, j.OutboundResourceURL = s.resource(v.OutboundResourceSid)
	return j
}

// Services.

// serviceUpdate reads a Service's parameters, for create and update
// alike: each one given is set, an empty URL unsetting it.
func serviceUpdate(f url.Values) (ServiceUpdate, error) {
	var u ServiceUpdate
	str := func(name string) *string {
		if v, ok := formString(f, name); ok {
			return &v
		}
		return nil
	}
	u.UniqueName, u.OutOfSessionCallbackURL = str("UniqueName"), str("OutOfSessionCallbackUrl")
	u.InterceptCallbackURL, u.CallbackURL, u.ChatInstanceSid = str("InterceptCallbackUrl"), str("CallbackUrl"), str("ChatInstanceSid")
	if u.ChatInstanceSid != nil && *u.ChatInstanceSid != "" && !isSID(*u.ChatInstanceSid, "IS") {
		return u, badRequest("ChatInstanceSid must be a Chat Service's SID (IS and 32 hexadecimal digits), not %q", clip(*u.ChatInstanceSid))
	}
	if v := str("GeoMatchLevel"); v != nil {
		level := GeoMatchLevel(*v)
		u.GeoMatchLevel = &level
	}
	if v := str("NumberSelectionBehavior"); v != nil {
		nsb := NumberSelectionBehavior(*v)
		u.NumberSelectionBehavior = &nsb
	}
	var err error
	u.DefaultTTL, err = seconds(f, "DefaultTtl")
	return u, err
}

func (s *server) createService(q *request) (any, error) {
	if v, ok := formString(q.form, "UniqueName"); !ok || v == "" {
		return nil, missing("UniqueName")
	}
	u, err := serviceUpdate(q.form)
	if err != nil {
		return nil, err
	}
	v, err := s.p.CreateService(u.apply(ServiceConfig{}))
	if err != nil {
		return nil, err
	}
	return s.serviceJSON(q, v), nil
}

func (s *server) fetchService(q *request) (any, error) {
	v, err := s.p.Service(q.svc)
	if err != nil {
		return nil, err
	}
	return s.serviceJSON(q, v), nil
}

func (s *server) listServices(q *request) (any, error) {
	all := s.p.Services()
	out := make([]serviceJSON, len(all))
	for i, v := range all {
		out[i] = s.serviceJSON(q, v)
	}
	return paged(q, "services", out)
}

func (s *server) updateService(q *request) (any, error) {
	u, err := serviceUpdate(q.form)
	if err != nil {
		if _, ferr := s.p.Service(q.svc); ferr != nil {
			return nil, ferr // a Service that does not exist is 404 first
		}
		return nil, err
	}
	v, err := s.p.UpdateService(q.svc, u)
	if err != nil {
		return nil, err
	}
	return s.serviceJSON(q, v), nil
}

func (s *server) deleteService(q *request) (any, error) {
	return nil, s.p.DeleteService(q.svc)
}

// Phone Numbers.

func (s *server) createNumber(q *request) (any, error) {
	svc := q.svc
	reserved, err := boolParam(q.form, "IsReserved")
	if err != nil {
		return nil, err
	}
	np := NewPhoneNumber{Reserved: reserved != nil && *reserved}
	np.Number, _ = formString(q.form, "PhoneNumber")
	np.Sid, _ = formString(q.form, "Sid")
	switch {
	case np.Sid != "" && !isSID(np.Sid, "PN"):
		return nil, badRequest("Sid must be the SID of a phone number of the account (PN and 32 hexadecimal digits), not %q", clip(np.Sid))
	case np.Sid == "" && np.Number == "":
		return nil, missing("Sid or PhoneNumber")
	}
	n, err := s.p.AddNumber(svc, np)
	if err != nil {
		return nil, err
	}
	return s.numberJSON(q, svc, n), nil
}

func (s *server) fetchNumber(q *request) (any, error) {
	svc := q.svc
	n, err := s.p.Number(svc, q.path("number"))
	if err != nil {
		return nil, err
	}
	return s.numberJSON(q, svc, n), nil
}

func (s *server) listNumbers(q *request) (any, error) {
	svc := q.svc
	all, err := s.p.Numbers(svc)
	if err != nil {
		return nil, err
	}
	out := make([]numberJSON, len(all))
	for i, n := range all {
		out[i] = s.numberJSON(q, svc, n)
	}
	return paged(q, "phone_numbers", out)
}

func (s *server) updateNumber(q *request) (any, error) {
	svc := q.svc
	reserved, err := boolParam(q.form, "IsReserved")
	if err != nil {
		return nil, err
	}
	var n PhoneNumber
	if reserved == nil {
		n, err = s.p.Number(svc, q.path("number"))
	} else {
		n, err = s.p.ReserveNumber(svc, q.path("number"), *reserved)
	}
	if err != nil {
		return nil, err
	}
	return s.numberJSON(q, svc, n), nil
}

func (s *server) deleteNumber(q *request) (any, error) {
	svc := q.svc
	return nil, s.p.RemoveNumber(svc, q.path("number"))
}

// Sessions.

// participantParam is one value of Session create's Participants: a JSON
// object, keys in PascalCase as Twilio's libraries write them (camelCase
// accepted too).
func (s *server) participantParam(svc, raw string) (NewParticipant, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m == nil {
		return NewParticipant{}, badRequest("each Participants value must be a JSON object such as {\"Identifier\": \"+14155550100\"}, not %q", clip(raw))
	}
	if err := checkJSON([]byte(raw), 2); err != nil { // a key twice, in any case, would be read in map order
		return NewParticipant{}, badRequest("Participants: %v", err)
	}
	var np NewParticipant
	var proxySid string
	for key, v := range m {
		var dst *string
		switch key {
		case "Identifier", "identifier":
			dst = &np.Identifier
		case "ProxyIdentifier", "proxyIdentifier":
			dst = &np.ProxyIdentifier
		case "ProxyIdentifierSid", "proxyIdentifierSid":
			dst = &proxySid
		case "FriendlyName", "friendlyName":
			dst = &np.FriendlyName
		default:
			continue // unknown keys are ignored, as unknown parameters are
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return NewParticipant{}, badRequest("Participants: %s must be a string", key)
		}
	}
	if np.Identifier == "" {
		return NewParticipant{}, badRequest("Participants: each needs an Identifier")
	}
	return np, s.resolveProxy(svc, &np, proxySid)
}

// resolveProxy sets np's proxy identifier from a Phone Number SID.
func (s *server) resolveProxy(svc string, np *NewParticipant, proxySid string) error {
	if proxySid == "" || np.ProxyIdentifier != "" {
		return nil
	}
	if !isSID(proxySid, "PN") {
		return badRequest("ProxyIdentifierSid must be a phone number's SID (PN and 32 hexadecimal digits), not %q", clip(proxySid))
	}
	n, err := s.p.Number(svc, proxySid)
	if err != nil {
		return &Error{Code: oosc.CodeProxyIdentifierNotInService, Message: "ProxyIdentifierSid " + clip(proxySid) + " is not in the pool"}
	}
	np.ProxyIdentifier = n.Number
	return nil
}

func (s *server) createSession(q *request) (any, error) {
	svc := q.svc
	ns := NewSession{}
	ns.UniqueName, _ = formString(q.form, "UniqueName")
	mode, _ := formString(q.form, "Mode")
	ns.Mode = autocreate.Mode(mode)
	status, _ := formString(q.form, "Status")
	ns.Status = oosc.SessionStatus(status)
	ttl, err := seconds(q.form, "Ttl")
	if err != nil {
		return nil, err
	}
	if ttl != nil {
		ns.TTL = *ttl
	}
	exp, err := dateParam(q.form, "DateExpiry")
	if err != nil {
		return nil, err
	}
	if exp != nil {
		ns.DateExpiry = *exp
	}
	if ns.FailOnParticipantConflict, err = failOnConflict(q.form); err != nil {
		return nil, err
	}
	if len(q.form["Participants"]) > 2 {
		return nil, &Error{Code: oosc.CodeTooManyParticipants, Message: fmt.Sprintf("%d Participants given; a Session has two at most", len(q.form["Participants"]))}
	}
	for _, raw := range q.form["Participants"] {
		np, err := s.participantParam(svc, raw)
		if err != nil {
			return nil, err
		}
		ns.Participants = append(ns.Participants, np)
	}
	v, err := s.p.CreateSession(svc, ns)
	if err != nil {
		return nil, onCreate(err)
	}
	return s.sessionJSON(q, v), nil
}

func (s *server) fetchSession(q *request) (any, error) {
	svc := q.svc
	v, err := s.p.Session(svc, q.path("session"))
	if err != nil {
		return nil, err
	}
	return s.sessionJSON(q, v), nil
}

func (s *server) listSessions(q *request) (any, error) {
	svc := q.svc
	pg, err := restPageOf(q.form)
	if err != nil {
		return nil, err
	}
	// Only the page's Sessions are copied: a list of many Sessions costs
	// one pass over them, not a copy of each.
	sessions, total, err := s.p.sessionsPage(svc, pg.offset, pg.size)
	if err != nil {
		return nil, err
	}
	out := make([]sessionJSON, len(sessions))
	for i, v := range sessions {
		out[i] = s.sessionJSON(q, v)
	}
	from := min(pg.offset, total)
	return pageAnswer(q, "sessions", pg, from, from+len(out), total, out), nil
}

func (s *server) updateSession(q *request) (any, error) {
	svc := q.svc
	var u SessionUpdate
	var err error
	status, _ := formString(q.form, "Status")
	u.Status = oosc.SessionStatus(status)
	if u.TTL, err = seconds(q.form, "Ttl"); err != nil {
		return nil, err
	}
	if u.DateExpiry, err = dateParam(q.form, "DateExpiry"); err != nil {
		return nil, err
	}
	if u.FailOnParticipantConflict, err = failOnConflict(q.form); err != nil {
		return nil, err
	}
	v, err := s.p.UpdateSession(svc, q.path("session"), u)
	if err != nil {
		return nil, err
	}
	return s.sessionJSON(q, v), nil
}

func (s *server) deleteSession(q *request) (any, error) {
	svc := q.svc
	return nil, s.p.DeleteSession(svc, q.path("session"))
}

// Participants.

func (s *server) createParticipant(q *request) (any, error) {
	svc := q.svc
	var np NewParticipant
	np.Identifier, _ = formString(q.form, "Identifier")
	if np.Identifier == "" {
		return nil, missing("Identifier")
	}
	np.ProxyIdentifier, _ = formString(q.form, "ProxyIdentifier")
	np.FriendlyName, _ = formString(q.form, "FriendlyName")
	var err error
	if np.FailOnParticipantConflict, err = failOnConflict(q.form); err != nil {
		return nil, err
	}
	proxySid, _ := formString(q.form, "ProxyIdentifierSid")
	if err := s.resolveProxy(svc, &np, proxySid); err != nil {
		return nil, err
	}
	v, err := s.p.AddParticipant(svc, q.path("session"), np)
	if err != nil {
		return nil, onCreate(err)
	}
	return s.participantJSON(q, svc, v), nil
}

func (s *server) fetchParticipant(q *request) (any, error) {
	svc := q.svc
	v, err := s.p.Participant(svc, q.path("session"), q.path("participant"))
	if err != nil {
		return nil, err
	}
	return s.participantJSON(q, svc, v), nil
}

func (s *server) listParticipants(q *request) (any, error) {
	svc := q.svc
	all, err := s.p.Participants(svc, q.path("session"))
	if err != nil {
		return nil, err
	}
	out := make([]participantJSON, len(all))
	for i, v := range all {
		out[i] = s.participantJSON(q, svc, v)
	}
	return paged(q, "participants", out)
}

func (s *server) deleteParticipant(q *request) (any, error) {
	svc := q.svc
	return nil, s.p.RemoveParticipant(svc, q.path("session"), q.path("participant"))
}

// Interactions.

func (s *server) fetchInteraction(q *request) (any, error) {
	svc := q.svc
	v, err := s.p.Interaction(svc, q.path("session"), q.path("interaction"))
	if err != nil {
		return nil, err
	}
	return s.interactionJSON(q, svc, v), nil
}

func (s *server) listInteractions(q *request) (any, error) {
	svc := q.svc
	all, err := s.p.Interactions(svc, q.path("session"))
	if err != nil {
		return nil, err
	}
	out := make([]interactionJSON, len(all))
	for i, v := range all {
		out[i] = s.interactionJSON(q, svc, v)
	}
	return paged(q, "interactions", out)
}

func (s *server) deleteInteraction(q *request) (any, error) {
	svc := q.svc
	return nil, s.p.DeleteInteraction(svc, q.path("session"), q.path("interaction"))
}

// Message Interactions: the messages sent to a Participant through the
// API, each an Interaction without an inbound Participant.

func messageInteraction(v Interaction, participant string) bool {
	return v.InboundParticipantSid == "" && v.OutboundParticipantSid == participant && v.Type == "message"
}

func (s *server) messageInteractionJSON(q *request, service, participant string, v Interaction) interactionJSON {
	j := s.interactionJSON(q, service, v)
	j.ParticipantSid = null(participant)
	j.URL = q.base + "/v1/Services/" + service + "/Sessions/" + v.SessionSid + "/Participants/" + participant + "/MessageInteractions/" + v.Sid
	return j
}

func (s *server) createMessageInteraction(q *request) (any, error) {
	svc := q.svc
	body, _ := formString(q.form, "Body")
	media := q.form["MediaUrl"]
	if body == "" && len(media) == 0 {
		return nil, missing("Body or MediaUrl")
	}
	participant := q.path("participant")
	v, err := s.p.SendMessage(q.r.Context(), svc, q.path("session"), participant, body, media)
	if err != nil {
		return nil, err
	}
	return s.messageInteractionJSON(q, svc, participant, v), nil
}

func (s *server) fetchMessageInteraction(q *request) (any, error) {
	svc := q.svc
	participant := q.path("participant")
	if _, err := s.p.Participant(svc, q.path("session"), participant); err != nil {
		return nil, err
	}
	v, err := s.p.Interaction(svc, q.path("session"), q.path("interaction"))
	if err != nil {
		return nil, err
	}
	if !messageInteraction(v, participant) {
		return nil, notFound("Message Interaction", q.path("interaction"))
	}
	return s.messageInteractionJSON(q, svc, participant, v), nil
}

func (s *server) listMessageInteractions(q *request) (any, error) {
	svc := q.svc
	participant := q.path("participant")
	if _, err := s.p.Participant(svc, q.path("session"), participant); err != nil {
		return nil, err
	}
	all, err := s.p.Interactions(svc, q.path("session"))
	if err != nil {
		return nil, err
	}
	out := []interactionJSON{}
	for _, v := range all {
		if messageInteraction(v, participant) {
			out = append(out, s.messageInteractionJSON(q, svc, participant, v))
		}
	}
	return paged(q, "interactions", out)
}

// sessionsPage returns the Sessions of a Service that are not deleted, in
// creation order, from offset, at most limit of them, and how many there
// are in all.
func (p *Proxy) sessionsPage(service string, offset, limit int) ([]Session, int, error) {
	p.lock()
	defer p.mu.Unlock()
	svc, err := p.service(service)
	if err != nil {
		return nil, 0, err
	}
	var out []Session
	i := 0
	for _, s := range svc.sessions {
		if s.deleted {
			continue
		}
		if i >= offset && len(out) < limit {
			out = append(out, s.view())
		}
		i++
	}
	return out, svc.live, nil
}

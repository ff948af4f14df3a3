package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
)

// The page at /: what went wrong first (the Debugger's summary), then
// the events, the webhooks and what each phone received, then each
// Service's pool, Sessions and Interactions, as a developer keeps it open
// beside their app. Plain HTML and CSS, no script; every value escaped by
// html/template.

// The page's bounds: each table shows pageLimit rows a page (its newest
// first), at most pageServices Services, and each text at most pageText
// characters but a webhook's answer body, shown as the log keeps it (at
// most MaxLoggedBodyBytes).
const (
	pageLimit    = 200
	pageServices = 10
	pageText     = 200
	// minRefresh and maxRefresh bound ?refresh, in seconds.
	minRefresh, maxRefresh = 2, 3600
	// sessionsShown is how many Sessions a collapsed row of 80904s names.
	sessionsShown = 5
)

// pageQuery is what the page's query asks for: filters, the page of each
// long table, a refresh. Every parameter is optional; one that cannot be
// read is ignored, and the page says so.
type pageQuery struct {
	Service string    // a Service's SID or uniqueName
	Session string    // a Session's SID or uniqueName
	Code    oosc.Code // 0: any
	Number  string    // a phone number or channel address
	Refresh int       // seconds, 0: none
	Pages   map[string]int
	Notes   []string // what was ignored, and why
}

// The tables that page, by the key of their page parameter (eventsPage,
// ...), counted from 1.
var pagedTables = []string{"events", "webhooks", "deliveries", "sessions", "numbers"}

func parsePageQuery(raw string) pageQuery {
	q := pageQuery{Pages: map[string]int{}}
	form, err := url.ParseQuery(raw)
	if err != nil {
		q.Notes = append(q.Notes, "the query is not well-formed, so it was ignored: "+clip(err.Error()))
		return q
	}
	get := func(k string) string { return strings.TrimSpace(clipText(form.Get(k))) }
	q.Service, q.Session = get("service"), get("session")
	// A "+" typed in an address bar arrives as a space: a number has none.
	q.Number = strings.TrimSpace(strings.ReplaceAll(clipText(form.Get("number")), " ", "+"))
	if v := get("code"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 99999 {
			q.Notes = append(q.Notes, fmt.Sprintf("code %q is not a Twilio code such as 80905: every code is shown", v))
		} else {
			q.Code = oosc.Code(n)
		}
	}
	if v := get("refresh"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n <= 0:
			q.Notes = append(q.Notes, fmt.Sprintf("refresh %q is not a number of seconds: the page does not refresh", v))
		case n < minRefresh || n > maxRefresh:
			q.Refresh = min(max(n, minRefresh), maxRefresh)
			q.Notes = append(q.Notes, fmt.Sprintf("refresh is from %d to %d seconds: every %d s", minRefresh, maxRefresh, q.Refresh))
		default:
			q.Refresh = n
		}
	}
	for _, k := range pagedTables {
		if v := get(k + "Page"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1<<20 {
				q.Notes = append(q.Notes, fmt.Sprintf("%sPage %q is not a page number from 1: the first page is shown", k, v))
				continue
			}
			q.Pages[k] = n
		}
	}
	return q
}

// link is the page's URL with the query's filters, refresh and pages,
// changed by set (key, value pairs; "" removes a key): for the page's
// links, which keep what the developer chose.
func (q pageQuery) link(set ...string) string {
	v := url.Values{}
	put := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	put("service", q.Service)
	put("session", q.Session)
	put("number", q.Number)
	if q.Code != 0 {
		v.Set("code", q.Code.String())
	}
	if q.Refresh != 0 {
		v.Set("refresh", strconv.Itoa(q.Refresh))
	}
	for k, n := range q.Pages {
		if n > 1 {
			v.Set(k+"Page", strconv.Itoa(n))
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// filter is the query's filters, resolved against the state.
type filter struct {
	service  *service // nil: any
	noneSvc  bool     // the Service filter names no Service: no row matches
	sessions []string // the SID and uniqueName a row's Session must be one of; nil: any
	within   *service // the Service of the Session filter's Session, when it exists
	code     oosc.Code
	numbers  []string // the number as given, and with a + when given without; nil: any
}

func (f filter) active() bool {
	return f.service != nil || f.noneSvc || f.sessions != nil || f.code != 0 || f.numbers != nil
}

func (f filter) serviceOK(sid string) bool {
	return !f.noneSvc && (f.service == nil || f.service.sid == sid)
}

func (f filter) sessionOK(ids ...string) bool {
	if f.sessions == nil {
		return true
	}
	for _, id := range ids {
		if id != "" && slices.Contains(f.sessions, id) {
			return true
		}
	}
	return false
}

func (f filter) numberOK(numbers ...string) bool {
	if f.numbers == nil {
		return true
	}
	for _, n := range numbers {
		if n != "" && slices.Contains(f.numbers, n) {
			return true
		}
	}
	return false
}

// event reports whether an event matches; withCode: the code filter too.
func (f filter) event(e debugger.Event, withCode bool) bool {
	return f.serviceOK(e.ServiceSid) && f.sessionOK(e.Session, e.ResourceSid) && f.numberOK(e.From, e.To) &&
		(!withCode || f.code == 0 || e.Code == f.code)
}

// resolve reads the query's filters against the state, noting what they
// name that the state lacks. It is called with the lock held.
func (p *Proxy) resolve(q *pageQuery) filter {
	f := filter{code: q.Code}
	if n := q.Number; n != "" {
		f.numbers = []string{n}
		if n[0] >= '0' && n[0] <= '9' {
			f.numbers = append(f.numbers, "+"+n)
		}
	}
	if q.Service != "" {
		if f.service = p.byKey[q.Service]; f.service == nil {
			f.noneSvc = true
			q.Notes = append(q.Notes, fmt.Sprintf("no Service %q: nothing of a Service is shown", q.Service))
		}
	}
	if q.Session != "" {
		f.sessions = []string{q.Session}
		for _, svc := range p.services {
			if s := svc.find(q.Session); s != nil && f.serviceOK(svc.sid) {
				f.sessions, f.within = []string{s.sid, s.name()}, svc
				break
			}
		}
		if len(f.sessions) == 1 {
			q.Notes = append(q.Notes, fmt.Sprintf("no Session %q now: what the logs hold of it is shown", q.Session))
		}
	}
	return f
}

// pageModel is what the page shows, copied under the lock.
type pageModel struct {
	Now        time.Time
	Account    string
	Query      pageQuery
	Filtered   bool
	ClearURL   string
	Summary    pageSummary
	Events     pageTable[eventRow]
	Webhooks   pageTable[webhookRow]
	Deliveries pageTable[deliveryRow]
	Services   []pageService
	Hidden     int // Services not shown
}

// pageTable is one page of a table's rows, and the links to the others.
type pageTable[T any] struct {
	Rows             []T
	Total            int // rows across the pages
	Page, Pages      int
	PrevURL, NextURL string
	Dropped          int // entries the log no longer holds
}

// paginate returns the query's page of rows for the table key.
func paginate[T any](q pageQuery, key string, rows []T) pageTable[T] {
	t := pageTable[T]{Total: len(rows), Page: max(q.Pages[key], 1), Pages: max((len(rows)+pageLimit-1)/pageLimit, 1)}
	t.Page = min(t.Page, t.Pages)
	from := (t.Page - 1) * pageLimit
	t.Rows = rows[from:min(from+pageLimit, len(rows))]
	param := key + "Page"
	if t.Page > 1 {
		t.PrevURL = q.link(param, pageParam(t.Page-1)) + "#" + key
	}
	if t.Page < t.Pages {
		t.NextURL = q.link(param, pageParam(t.Page+1)) + "#" + key
	}
	return t
}

func pageParam(n int) string {
	if n <= 1 {
		return ""
	}
	return strconv.Itoa(n)
}

// pageSummary counts the events held per code, in the window the log
// holds, with the Service, Session and number filters (not the code's,
// so that every code stays one click away).
type pageSummary struct {
	Counts    []codeCount
	Held      int       // events counted
	From, To  time.Time // the window: the oldest and the newest counted
	Dropped   int       // events the log no longer holds, not counted
	AllURL    string    // the page without the code filter
	Selecting bool      // a code filter is set
}

type codeCount struct {
	Code     oosc.Code
	Count    int
	Fault    bool
	Selected bool
	URL      string
}

// eventRow is one row of the Debugger's table: an event, or a run of
// routine ones (80904) collapsed into a count.
type eventRow struct {
	debugger.Event           // the newest of the run
	Count          int       // events in the run
	First          time.Time // the oldest's time, when it is not the newest's
	Sessions       []string  // the run's Sessions, at most sessionsShown
	MoreSessions   int
	Fault          bool
}

// webhookRow is one row of the webhooks' table.
type webhookRow struct {
	Exchange
	Params      []param
	ContentType string
	Body        string
	Clipped     bool // the log kept the body's first MaxLoggedBodyBytes
	Fault       bool
	Outcome     string   // what came of it, in words
	Problems    []string // the judge's problems with an out-of-session answer
}

type param struct{ Name, Value string }

// deliveryRow is one row of the deliveries' table.
type deliveryRow struct {
	Delivery
	SessionName string // the Session's uniqueName, when it has one and still exists
	Call        bool   // a call, with nothing said or played: the row says so
}

type pageService struct {
	Service
	Numbers      pageTable[PhoneNumber]
	Sessions     pageTable[pageSession]
	Interactions []interactionRow
}

type pageSession struct {
	Session
	IsActive bool
	Expires  time.Time // of an active Session; zero: never
}

type interactionRow struct {
	Interaction
	SessionName      string
	Text             string // a message's body, a call's duration
	InboundIdentity  string // the Participants' identifiers
	OutboundIdentity string
}

// pageState copies what the page shows, under the lock: a bounded number
// of rows, whatever the state holds; filtering costs one pass over each
// log and over the Sessions of the Services shown.
func (p *Proxy) pageState(q pageQuery) pageModel {
	p.lock()
	defer p.mu.Unlock()
	f := p.resolve(&q)
	m := pageModel{Now: p.now, Account: p.o.AccountSid, Filtered: f.active(), ClearURL: pageQuery{Refresh: q.Refresh}.link()}
	m.Summary, m.Events = p.pageEvents(q, f)
	m.Webhooks = p.pageWebhooks(q, f)
	m.Deliveries = p.pageDeliveries(q, f)
	services := p.services
	switch {
	case f.noneSvc:
		services = nil
	case f.service != nil:
		services = []*service{f.service}
	case f.within != nil:
		services = []*service{f.within}
	}
	if len(services) > pageServices {
		m.Hidden, services = len(services)-pageServices, services[:pageServices]
	}
	for _, svc := range services {
		m.Services = append(m.Services, p.pageService(q, f, svc))
	}
	m.Query = q // with the notes resolve added
	return m
}

// pageEvents is the summary and the Debugger's table: the events held
// that match, newest first, runs of routine ones collapsed.
func (p *Proxy) pageEvents(q pageQuery, f filter) (pageSummary, pageTable[eventRow]) {
	held := p.events.all()
	sum := pageSummary{Dropped: p.events.dropped(), Selecting: f.code != 0, AllURL: q.link("code", "", "eventsPage", "") + "#debugger"}
	counts := map[oosc.Code]int{}
	var rows []eventRow
	for i := len(held) - 1; i >= 0; i-- {
		e := held[i]
		if !f.event(e, false) {
			continue
		}
		if counts[e.Code]++; sum.Held == 0 {
			sum.To = e.Time
		}
		sum.Held++
		sum.From = e.Time
		if !f.event(e, true) {
			continue
		}
		if n := len(rows); n > 0 && isRoutine(e.Code) && rows[n-1].Code == e.Code {
			r := &rows[n-1]
			if r.Count++; !e.Time.Equal(r.Time) {
				r.First = e.Time
			}
			if e.Session != "" && !slices.Contains(r.Sessions, e.Session) {
				if len(r.Sessions) < sessionsShown {
					r.Sessions = append(r.Sessions, e.Session)
				} else {
					r.MoreSessions++
				}
			}
			continue
		}
		// What the row shows, clipped; nothing shared with the log.
		e.Text, e.Webhook = clipText(e.Text), nil
		if x := e.Explanation; x != nil {
			e.Explanation = &debugger.Explanation{Summary: clipText(x.Summary), Fix: clipText(x.Fix)}
		}
		r := eventRow{Event: e, Count: 1, Fault: fault(e.Code)}
		if e.Session != "" {
			r.Sessions = []string{e.Session}
		}
		rows = append(rows, r)
	}
	for c, n := range counts {
		sum.Counts = append(sum.Counts, codeCount{Code: c, Count: n, Fault: fault(c), Selected: c == f.code,
			URL: q.link("code", c.String(), "eventsPage", "") + "#debugger"})
	}
	// Faults first (errors and 80905), then by code.
	slices.SortFunc(sum.Counts, func(a, b codeCount) int {
		if a.Fault != b.Fault {
			if a.Fault {
				return -1
			}
			return 1
		}
		return int(a.Code) - int(b.Code)
	})
	t := paginate(q, "events", rows)
	t.Dropped = sum.Dropped
	return sum, t
}

// pageWebhooks is the webhooks' table: those held that match, newest
// first.
func (p *Proxy) pageWebhooks(q pageQuery, f filter) pageTable[webhookRow] {
	held := p.hooks.all()
	var match []Exchange
	for i := len(held) - 1; i >= 0; i-- {
		x, w := held[i], held[i].Webhook
		if f.serviceOK(x.ServiceSid) && f.sessionOK(w.Parameters.Get("interactionSessionSid"), w.Parameters.Get("sessionSid"), w.Parameters.Get("sessionUniqueName")) &&
			f.numberOK(w.Parameters.Get("From"), w.Parameters.Get("To")) {
			match = append(match, x)
		}
	}
	t := paginate(q, "webhooks", match)
	out := pageTable[webhookRow]{Total: t.Total, Page: t.Page, Pages: t.Pages, PrevURL: t.PrevURL, NextURL: t.NextURL, Dropped: p.hooks.dropped()}
	for _, x := range t.Rows {
		out.Rows = append(out.Rows, webhookView(cloneExchange(x)))
	}
	return out
}

// webhookView is a webhook as its row shows it.
func webhookView(x Exchange) webhookRow {
	w := x.Webhook
	r := webhookRow{Exchange: x, ContentType: w.Header.Get("Content-Type"), Body: strings.ToValidUTF8(string(w.Body), "\uFFFD"),
		Clipped: len(w.Body) >= MaxLoggedBodyBytes}
	names := make([]string, 0, len(w.Parameters))
	for k := range w.Parameters {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range w.Parameters[k] {
			r.Params = append(r.Params, param{k, clipText(v)})
		}
	}
	ok := w.Status >= 200 && w.Status <= 299
	switch {
	case x.InFlight():
		r.Outcome = "awaiting the answer"
	case x.Err != nil:
		r.Outcome, r.Fault = "no answer: "+clipText(x.Err.Error()), true
	case w.Kind == debugger.WebhookOutOfSession && x.Verdict.Valid():
		r.Outcome = "accepted: " + answerWords(x.Verdict.Kind, x.Verdict.Channel)
	case w.Kind == debugger.WebhookOutOfSession:
		r.Outcome, r.Fault = "refused: Proxy logs "+codeList(x.Verdict.LoggedCodes()), true
	case w.Kind == debugger.WebhookIntercept && w.Status == http.StatusForbidden:
		r.Outcome = "403: the interaction is blocked (80909)"
	case w.Kind == debugger.WebhookIntercept:
		r.Outcome = "the interaction goes on"
	case w.Kind == debugger.WebhookStatus && !ok:
		r.Outcome, r.Fault = "failed: Proxy logs 80908", true
	default:
		r.Outcome = "received"
	}
	if w.Kind == debugger.WebhookOutOfSession && !x.InFlight() {
		for _, pr := range x.Verdict.Problems {
			r.Problems = append(r.Problems, clipText(pr.String()))
		}
	}
	return r
}

func answerWords(k oosc.AnswerKind, ch oosc.Channel) string {
	if k == oosc.TwiMLAnswer {
		return "TwiML for " + string(ch)
	}
	return "an auto-create Session"
}

func codeList(codes []oosc.Code) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = c.String()
	}
	return strings.Join(s, ", ")
}

// pageDeliveries is the deliveries' table: those held that match,
// newest first.
func (p *Proxy) pageDeliveries(q pageQuery, f filter) pageTable[deliveryRow] {
	held := p.sent.all()
	var match []Delivery
	for i := len(held) - 1; i >= 0; i-- {
		d := held[i]
		service := d.ServiceSid
		if service == "" { // a delivery restored from an older state file
			if s := p.sessionOf("", d.SessionSid); s != nil {
				service = s.svc.sid
			}
		}
		if f.serviceOK(service) && f.sessionOK(d.SessionSid) && f.numberOK(d.To, d.From) {
			match = append(match, d)
		}
	}
	t := paginate(q, "deliveries", match)
	out := pageTable[deliveryRow]{Total: t.Total, Page: t.Page, Pages: t.Pages, PrevURL: t.PrevURL, NextURL: t.NextURL, Dropped: p.sent.dropped()}
	for _, d := range t.Rows {
		d.Body = clipText(d.Body)
		d.Media = slices.Clone(d.Media[:min(len(d.Media), 10)])
		for i := range d.Media {
			d.Media[i] = clipText(d.Media[i])
		}
		r := deliveryRow{Delivery: d, Call: d.Channel == oosc.Voice && d.Body == "" && len(d.Media) == 0}
		if s := p.sessionOf(d.ServiceSid, d.SessionSid); s != nil {
			r.SessionName = s.uniqueName
		}
		out.Rows = append(out.Rows, r)
	}
	return out
}

// sessionOf returns the Session of that SID, in that Service when it is
// given; nil when it no longer exists.
func (p *Proxy) sessionOf(service, sid string) *session {
	if sid == "" {
		return nil
	}
	for _, svc := range p.services {
		if service == "" || svc.sid == service {
			if s := svc.sessByID[sid]; s != nil && s.sid == sid {
				return s
			}
		}
	}
	return nil
}

// pageService is a Service's part of the page: its pool, its Sessions
// that match, newest first, and their latest Interactions.
func (p *Proxy) pageService(q pageQuery, f filter, svc *service) pageService {
	ps := pageService{Service: svc.view()}
	nt := paginate(q, "numbers", svc.numbers)
	ps.Numbers = pageTable[PhoneNumber]{Total: nt.Total, Page: nt.Page, Pages: nt.Pages, PrevURL: nt.PrevURL, NextURL: nt.NextURL}
	for _, n := range nt.Rows {
		ps.Numbers.Rows = append(ps.Numbers.Rows, n.view())
	}
	// Two passes over the Sessions, newest first: one counts those that
	// match, one takes the page's; nothing is held for the others.
	match := func(s *session) bool {
		return !s.deleted && f.sessionOK(s.sid, s.uniqueName) && (f.numbers == nil || slices.ContainsFunc(f.numbers, s.has))
	}
	total := 0
	for _, s := range svc.sessions {
		if match(s) {
			total++
		}
	}
	st := paginate(q, "sessions", make([]struct{}, total))
	ps.Sessions = pageTable[pageSession]{Total: st.Total, Page: st.Page, Pages: st.Pages, PrevURL: st.PrevURL, NextURL: st.NextURL}
	from := (st.Page - 1) * pageLimit
	var rows []*session
	for i, n := len(svc.sessions)-1, 0; i >= 0 && len(rows) < len(st.Rows); i-- {
		if s := svc.sessions[i]; match(s) {
			if n >= from {
				rows = append(rows, s)
			}
			n++
		}
	}
	for _, s := range rows {
		v := pageSession{Session: s.view(), IsActive: s.active()}
		if at := s.expires(); s.active() {
			v.Expires = at
		}
		ps.Sessions.Rows = append(ps.Sessions.Rows, v)
		for j := len(s.interactions) - 1; j >= 0 && len(ps.Interactions) < pageLimit; j-- {
			ps.Interactions = append(ps.Interactions, interactionView(s, *s.interactions[j]))
		}
	}
	return ps
}

// has reports whether a Participant of s, removed ones included, has
// that identifier or proxy number.
func (s *session) has(number string) bool {
	is := func(q *participant) bool { return q.identifier == number || q.proxy.value == number }
	return slices.ContainsFunc(s.parts, is) || slices.ContainsFunc(s.removed, is)
}

// interactionView is an Interaction as its row shows it: its Session's
// name, its Participants' identifiers, its data in words.
func interactionView(s *session, it Interaction) interactionRow {
	r := interactionRow{Interaction: it, SessionName: s.uniqueName}
	for _, q := range slices.Concat(s.parts, s.removed) {
		switch q.sid {
		case it.InboundParticipantSid:
			r.InboundIdentity = q.identifier
		case it.OutboundParticipantSid:
			r.OutboundIdentity = q.identifier
		}
	}
	var data struct {
		Body     *string `json:"body"`
		Duration string  `json:"duration"`
	}
	switch {
	case it.Data == "":
	case json.Unmarshal([]byte(it.Data), &data) != nil:
		r.Text = clipText(it.Data)
	case data.Body != nil:
		r.Text = clipText(*data.Body)
	case data.Duration != "":
		r.Text = clipText(data.Duration) + " s"
	default:
		r.Text = clipText(it.Data)
	}
	r.Data = ""
	return r
}

// clipText shortens a text the page shows to pageText characters.
func clipText(s string) string {
	if utf8.RuneCountInString(s) <= pageText {
		return s
	}
	return string([]rune(s)[:pageText]) + "…"
}

var pageFuncs = template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format(time.RFC3339)
	},
	"seconds": func(d time.Duration) string {
		if d == 0 {
			return "—"
		}
		return strconv.FormatInt(int64(d/time.Second), 10) + " s"
	},
	"ms": func(d time.Duration) string {
		return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
	},
	"kib": func() int { return MaxLoggedBodyBytes / 1024 },
}

var pageTemplate = template.Must(template.New("page").Funcs(pageFuncs).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{with .Query.Refresh}}<meta http-equiv="refresh" content="{{.}}">
{{end}}<title>Proxy emulator</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
table { border-collapse: collapse; margin: .5em 0 .5em; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f3f3; }
code, pre { font-size: 13px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2em 0; }
.text { white-space: pre-wrap; }
.t { white-space: nowrap; }
.fault { background: #fde8e8; }
.muted { color: #666; }
.note { background: #fff6d6; padding: .3em .6em; }
.summary { margin: .3em 0; padding: 0; list-style: none; }
.summary li { display: inline-block; margin: 0 .8em .3em 0; }
.summary .fault { padding: 0 .3em; }
.selected { font-weight: bold; }
nav a { margin-right: .8em; }
form label { display: inline-block; margin: 0 .8em .3em 0; }
form input { width: 11em; max-width: 100%; }
@media (max-width: 700px) {
  body { margin: .5em; }
  table.rows, table.rows tbody, table.rows tr, table.rows td { display: block; width: auto; }
  table.rows thead { display: none; }
  table.rows tr { border: 1px solid #ccc; margin: 0 0 .6em; }
  table.rows td { border: 0; border-top: 1px solid #eee; }
  table.rows td::before { content: attr(data-label) ": "; font-weight: 600; color: #555; }
  table.rows td:empty { display: none; }
  .t { white-space: normal; }
}
</style>
</head>
<body>
<h1>Proxy emulator</h1>
<p>Account <code>{{.Account}}</code>. Virtual clock: <strong>{{time .Now}}</strong>.
{{if .Query.Refresh}}Refreshes every {{.Query.Refresh}} s.{{else}}Reload to refresh, or add <code>?refresh=5</code>.{{end}}</p>
{{range .Query.Notes}}<p class="note">{{.}}</p>
{{end}}<form method="get" action="/">
<label>Service <input name="service" value="{{.Query.Service}}" placeholder="KS… or name"></label>
<label>Session <input name="session" value="{{.Query.Session}}" placeholder="KC… or name"></label>
<label>code <input name="code" value="{{with .Query.Code}}{{.}}{{end}}" placeholder="80905" inputmode="numeric"></label>
<label>number <input name="number" value="{{.Query.Number}}" placeholder="+14155550100"></label>
<label>refresh (s) <input name="refresh" value="{{with .Query.Refresh}}{{.}}{{end}}" placeholder="5" inputmode="numeric"></label>
<button type="submit">Show</button>{{if or .Filtered .Query.Pages}} <a href="{{.ClearURL}}">clear the filters</a>{{end}}
</form>
<nav><a href="#debugger">Debugger</a><a href="#webhooks">Webhooks</a><a href="#deliveries">Deliveries</a><a href="#services">Services</a></nav>
{{with .Summary}}<h2 id="summary">What went wrong</h2>
{{if .Counts}}<ul class="summary">{{range .Counts}}<li{{if .Fault}} class="fault"{{end}}><a href="{{.URL}}"{{if .Selected}} class="selected"{{end}}>{{.Count}} × {{.Code}}</a> {{.Code.Title}}</li>{{end}}</ul>
<p class="muted">{{.Held}} event{{if ne .Held 1}}s{{end}}{{if $.Filtered}} that match{{end}}, from {{time .From}} to {{time .To}} on the virtual clock{{with .Dropped}}; {{.}} older ones are no longer held{{end}}.{{if .Selecting}} <a href="{{.AllURL}}">every code</a>{{end}}</p>
{{else}}<p>Nothing logged{{if $.Filtered}} that matches{{end}}: no 80905 so far.{{with .Dropped}} ({{.}} older events are no longer held.){{end}}</p>{{end}}
{{end}}
<h2 id="debugger">Debugger</h2>
{{with .Events}}{{if .Rows}}<table class="rows"><thead><tr><th>at</th><th>code</th><th>Session</th><th>from → to</th><th>what happened</th><th>what to do</th></tr></thead><tbody>
{{range .Rows}}<tr id="{{.Sid}}"{{if .Fault}} class="fault"{{end}}><td class="t" data-label="at">{{time .Time}}{{if not .First.IsZero}}<br><span class="muted">since {{time .First}}</span>{{end}}</td>
<td data-label="code">{{if gt .Count 1}}<strong>{{.Count}} ×</strong> {{end}}<a href="{{.Code.URL}}">{{.Code}}</a> {{.Code.Title}}</td>
<td data-label="Session">{{range $i, $s := .Sessions}}{{if $i}}, {{end}}{{$s}}{{end}}{{with .MoreSessions}} and {{.}} more{{end}}</td>
<td data-label="from → to">{{.From}}{{if .To}} → {{.To}}{{end}}</td>
<td data-label="what happened">{{if .Text}}{{.Text}}{{else if .Cause}}{{.Cause.Describe}}{{end}}{{with .Explanation}}<br><span class="muted">{{.Summary}}</span>{{end}}</td>
<td data-label="what to do">{{with .Explanation}}{{.Fix}}{{end}}</td></tr>
{{end}}</tbody></table>
{{template "pager" .}}{{else}}<p class="muted">No event{{if $.Filtered}} matches{{end}}.</p>{{end}}{{end}}
<h2 id="webhooks">Webhooks</h2>
<p class="muted">Each webhook the emulator called, newest first: the request as sent, the answer as received (its body as kept: the first {{kib}} KiB), and what Proxy makes of it.</p>
{{with .Webhooks}}{{if .Rows}}<table class="rows"><thead><tr><th>at</th><th>kind</th><th>URL and parameters</th><th>answer</th><th>latency</th><th>verdict</th></tr></thead><tbody>
{{range .Rows}}<tr{{if .Fault}} class="fault"{{end}}><td class="t" data-label="at">{{time .Webhook.Time}}</td><td data-label="kind">{{.Webhook.Kind}}</td>
<td data-label="URL"><code>{{.Webhook.URL}}</code>{{if .Params}}<details><summary>{{len .Params}} parameters</summary><pre>{{range .Params}}{{.Name}}={{.Value}}
{{end}}</pre></details>{{end}}</td>
<td data-label="answer">{{if .Webhook.Answered}}{{.Webhook.Status}}{{with .ContentType}} <code>{{.}}</code>{{end}}{{if .Body}}<details><summary>body{{if .Clipped}} (its first {{kib}} KiB){{end}}</summary><pre>{{.Body}}</pre></details>{{else}} (no body){{end}}{{else}}—{{end}}</td>
<td class="t" data-label="latency">{{if .InFlight}}—{{else}}{{ms .Webhook.Latency}}{{end}}</td>
<td data-label="verdict">{{.Outcome}}{{if .Problems}}<ul>{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}</td></tr>
{{end}}</tbody></table>
{{template "pager" .}}{{else}}<p class="muted">No webhook called{{if $.Filtered}} that matches{{end}}.{{with .Dropped}} ({{.}} older ones are no longer held.){{end}}</p>{{end}}{{end}}
<h2 id="deliveries">Deliveries</h2>
<p class="muted">What each phone received: contacts routed through a Session, Message Interactions, and what an out-of-session TwiML answer made Proxy send (a message, what a caller heard, a call it placed).</p>
{{with .Deliveries}}{{if .Rows}}<table class="rows"><thead><tr><th>at</th><th>to</th><th>shown from</th><th>channel</th><th>body</th><th>Session</th><th>how</th></tr></thead><tbody>
{{range .Rows}}<tr><td class="t" data-label="at">{{time .Time}}</td><td data-label="to">{{.To}}</td><td data-label="shown from">{{.From}}</td><td data-label="channel">{{.Channel}}</td>
<td data-label="body">{{if .Call}}<span class="muted">a call</span>{{end}}<span class="text">{{.Body}}</span>{{range .Media}}<br><code>{{.}}</code>{{end}}</td>
<td data-label="Session">{{with .SessionName}}{{.}}<br>{{end}}{{with .SessionSid}}<code>{{.}}</code>{{else}}—{{end}}</td><td data-label="how">{{.Source}}</td></tr>
{{end}}</tbody></table>
{{template "pager" .}}{{else}}<p class="muted">Nothing delivered{{if $.Filtered}} that matches{{end}}.{{with .Dropped}} ({{.}} older ones are no longer held.){{end}}</p>{{end}}{{end}}
<h2 id="services">Services</h2>
{{range .Services}}
<h3>Service {{with .UniqueName}}{{.}} {{end}}<code>{{.Sid}}</code></h3>
<p>Out-of-session callback: {{with .OutOfSessionCallbackURL}}<code>{{.}}</code>{{else}}<strong>none</strong> (every out-of-session contact fails with 80905){{end}}.
Intercept callback: {{with .InterceptCallbackURL}}<code>{{.}}</code>{{else}}none{{end}}.
Status callback: {{with .CallbackURL}}<code>{{.}}</code>{{else}}none{{end}}.
Default ttl: {{seconds .DefaultTTL}}.</p>
<h4>Number pool</h4>
{{with .Numbers}}{{if .Rows}}<table class="rows"><thead><tr><th>number</th><th>SID</th><th>reserved</th><th>active Sessions</th><th>participants</th></tr></thead><tbody>
{{range .Rows}}<tr><td data-label="number">{{.Number}}</td><td data-label="SID"><code>{{.Sid}}</code></td><td data-label="reserved">{{if .Reserved}}yes{{else}}no{{end}}</td><td data-label="active Sessions">{{.InUse}}</td><td data-label="participants">{{.Participants}}</td></tr>
{{end}}</tbody></table>
{{template "pager" .}}{{else}}<p class="muted">No numbers: every Session create fails with 80205.</p>{{end}}{{end}}
<h4>Sessions</h4>
{{with .Sessions}}{{if .Rows}}<table class="rows"><thead><tr><th>Session</th><th>status</th><th>mode</th><th>ttl</th><th>expires / ended</th><th>Participants (identifier → proxy number)</th></tr></thead><tbody>
{{range .Rows}}<tr><td data-label="Session">{{with .UniqueName}}{{.}}<br>{{end}}<code>{{.Sid}}</code></td><td data-label="status">{{.Status}}{{with .ClosedReason}} ({{.}}){{end}}</td><td data-label="mode">{{.Mode}}</td><td data-label="ttl">{{seconds .TTL}}</td>
<td data-label="expires / ended">{{if .IsActive}}{{if .Expires.IsZero}}never{{else}}expires {{time .Expires}}{{end}}{{else}}ended {{time .Ended}}{{end}}</td>
<td data-label="Participants">{{range .Participants}}{{.Identifier}} → {{.ProxyIdentifier}}{{with .FriendlyName}} ({{.}}){{end}}<br>{{end}}</td></tr>
{{end}}</tbody></table>
{{template "pager" .}}{{else}}<p class="muted">No Session{{if $.Filtered}} matches{{end}}.</p>{{end}}{{end}}
{{if .Interactions}}<h4>Latest Interactions{{if gt .Sessions.Pages 1}} of these Sessions{{end}}</h4>
<table class="rows"><thead><tr><th>Interaction</th><th>Session</th><th>type</th><th>body or duration</th><th>from → to</th><th>created</th></tr></thead><tbody>
{{range .Interactions}}<tr><td data-label="Interaction"><code>{{.Sid}}</code></td><td data-label="Session">{{with .SessionName}}{{.}}<br>{{end}}<code>{{.SessionSid}}</code></td><td data-label="type">{{.Type}}</td><td data-label="body"><span class="text">{{.Text}}</span></td>
<td data-label="from → to">{{if .InboundParticipantSid}}{{.InboundIdentity}} <code>{{.InboundParticipantSid}}</code>{{else}}the application{{end}} → {{.OutboundIdentity}} <code>{{.OutboundParticipantSid}}</code></td><td class="t" data-label="created">{{time .Created}}</td></tr>
{{end}}</tbody></table>{{end}}
{{else}}<p>{{if $.Filtered}}No Service matches.{{else}}No Service yet: create one through the REST API (<code>POST /v1/Services</code>).{{end}}</p>
{{end}}{{with .Hidden}}<p class="muted">and {{.}} more Services: name one in the Service filter.</p>{{end}}
</body>
</html>
{{define "pager"}}{{if gt .Pages 1}}<p class="muted">Page {{.Page}} of {{.Pages}} ({{.Total}} rows).{{with .PrevURL}} <a href="{{.}}">← newer</a>{{end}}{{with .NextURL}} <a href="{{.}}">older →</a>{{end}}</p>
{{end}}{{with .Dropped}}<p class="muted">{{.}} older entries are no longer held.</p>
{{end}}{{end}}
`))

// page serves the page.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	if !s.mayControl(r) {
		writeError(w, &apiError{status: http.StatusUnauthorized, code: oosc.CodePermissionDenied, message: "Authenticate"})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: 20004, message: "Method not allowed"})
		return
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, s.p.pageState(parsePageQuery(r.URL.RawQuery))); err != nil {
		writeError(w, &apiError{status: http.StatusInternalServerError, code: 20500, message: "the page could not be rendered"})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(b.Bytes())
	}
}

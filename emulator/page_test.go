package emulator_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

// getPage gets the page with a query ("" for none) and returns its HTML.
func getPage(t *testing.T, a *api, query string) string {
	t.Helper()
	target := a.srv.URL + "/"
	if query != "" {
		target += "?" + query
	}
	resp, err := a.srv.Client().Get(target)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return string(b)
}

// has and hasNot check a page for texts, naming the text that is
// missing rather than printing the whole page.
func has(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		assert.True(t, strings.Contains(page, w), "the page lacks %q", w)
	}
}

func hasNot(t *testing.T, page string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		assert.False(t, strings.Contains(page, b), "the page has %q", b)
	}
}

// section is the part of a page from the heading with that id to the
// next h2.
func section(page, id string) string {
	i := strings.Index(page, `<h2 id="`+id+`">`)
	if i < 0 {
		return ""
	}
	rest := page[i+1:]
	if j := strings.Index(rest, "<h2 "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// rows counts a section's table rows, the header's not included.
func rows(s string) int { return strings.Count(s, "<tr") - strings.Count(s, "<thead><tr") }

// plus is a number as html/template writes it (it escapes +).
func plus(n string) string { return "&#43;" + n[1:] }

// expiredAndOne80905 makes an emulator with one 80905, then 400 Sessions
// that expire: a flood of routine events after the one that matters.
func expiredAndOne80905(t *testing.T, opts *emulator.Options) *api {
	p := emulator.New(opts)
	a := newAPIFor(t, p)
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: "svc"})
	require.NoError(t, err)
	for i := range 20 {
		_, err := p.AddNumber("svc", emulator.NewPhoneNumber{Number: fmt.Sprintf("+1415555%04d", i)})
		require.NoError(t, err)
	}
	_, err = p.Inbound(t.Context(), "svc", sms(stranger, "+14155550000")) // no callback: 80905
	require.NoError(t, err)
	for i := range 400 {
		_, err := p.CreateSession("svc", emulator.NewSession{UniqueName: fmt.Sprint("ride-", i), TTL: time.Hour,
			Participants: []emulator.NewParticipant{{Identifier: fmt.Sprintf("+1951555%04d", i)}, {Identifier: fmt.Sprintf("+1707555%04d", i)}}})
		require.NoError(t, err)
	}
	_, err = p.Advance(2 * time.Hour)
	require.NoError(t, err)
	return a
}

// The page opens with the Debugger's summary, a count per code in the
// window shown, each linking to its rows; 400 expiries collapse into one
// row and push out no 80905, even when the log's bound is below their
// number.
func TestPageSummaryKeepsThe80905(t *testing.T) {
	for _, tt := range []struct {
		name      string
		maxEvents int
		expired   string
		dropped   string
	}{
		{"default bounds", 0, "400 × 80904", ""},
		{"a bound of 100 events", 100, "100 × 80904", "300 older ones are no longer held"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := expiredAndOne80905(t, &emulator.Options{Start: t0, MaxEvents: tt.maxEvents})
			page := getPage(t, a, "")
			summary := section(page, "summary")
			require.NotEmpty(t, summary)
			assert.Less(t, strings.Index(page, `id="summary"`), strings.Index(page, `id="debugger"`), "the summary comes first")
			has(t, summary, `<a href="/?code=80905#debugger">1 × 80905</a>`, tt.expired, "Unknown Scenario", tt.dropped)
			assert.Less(t, strings.Index(summary, "80905"), strings.Index(summary, "80904"), "faults first")

			debug := section(page, "debugger")
			assert.Equal(t, 2, rows(debug), "one row for the 80905, one for the expiries")
			has(t, debug, `<tr id="NO00000000000000000000000000000001" class="fault">`, ">80905</a>", plus(stranger), "<strong>"+strings.TrimSuffix(tt.expired, " 80904"))
			has(t, debug, "ride-399, ride-398, ride-397, ride-396, ride-395 and ")

			// The summary's link shows the 80905's row alone.
			only := section(getPage(t, a, "code=80905"), "debugger")
			assert.Equal(t, 1, rows(only))
			has(t, only, `id="NO00000000000000000000000000000001"`)
			has(t, section(getPage(t, a, "code=80905"), "summary"), `class="selected"`, `<a href="/#debugger">every code</a>`)
		})
	}
}

// The events' log keeps the expiries apart: however many Sessions
// expire, the other events stay, and the control API pages over what is
// held without an empty page.
func TestEventsKeepFaultsApartFromExpiries(t *testing.T) {
	a := expiredAndOne80905(t, &emulator.Options{Start: t0, MaxEvents: 100})
	events := a.p.Events()
	require.Len(t, events, 101)
	assert.Equal(t, oosc.CodeUnknownScenario, events[0].Code, "the 80905 logged before 400 expiries is held")
	assert.Equal(t, "NO00000000000000000000000000000001", events[0].Sid)
	assert.Equal(t, "NO00000000000000000000000000000191", events[100].Sid, "the last of 401, numbered in order")
	assert.Equal(t, 300, a.p.Dropped().Events)

	seen := 0
	next := "/emulator/events?PageSize=30"
	for pages := 0; next != ""; pages++ {
		require.Less(t, pages, 10)
		_, m := getJSON(t, a, next)
		n := len(m["events"].([]any))
		assert.Positive(t, n, "no empty page")
		seen += n
		assert.Equal(t, float64(300), m["dropped"])
		next, _ = m["meta"].(map[string]any)["next_page_url"].(string)
		next = strings.TrimPrefix(next, a.srv.URL)
	}
	assert.Equal(t, 101, seen, "every event held, once")

	// A save and a restore keep the numbering and the 80905.
	var b strings.Builder
	require.NoError(t, a.p.SaveState(&b))
	restored := emulator.New(&emulator.Options{MaxEvents: 100})
	defer restored.Close()
	require.NoError(t, restored.RestoreState(strings.NewReader(b.String())))
	assert.Equal(t, events, restored.Events())
	var again strings.Builder
	require.NoError(t, restored.SaveState(&again))
	assert.Equal(t, b.String(), again.String())
	_, err := restored.Inbound(t.Context(), "svc", sms(stranger, "+14155550000"))
	require.NoError(t, err)
	got := restored.Events()
	assert.Equal(t, "NO00000000000000000000000000000192", got[len(got)-1].Sid, "numbering goes on")
	assert.Equal(t, oosc.CodeUnknownScenario, got[0].Code)
}

// Filters by Service, Session, code and number narrow every table; a
// filter that names nothing, or a value that cannot be read, is said.
func TestPageFilters(t *testing.T) {
	a := newAPI(t)
	p := a.p
	for _, name := range []string{"rides", "food"} {
		_, err := p.CreateService(emulator.ServiceConfig{UniqueName: name})
		require.NoError(t, err)
	}
	_, err := p.AddNumber("rides", emulator.NewPhoneNumber{Number: pn1})
	require.NoError(t, err)
	_, err = p.AddNumber("food", emulator.NewPhoneNumber{Number: pn2})
	require.NoError(t, err)
	_, err = p.CreateSession("rides", emulator.NewSession{UniqueName: "ride-1", Participants: []emulator.NewParticipant{{Identifier: rider}, {Identifier: driver}}})
	require.NoError(t, err)
	_, err = p.CreateSession("food", emulator.NewSession{UniqueName: "order-1", TTL: time.Hour, Participants: []emulator.NewParticipant{{Identifier: "+13125550104"}, {Identifier: "+13125550105"}}})
	require.NoError(t, err)
	for _, in := range []struct {
		service string
		in      oosc.Inbound
	}{
		{"rides", sms(rider, pn1)},          // routed to the driver
		{"rides", sms(stranger, pn1)},       // 80905
		{"food", sms("+13125550104", pn2)},  // routed
		{"food", sms("+13125550199", pn2)},  // 80905
		{"food", call("+13125550199", pn2)}, // 80905
	} {
		_, err := p.Inbound(t.Context(), in.service, in.in)
		require.NoError(t, err)
	}
	_, err = p.Advance(2 * time.Hour) // order-1 expires: 80904
	require.NoError(t, err)

	all := getPage(t, a, "")
	has(t, section(all, "summary"), "3 × 80905", "1 × 80904")
	assert.Equal(t, 4, rows(section(all, "debugger")))

	for _, tt := range []struct {
		name, query                           string
		summary                               []string
		events, deliveries, services, session int
		present, absent                       []string
	}{
		{"service", "service=rides", []string{"1 × 80905"}, 1, 1, 1, 1, []string{"ride-1", plus(stranger)}, []string{"order-1", "Service food"}},
		{"service by SID", "service=KS00000000000000000000000000000002", []string{"2 × 80905", "1 × 80904"}, 3, 1, 1, 1, []string{"order-1"}, []string{"ride-1</td>"}},
		{"session", "session=order-1", []string{"1 × 80904"}, 1, 1, 1, 1, []string{"order-1", "Service food"}, []string{"ride-1", ">80905</a>", "Service rides"}},
		{"code", "code=80905", []string{"3 × 80905", "1 × 80904"}, 3, 2, 2, 2, []string{`class="selected"`}, nil},
		{"number", "number=%2B13125550199", []string{"2 × 80905"}, 2, 0, 2, 0, []string{plus("+13125550199")}, []string{plus(stranger) + " →"}},
		{"number typed with a plus", "number=+13125550199", []string{"2 × 80905"}, 2, 0, 2, 0, nil, nil},
		{"number and service", "number=%2B13125550199&service=rides", nil, 0, 0, 1, 0, []string{"Nothing logged that matches"}, nil},
		{"no such Service", "service=nope", nil, 0, 0, 0, 0, []string{"no Service &#34;nope&#34;", "No Service matches."}, nil},
		{"a deleted Session's name", "session=gone", nil, 0, 0, 2, 0, []string{"no Session &#34;gone&#34; now"}, nil},
		{"a bad code", "code=abc", []string{"3 × 80905"}, 4, 2, 2, 2, []string{"code &#34;abc&#34; is not a Twilio code"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := getPage(t, a, tt.query)
			has(t, section(page, "summary"), tt.summary...)
			assert.Equal(t, tt.events, rows(section(page, "debugger")), "events")
			assert.Equal(t, tt.deliveries, rows(section(page, "deliveries")), "deliveries")
			assert.Equal(t, tt.services, strings.Count(section(page, "services"), "<h3>Service "), "Services")
			assert.Equal(t, tt.session, strings.Count(section(page, "services"), `<td data-label="status">`), "Sessions")
			has(t, page, tt.present...)
			hasNot(t, page, tt.absent...)
			if tt.query != "" && !strings.Contains(tt.query, "code=abc") {
				has(t, page, "clear the filters")
			}
		})
	}

	// The summary's links keep the other filters.
	has(t, getPage(t, a, "service=food"), `href="/?code=80905&amp;service=food#debugger"`)
}

// The page's tables page past their first 200 rows.
func TestPagePagesPast200Rows(t *testing.T) {
	p := emulator.New(&emulator.Options{Start: t0})
	a := newAPIFor(t, p)
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: "svc"})
	require.NoError(t, err)
	_, err = p.AddNumber("svc", emulator.NewPhoneNumber{Number: pn1})
	require.NoError(t, err)
	for i := range 250 {
		_, err := p.Inbound(t.Context(), "svc", sms(fmt.Sprintf("+1650555%04d", i), pn1))
		require.NoError(t, err)
	}
	first := section(getPage(t, a, "refresh=5"), "debugger")
	assert.Equal(t, 200, rows(first))
	has(t, first, "Page 1 of 2 (250 rows).", `<a href="/?eventsPage=2&amp;refresh=5#events">older →</a>`, plus("+16505550249"))
	hasNot(t, first, plus("+16505550049"))
	second := section(getPage(t, a, "eventsPage=2&refresh=5"), "debugger")
	assert.Equal(t, 50, rows(second))
	has(t, second, "Page 2 of 2", `<a href="/?refresh=5#events">← newer</a>`, plus("+16505550049"), plus("+16505550000"))
	assert.Equal(t, 50, rows(section(getPage(t, a, "eventsPage=9"), "debugger")), "past the last page: the last")
	has(t, getPage(t, a, "eventsPage=0"), "eventsPage &#34;0&#34; is not a page number")
}

// ?refresh=N adds a meta refresh of N seconds, bounded; no script ever.
func TestPageRefresh(t *testing.T) {
	a := newAPI(t)
	for _, tt := range []struct{ query, meta, note string }{
		{"", "", ""},
		{"refresh=5", `<meta http-equiv="refresh" content="5">`, ""},
		{"refresh=1", `<meta http-equiv="refresh" content="2">`, "refresh is from 2 to 3600 seconds"},
		{"refresh=999999", `<meta http-equiv="refresh" content="3600">`, "every 3600 s"},
		{"refresh=soon", "", "refresh &#34;soon&#34; is not a number of seconds"},
		{"refresh=%zz", "", "the query is not well-formed"},
	} {
		page := getPage(t, a, tt.query)
		if tt.meta == "" {
			hasNot(t, page, `http-equiv="refresh"`)
		} else {
			has(t, page, tt.meta)
		}
		has(t, page, tt.note)
		hasNot(t, page, "<script", "javascript:")
	}
}

// The layout: a viewport, tables that stack below 700 px, Session names
// and numbers beside SIDs, message bodies as text, when a closed Session
// ended, and the pool's two counts: active Sessions (Twilio's in_use) and
// participants.
func TestPageLayout(t *testing.T) {
	e := newEmu(t, nil, nil, nil)
	a := newAPIFor(t, e.Proxy)
	_, err := e.create(emulator.NewSession{UniqueName: "ride-1", Participants: []emulator.NewParticipant{
		{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: driver, ProxyIdentifier: pn1}}})
	require.NoError(t, err)
	_, err = e.create(emulator.NewSession{UniqueName: "ride-0", Participants: []emulator.NewParticipant{{Identifier: stranger}, {Identifier: "+16505550104"}}})
	require.NoError(t, err)
	e.in(oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: "on my way\n<b>5 min</b>"})
	e.in(call(driver, pn1))
	e.advance(time.Hour)
	require.NoError(t, e.CloseSession(svc, "ride-0"))

	page := getPage(t, a, "")
	has(t, page, `<meta name="viewport" content="width=device-width, initial-scale=1">`, "@media (max-width: 700px)", `td::before { content: attr(data-label)`)
	hasNot(t, page, "<script")
	services := section(page, "services")
	// The pool: ride-1's two Participants share pn1 in one Session.
	has(t, services, `<th>active Sessions</th><th>participants</th>`,
		`<td data-label="number">`+plus(pn1)+`</td><td data-label="SID"><code>PN00000000000000000000000000000002</code></td><td data-label="reserved">no</td><td data-label="active Sessions">1</td><td data-label="participants">2</td>`)
	// A closed Session says when it ended; an open one when it expires.
	has(t, services, "ended 2026-01-05T11:00:00Z", "closed (api)", "expires 2026-04-05T10:00:00Z")
	// The Interaction: its Session's name, its Participants' numbers, the body as text.
	has(t, services, `<td data-label="Session">ride-1<br><code>KC`, plus(rider)+` <code>KP`, plus(driver)+` <code>KP`,
		`<span class="text">on my way
&lt;b&gt;5 min&lt;/b&gt;</span>`)
	hasNot(t, services, "{&#34;body&#34;")
	// The delivery: its Session's name beside its SID.
	has(t, section(page, "deliveries"), `<td data-label="Session">ride-1<br><code>KC`, `<td data-label="how">routed</td>`,
		`<td data-label="body"><span class="muted">a call</span>`)

	// REST's in_use is the Session count, as Twilio's is.
	status, m := a.do("GET", "/v1/Services/"+ks1+"/PhoneNumbers/PN00000000000000000000000000000002", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, float64(1), m["in_use"])
}

// Every value on the page is escaped: webhook parameters, answers and
// deliveries included.
func TestPageEscapesWebhooks(t *testing.T) {
	evil := `<script>alert(1)</script>`
	e := newEmu(t, nil, answering(answerWith("application/xml", `<?xml version="1.0" encoding="UTF-8"?><Response><Message>`+
		`&lt;script&gt;alert(1)&lt;/script&gt;</Message></Response>`, 200)), nil)
	a := newAPIFor(t, e.Proxy)
	r := e.in(oosc.Inbound{Channel: oosc.SMS, From: stranger, To: pn1, Body: evil})
	require.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
	page := getPage(t, a, "")
	hasNot(t, page, "<script")
	has(t, section(page, "webhooks"), "Body=&lt;script&gt;", "&amp;lt;script&amp;gt;")
	has(t, section(page, "deliveries"), "&lt;script&gt;alert(1)&lt;/script&gt;", `<td data-label="how">twiml</td>`)
	// No element of the page's own beyond the template's: the evil text
	// made no tag.
	assert.Len(t, regexp.MustCompile(`<script`).FindAllString(page, -1), 0)
}

// FuzzPage: no query makes the page fail or panic; it is always HTML of
// bounded rows. (html/template escapes every value: TestPageEscapesQuery.)
func FuzzPage(f *testing.F) {
	f.Add("service=svc&session=ride-1&code=80905&number=+16505550103&refresh=5&eventsPage=2")
	f.Add("number=%3Cscript%3E&session=%22%3E%3Cb%3E&code=-1&refresh=99999999999999999999")
	f.Add("sessionsPage=1048577&numbersPage=0&webhooksPage=x&deliveriesPage=2")
	f.Add("%zz")
	p := emulator.New(&emulator.Options{Start: t0})
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: "svc"})
	require.NoError(f, err)
	_, err = p.AddNumber("svc", emulator.NewPhoneNumber{Number: pn1})
	require.NoError(f, err)
	_, err = p.CreateSession("svc", ride("ride-1", "", time.Hour))
	require.NoError(f, err)
	for i := range 30 {
		p.Inbound(f.Context(), "svc", sms(fmt.Sprintf("+1650555%04d", i), pn1))
		p.Inbound(f.Context(), "svc", sms(rider, pn1))
	}
	s := emulator.NewServer(p, nil)
	f.Fuzz(func(t *testing.T, query string) {
		if _, err := url.ParseRequestURI("/?" + query); err != nil || strings.ContainsAny(query, " #") || len(query) > 2000 {
			return // no request a client can send
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, local("GET", "/?"+query))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("%d %s", w.Code, w.Header().Get("Content-Type"))
		}
		page := w.Body.String()
		if n := strings.Count(page, "<tr"); n > 5*(200+1) {
			t.Fatalf("%d rows", n)
		}
	})
}

// The query's values the page shows back (in its form, in its notes) are
// escaped.
func TestPageEscapesQuery(t *testing.T) {
	a := newAPI(t)
	page := getPage(t, a, "service=%3Cb%3Ex&session=%22%3E%3Ci%3E&number=%27%3E%3Cu%3E&code=%3Cs%3E")
	hasNot(t, page, "<b>x", `"><i>`, `'><u>`, "<s>")
	has(t, page, `value="&lt;b&gt;x"`, `no Service &#34;&lt;b&gt;x&#34;`, `value="&#34;&gt;&lt;i&gt;"`, `code &#34;&lt;s&gt;&#34; is not a Twilio code`)
}

// The events' log keeps faults, expiries and the other warnings apart: a
// flood of failing status callbacks (80908) or of expiries (80904)
// pushes out no 80913, and each kind keeps its latest.
func TestEventKindsAreKeptApart(t *testing.T) {
	fail := func(c *emulator.ServiceConfig, p *emulator.Proxy) {
		c.OutOfSessionCallbackURL = refusedURL(t)
		c.CallbackURL = p.Serve(answerWith("", "", 500))
	}
	e := newEmuWith(t, &emulator.Options{Start: t0, MaxEvents: 3}, nil, fail, nil)
	r := e.in(sms(stranger, pn1))
	require.Equal(t, []oosc.Code{oosc.CodeOutOfSessionCallbackError}, r.Codes)
	_, err := e.create(ride("ride-1", "", time.Hour))
	require.NoError(t, err)
	for range 10 {
		require.Equal(t, emulator.OutcomeRouted, e.in(sms(rider, pn1)).Outcome)
	}
	for i := range 10 {
		_, err := e.create(emulator.NewSession{TTL: time.Hour, Participants: []emulator.NewParticipant{{Identifier: fmt.Sprintf("+1312555%04d", i)}}})
		require.NoError(t, err)
	}
	e.advance(2 * time.Hour)
	var got []oosc.Code
	for _, ev := range e.Events() {
		got = append(got, ev.Code)
	}
	assert.Equal(t, []oosc.Code{80913, 80908, 80908, 80908, 80904, 80904, 80904}, got)
	assert.Equal(t, 7+8, e.Dropped().Events)
}

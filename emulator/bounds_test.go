package emulator_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

// Every log keeps its latest entries, as many as its bound, and counts
// the ones it dropped: events, deliveries, webhooks, each Session's
// Interactions.
func TestLogsAreBounded(t *testing.T) {
	opts := &emulator.Options{Start: t0, MaxEvents: 3, MaxDeliveries: 2, MaxWebhooks: 4, MaxInteractions: 2}
	e := newEmuWith(t, opts, nil, func(c *emulator.ServiceConfig, p *emulator.Proxy) {
		c.CallbackURL = p.Serve(answerWith("", "", 200))
	}, nil)
	_, err := e.create(ride("ride-1", "", 0))
	require.NoError(t, err)
	for i := range 5 {
		r := e.in(oosc.Inbound{Channel: oosc.SMS, From: rider, To: pn1, Body: fmt.Sprint("hi ", i)})
		require.Equal(t, emulator.OutcomeRouted, r.Outcome)
		e.in(sms(stranger, pn2)) // no callback: 80905
	}
	d := e.Deliveries()
	require.Len(t, d, 2)
	assert.Equal(t, []string{"hi 3", "hi 4"}, []string{d[0].Body, d[1].Body}, "the latest, oldest first")
	its, err := e.Interactions(svc, "ride-1")
	require.NoError(t, err)
	require.Len(t, its, 2)
	assert.Equal(t, `{"body":"hi 4"}`, its[1].Data)
	assert.Len(t, e.Events(), 3)
	assert.Len(t, e.Webhooks(), 4)
	assert.Equal(t, emulator.Dropped{Events: 2, Deliveries: 3, Webhooks: 1, Interactions: 3}, e.Dropped())

	// The bounds and the counts survive a save and a restore.
	var b strings.Builder
	require.NoError(t, e.SaveState(&b))
	restored := emulator.New(opts)
	defer restored.Close()
	require.NoError(t, restored.RestoreState(strings.NewReader(b.String())))
	assert.Equal(t, emulator.Dropped{Events: 2, Deliveries: 3, Interactions: 3}, restored.Dropped(), "the webhooks' log is not saved")
	// A tighter bound keeps the latest of a restored log.
	tight := emulator.New(&emulator.Options{MaxDeliveries: 1, MaxInteractions: 1})
	defer tight.Close()
	require.NoError(t, tight.RestoreState(strings.NewReader(b.String())))
	assert.Equal(t, "hi 4", tight.Deliveries()[0].Body)
	assert.Equal(t, emulator.Dropped{Events: 2, Deliveries: 4, Interactions: 4}, tight.Dropped())

	e.Reset()
	assert.Equal(t, emulator.Dropped{}, e.Dropped())
}

// getJSON gets a control list over HTTP and decodes it.
func getJSON(t *testing.T, a *api, path string) (int, map[string]any) {
	t.Helper()
	return a.do("GET", path, nil)
}

// The control API's lists page as Proxy's do: PageSize (default 50, at
// most 1,000), meta with next_page_url, and how many older entries the
// log dropped; paging goes on where it was while entries are dropped.
func TestControlListsArePaged(t *testing.T) {
	p := emulator.New(&emulator.Options{Start: t0, MaxEvents: 120})
	a := newAPIFor(t, p)
	a.ok(a.do("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}}))
	a.ok(a.do("POST", "/v1/Services/"+ks1+"/PhoneNumbers", url.Values{"PhoneNumber": {pn1}}))
	contact := func(n int) {
		for range n {
			_, err := p.Inbound(t.Context(), "svc", sms(rider, pn1)) // no callback: one 80905 each
			require.NoError(t, err)
		}
	}
	contact(60)

	_, m := getJSON(t, a, "/emulator/events")
	assert.Len(t, m["events"], 50, "the default page size")
	meta := m["meta"].(map[string]any)
	assert.Equal(t, float64(50), meta["page_size"])
	assert.Equal(t, "events", meta["key"])
	assert.Equal(t, float64(0), m["dropped"])
	next, _ := meta["next_page_url"].(string)
	require.NotEmpty(t, next)
	_, m = getJSON(t, a, strings.TrimPrefix(next, a.srv.URL))
	assert.Len(t, m["events"], 10)
	assert.Nil(t, m["meta"].(map[string]any)["next_page_url"])

	// Pages of 25 while 100 more contacts make the log drop 40: the next
	// page goes on from the oldest entry still held.
	_, m = getJSON(t, a, "/emulator/events?PageSize=25")
	next = m["meta"].(map[string]any)["next_page_url"].(string)
	contact(100)
	_, m = getJSON(t, a, strings.TrimPrefix(next, a.srv.URL))
	assert.Equal(t, float64(40), m["dropped"])
	assert.Len(t, m["events"], 25)
	seen := 25
	for next, _ = m["meta"].(map[string]any)["next_page_url"].(string); next != ""; next, _ = m["meta"].(map[string]any)["next_page_url"].(string) {
		_, m = getJSON(t, a, strings.TrimPrefix(next, a.srv.URL))
		seen += len(m["events"].([]any))
		require.Less(t, seen, 200)
	}
	assert.Equal(t, 120, seen, "every event held, once")

	_, m = getJSON(t, a, "/emulator/events?PageSize=5000")
	assert.Equal(t, float64(1000), m["meta"].(map[string]any)["page_size"], "at most 1,000")
	assert.Len(t, m["events"], 120)
	_, m = getJSON(t, a, "/emulator/deliveries")
	assert.Equal(t, "deliveries", m["meta"].(map[string]any)["key"])
	assert.Empty(t, m["deliveries"])
	for _, q := range []string{"PageSize=0", "PageSize=x", "PageToken=zz", "Page=-1", "PageSize=%zz"} {
		status, m := getJSON(t, a, "/emulator/events?"+q)
		assert.Equal(t, 400, status, q)
		assert.Equal(t, float64(20001), m["code"], q)
	}
}

// The page shows a bounded number of rows, whatever the state holds, a
// page of each table at a time, and clips long texts.
func TestPageRendersBoundedRows(t *testing.T) {
	p := emulator.New(&emulator.Options{Start: t0, MaxDeliveries: 5000, MaxEvents: 5000})
	a := newAPIFor(t, p)
	for i := range 15 {
		_, err := p.CreateService(emulator.ServiceConfig{UniqueName: fmt.Sprint("svc", i)})
		require.NoError(t, err)
	}
	for i := range 300 {
		_, err := p.AddNumber("svc0", emulator.NewPhoneNumber{Number: fmt.Sprintf("+1415555%04d", i)})
		require.NoError(t, err)
	}
	long := strings.Repeat("x", 10_000)
	for i := range 300 {
		rider, driver := fmt.Sprintf("+1951555%04d", i), fmt.Sprintf("+1707555%04d", i)
		s, err := p.CreateSession("svc0", emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: rider}, {Identifier: driver}}})
		require.NoError(t, err)
		for range 2 {
			_, err = p.Inbound(t.Context(), "svc0", oosc.Inbound{Channel: oosc.SMS, From: rider, To: s.Participants[0].ProxyIdentifier, Body: long})
			require.NoError(t, err)
		}
		_, err = p.Inbound(t.Context(), "svc0", sms(fmt.Sprintf("+1650555%04d", i), "+14155550000")) // 80905: in no Session
		require.NoError(t, err)
	}
	page := getPage(t, a, "")
	// Tables of 200 rows a page: numbers, Sessions, Interactions (of the
	// first Service), deliveries, events; each row a <tr>, each table a
	// header row.
	n := strings.Count(page, "<tr")
	assert.LessOrEqual(t, n, 5*(200+1), "rows")
	assert.Greater(t, n, 5*200)
	hasNot(t, page, strings.Repeat("x", 201))
	has(t, page, "and 5 more Services", "Page 1 of 2 (300 rows)", "Page 1 of 3 (600 rows)")
	assert.Equal(t, 3, strings.Count(page, "Page 1 of 2 (300 rows)"), "numbers, Sessions, events")
	has(t, section(page, "debugger"), "Page 1 of 2 (300 rows)")
	assert.Less(t, len(page), 2<<20, "the page's size")
}

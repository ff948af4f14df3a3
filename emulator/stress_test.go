package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

// invariants saves p's state and restores it into a new emulator, whose
// restore checks every invariant (SIDs unique and within the counter, one
// active Session per identifier/proxy number pair, each uniqueName once,
// ...) and recomputes what is derived (the numbers' in-use counts, the
// indexes): a second save must give the same bytes, and the in-use
// counts must be those of the active Sessions.
func invariants(p *emulator.Proxy) error {
	var saved bytes.Buffer
	if err := p.SaveState(&saved); err != nil {
		return err
	}
	restored := emulator.New(&emulator.Options{Start: t0})
	defer restored.Close()
	if err := restored.RestoreState(bytes.NewReader(saved.Bytes())); err != nil {
		return fmt.Errorf("a saved state that does not hold together: %w", err)
	}
	var again bytes.Buffer
	if err := restored.SaveState(&again); err != nil {
		return err
	}
	if saved.String() != again.String() {
		return fmt.Errorf("save, restore, save: other bytes")
	}
	for _, s := range restored.Services() {
		ns, _ := restored.Numbers(s.Sid)
		sessions, _ := restored.Sessions(s.Sid)
		// in_use counts each active Session that uses a number once;
		// Participants counts their Participants on it.
		inUse, held := map[string]int{}, map[string]int{}
		for _, sess := range sessions {
			if sess.Active() {
				seen := map[string]bool{}
				for _, q := range sess.Participants {
					held[q.ProxyIdentifier]++
					if !seen[q.ProxyIdentifier] {
						seen[q.ProxyIdentifier] = true
						inUse[q.ProxyIdentifier]++
					}
				}
			}
		}
		for _, n := range ns {
			if inUse[n.Number] != n.InUse || held[n.Number] != n.Participants {
				return fmt.Errorf("%s is used by %d active Sessions and %d Participants, counted %d and %d",
					n.Number, inUse[n.Number], held[n.Number], n.InUse, n.Participants)
			}
		}
	}
	return nil
}

// Under -race: REST creates, updates and deletes, inbound contacts,
// resets, Service deletes, clock moves and saves, all at once, against
// slow webhooks, for a bounded time. Every request is answered (no
// transport error, nothing 5xx), and every save holds together and
// restores to the same bytes.
func TestStress(t *testing.T) {
	p := emulator.New(&emulator.Options{Start: t0, WebhookTimeout: 500 * time.Millisecond, MaxEvents: 200, MaxDeliveries: 200, MaxWebhooks: 50, MaxInteractions: 5})
	srv := httptest.NewServer(emulator.NewServer(p, nil))
	defer srv.Close()
	defer p.Close()
	ids := []string{"+19515550101", "+19515550102", "+17075550103", "+17075550104", "+16505550105", "+16505550106"}
	numbers := []string{"+14155550100", "+14155550110", "+14155550120"}
	slow := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
			h(w, r)
		}
	}
	app := p.Serve(http.HandlerFunc(slow(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/oos") && rand.IntN(2) == 0:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"participantIdentifier":%q,"ttl":%d}`, ids[rand.IntN(len(ids))], 60*rand.IntN(120))
		case strings.HasSuffix(r.URL.Path, "/oos"):
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte("<Response/>"))
		case strings.HasSuffix(r.URL.Path, "/intercept") && rand.IntN(10) == 0:
			w.WriteHeader(403)
		}
	})))

	client := &http.Client{Timeout: 20 * time.Second} // a hang shows as an error
	var mu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	var answered atomic.Int64
	outcomes := map[string]int{}
	call := func(method, path, ct, body string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
		resp, err := client.Do(req)
		if err != nil {
			fail("%s %s: %v", method, path, err)
			return
		}
		defer resp.Body.Close()
		answered.Add(1)
		if resp.StatusCode >= 500 || resp.StatusCode == 0 {
			fail("%s %s %s: %d", method, path, body, resp.StatusCode)
		}
		if path == "/emulator/inbound" {
			var res struct{ Outcome string }
			json.NewDecoder(resp.Body).Decode(&res)
			mu.Lock()
			outcomes[fmt.Sprint(resp.StatusCode, " ", res.Outcome)]++
			mu.Unlock()
		}
	}
	form := "application/x-www-form-urlencoded"
	rest := func(method, path string, v url.Values) { call(method, path, form, v.Encode()) }
	// The REST paths take SIDs: the Service svc's, and its Sessions' and
	// numbers', as they are when asked (a SID of nothing when none).
	const none = "KS00000000000000000000000000000000"
	service := func() string {
		if v, err := p.Service("svc"); err == nil {
			return "/v1/Services/" + v.Sid
		}
		return "/v1/Services/" + none
	}
	sid := func(name string, get func(string, string) (string, error)) string {
		v, err := p.Service("svc")
		if err != nil {
			return none
		}
		if s, err := get(v.Sid, name); err == nil {
			return s
		}
		return none
	}
	sessionSid := func(svc, name string) (string, error) { s, err := p.Session(svc, name); return s.Sid, err }
	numberSid := func(svc, name string) (string, error) { n, err := p.Number(svc, name); return n.Sid, err }
	setup := func() {
		rest("POST", "/v1/Services", url.Values{"UniqueName": {"svc"}, "OutOfSessionCallbackUrl": {app + "/oos"},
			"InterceptCallbackUrl": {app + "/intercept"}, "CallbackUrl": {app + "/status"}, "DefaultTtl": {"3600"}})
		for _, n := range numbers {
			rest("POST", service()+"/PhoneNumbers", url.Values{"PhoneNumber": {n}})
		}
	}
	setup()

	stop := time.Now().Add(1500 * time.Millisecond)
	var wg sync.WaitGroup
	loop := func(do func(r *rand.Rand)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(rand.Uint64(), 0))
			for time.Now().Before(stop) {
				do(r)
			}
		}()
	}
	pick := func(r *rand.Rand, from []string) string { return from[r.IntN(len(from))] }
	session := func(r *rand.Rand) string { return fmt.Sprint("s", r.IntN(8)) }
	for range 2 {
		loop(func(r *rand.Rand) { // creates
			v := url.Values{"UniqueName": {session(r)}, "Participants": {`{"Identifier":"` + pick(r, ids) + `"}`, `{"Identifier":"` + pick(r, ids) + `"}`}}
			if r.IntN(3) == 0 {
				v.Set("Ttl", fmt.Sprint(r.IntN(7200)))
			}
			rest("POST", service()+"/Sessions", v)
		})
	}
	loop(func(r *rand.Rand) { // updates and deletes
		switch r.IntN(4) {
		case 0:
			rest("POST", service()+"/Sessions/"+sid(session(r), sessionSid), url.Values{"Status": {"closed"}})
		case 1:
			rest("POST", service()+"/Sessions/"+sid(session(r), sessionSid), url.Values{"Status": {"in-progress"}, "Ttl": {"600"}})
		case 2:
			rest("DELETE", service()+"/Sessions/"+sid(session(r), sessionSid), nil)
		default:
			rest("POST", service()+"/PhoneNumbers/"+sid(pick(r, numbers), numberSid), url.Values{"IsReserved": {fmt.Sprint(r.IntN(2) == 0)}})
		}
	})
	for range 3 {
		loop(func(r *rand.Rand) { // contacts
			channel := pick(r, []string{"sms", "voice"})
			body := `{"service":"svc","channel":"` + channel + `","from":"` + pick(r, ids) + `","to":"` + pick(r, numbers) + `"}`
			call("POST", "/emulator/inbound", "application/json", body)
		})
	}
	loop(func(r *rand.Rand) { // the clock, the lists, the page
		call("POST", "/emulator/clock", "application/json", fmt.Sprintf(`{"advance":"%dm"}`, r.IntN(90)))
		call("GET", "/emulator/events?PageSize=20", "", "")
		call("GET", "/emulator/deliveries", "", "")
		call("GET", "/", "", "")
		time.Sleep(5 * time.Millisecond)
	})
	loop(func(r *rand.Rand) { // resets and Service deletes
		time.Sleep(time.Duration(50+r.IntN(100)) * time.Millisecond)
		if r.IntN(2) == 0 {
			call("POST", "/emulator/reset", "application/json", "")
		} else {
			rest("DELETE", service(), nil)
		}
		setup()
	})
	saves := 0
	loop(func(*rand.Rand) { // saves, each checked
		if err := invariants(p); err != nil {
			fail("%v", err)
		}
		saves++
		time.Sleep(20 * time.Millisecond)
	})
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	require.NoError(t, invariants(p))
	assert.Positive(t, saves)
	t.Logf("%d requests answered, %d saves checked; contacts: %v", answered.Load(), saves, outcomes)
}

package emulator_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

// The REST server's throughput over loopback, one client with keep-alive:
//
//	go test -run '^$' -bench 'Server|PerSession' -benchmem -cpu 1 ./emulator

// benchKS is the SID of the benchmarks' Service, the emulator's first.
const benchKS = "KS00000000000000000000000000000001"

func benchServer(b *testing.B) (*emulator.Proxy, *httptest.Server, func(method, path, ct, body string) *http.Response) {
	p := emulator.New(nil)
	srv := httptest.NewServer(emulator.NewServer(p, nil))
	b.Cleanup(func() { srv.Close(); p.Close() })
	client := srv.Client()
	do := func(method, path, ct, body string) *http.Response {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var buf [4096]byte
		for {
			if _, err := resp.Body.Read(buf[:]); err != nil {
				break
			}
		}
		resp.Body.Close()
		return resp
	}
	form := "application/x-www-form-urlencoded"
	if resp := do("POST", "/v1/Services", form, "UniqueName=svc"); resp.StatusCode != 201 {
		b.Fatal(resp.Status)
	}
	if resp := do("POST", "/v1/Services/"+benchKS+"/PhoneNumbers", form, url.Values{"PhoneNumber": {"+14155550100"}}.Encode()); resp.StatusCode != 201 {
		b.Fatal(resp.Status)
	}
	return p, srv, do
}

// BenchmarkServerCreateSession: Session creates with two Participants, per
// second, through the REST API.
func BenchmarkServerCreateSession(b *testing.B) {
	_, _, do := benchServer(b)
	i := 0
	for b.Loop() {
		i++
		body := url.Values{"Participants": {fmt.Sprintf(`{"Identifier":"+1951%07d"}`, i), fmt.Sprintf(`{"Identifier":"+1707%07d"}`, i)}}.Encode()
		if resp := do("POST", "/v1/Services/"+benchKS+"/Sessions", "application/x-www-form-urlencoded", body); resp.StatusCode != 201 {
			b.Fatal(resp.Status)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
}

// BenchmarkServerRouted: contacts routed through an open Session, per
// second, through the control API.
func BenchmarkServerRouted(b *testing.B) {
	_, _, do := benchServer(b)
	if resp := do("POST", "/v1/Services/"+benchKS+"/Sessions", "application/x-www-form-urlencoded",
		url.Values{"Participants": {`{"Identifier":"+19515550101"}`, `{"Identifier":"+17075550102"}`}}.Encode()); resp.StatusCode != 201 {
		b.Fatal(resp.Status)
	}
	body := `{"channel":"sms","from":"+19515550101","to":"+14155550100","body":"hi"}`
	for b.Loop() {
		if resp := do("POST", "/emulator/inbound", "application/json", body); resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "routed/s")
}

// BenchmarkMemoryPerSession: the heap 100,000 Sessions with two
// Participants each hold, per Session.
func BenchmarkMemoryPerSession(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p := emulator.New(nil)
		svc, _ := p.CreateService(emulator.ServiceConfig{})
		p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})
		for i := range n {
			if _, err := p.CreateSession(svc.Sid, emulator.NewSession{Participants: []emulator.NewParticipant{
				{Identifier: fmt.Sprintf("+1951%07d", i)}, {Identifier: fmt.Sprintf("+1707%07d", i)}}}); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/session")
		runtime.KeepAlive(p)
	}
}

// BenchmarkMemoryFlatUnderContacts: the heap under an endless stream of
// contacts with 60 kB bodies, each routed (a delivery, an Interaction, a
// status callback that fails: an 80908 event) and each answered by the
// out-of-session callback, at 1,500 and at 3,000 contacts of each kind
// (every log full from 1,000): the same, since every log keeps its latest
// entries only.
//
//	go test -run '^$' -bench MemoryFlat -benchmem -cpu 1 ./emulator
func BenchmarkMemoryFlatUnderContacts(b *testing.B) {
	heap := func() float64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc) / (1 << 20)
	}
	for b.Loop() {
		p := emulator.New(nil)
		fail := p.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
		twiml := p.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte("<Response/>"))
		}))
		svc, _ := p.CreateService(emulator.ServiceConfig{CallbackURL: fail, OutOfSessionCallbackURL: twiml})
		p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})
		p.CreateSession(svc.Sid, emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: "+19515550101"}, {Identifier: "+17075550102"}}})
		stream := func(n int) {
			for i := range n {
				body := fmt.Sprintf("%060000d", i) // a body of its own, as each message has
				r, err := p.Inbound(b.Context(), svc.Sid, oosc.Inbound{Channel: oosc.SMS, From: "+19515550101", To: "+14155550100", Body: body})
				if err != nil || r.Outcome != emulator.OutcomeRouted {
					b.Fatal(r, err)
				}
				if r, err = p.Inbound(b.Context(), svc.Sid, oosc.Inbound{Channel: oosc.SMS, From: "+16505550103", To: "+14155550100", Body: body}); err != nil || r.Outcome != emulator.OutcomeTwiML {
					b.Fatal(r, err)
				}
			}
		}
		stream(1500)
		half := heap()
		stream(1500)
		b.ReportMetric(half, "MB@1.5k")
		b.ReportMetric(heap(), "MB@3k")
		p.Close()
	}
}

// BenchmarkPage: the page of an emulator with full logs (1,000 events of
// each kind, 1,000 deliveries, 100 webhooks) and 1,000, 10,000 or
// 100,000 Sessions, whole and filtered by a number: its time grows with
// the Sessions it walks, its size does not (200 rows a table).
//
//	go test -run '^$' -bench Page -benchmem -cpu 1 ./emulator
func BenchmarkPage(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint("sessions=", n), func(b *testing.B) {
			p, srv, _ := benchServer(b)
			twiml := p.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.Write([]byte("<Response><Message>This ride has ended.</Message></Response>"))
			}))
			p.UpdateService(benchKS, emulator.ServiceUpdate{OutOfSessionCallbackURL: &twiml})
			for i := range 1_000 {
				p.Inbound(b.Context(), benchKS, oosc.Inbound{Channel: oosc.SMS, From: fmt.Sprintf("+1650%07d", i), To: "+14155550100", Body: "hi"})
			}
			for i := range n {
				if _, err := p.CreateSession(benchKS, emulator.NewSession{TTL: time.Hour, Participants: []emulator.NewParticipant{
					{Identifier: fmt.Sprintf("+1951%07d", i)}, {Identifier: fmt.Sprintf("+1707%07d", i)}}}); err != nil {
					b.Fatal(err)
				}
			}
			p.Advance(2 * time.Hour) // every Session expires: 80904s
			for _, query := range []string{"", "number=%2B16500000999"} {
				b.Run("query="+query, func(b *testing.B) {
					req, _ := http.NewRequest("GET", srv.URL+"/?"+query, nil)
					size := 0
					for b.Loop() {
						resp, err := srv.Client().Do(req)
						if err != nil || resp.StatusCode != 200 {
							b.Fatal(resp, err)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						size = len(body)
					}
					b.ReportMetric(float64(size)/1024, "KB/page")
				})
			}
		})
	}
}

// Command load is a loopback load generator for out-of-session callbacks:
// keep-alive clients send pre-signed callbacks for a fixed time and it
// reports requests per second, p50 and p99 latency, and answers Proxy
// would refuse.
//
// With no -target it compares three servers, each started as a child
// process with GOMAXPROCS=1 while the generator also runs with
// GOMAXPROCS=1 (one core each on a 2-core machine): a constant server (the
// floor), the twilio-go stack, and oosc's handler. The time is split into
// rounds that visit the servers in turn, in a rotating order, so that a
// shared machine's drift falls on all three alike; the ratios are given
// per round as well as overall:
//
//	go run ./cmd/load -duration 10s -rounds 5
//
// Against any running endpoint, such as the quickstart:
//
//	go run ./cmd/load -target http://127.0.0.1:8080/out-of-session -token "$TWILIO_AUTH_TOKEN"
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/bench"
	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/webhook"
)

func main() {
	serve := flag.String("serve", "", "internal: serve constant, twilio-go or oosc on -addr and print the address")
	target := flag.String("target", "", "the callback URL to load (default: compare the three built-in servers)")
	token := flag.String("token", bench.Token, "the Auth Token the target verifies")
	duration := flag.Duration("duration", 10*time.Second, "how long to send, per server")
	clients := flag.Int("clients", 8, "concurrent keep-alive clients")
	kind := flag.String("kind", "voice", "the callback: voice (55 fields, TwiML answer) or sms (auto-create answer)")
	rounds := flag.Int("rounds", 5, "rounds that visit the three servers in turn (comparison only)")
	flag.Parse()
	if *serve != "" {
		runServer(*serve)
		return
	}
	runtime.GOMAXPROCS(1)
	form := bench.VoiceForm()
	ch := oosc.Voice
	if *kind == "sms" {
		form, ch = bench.SMSForm(), oosc.SMS
	}
	if *target != "" {
		r := load(*target, *token, form, ch, *duration, *clients)
		fmt.Println(r.header())
		fmt.Println(r.row("target"))
		return
	}
	names := []string{"constant", "twilio-go", "oosc"}
	addrs := make([]string, len(names))
	for i, name := range names {
		addr, stop, err := start(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		defer stop()
		addrs[i] = addr
	}
	if *rounds < 1 {
		*rounds = 1
	}
	slice := *duration / time.Duration(*rounds)
	results := make([]result, len(names))
	var perRound [][3]float64 // req/s of each server in each round
	for round := 0; round < *rounds; round++ {
		var rps [3]float64
		for j := range names {
			i := (j + round) % len(names) // rotate who goes first
			r := load("http://"+addrs[i]+"/out-of-session", bench.Token, form, ch, slice, *clients)
			rps[i] = r.rps
			results[i].merge(r)
		}
		perRound = append(perRound, rps)
	}
	fmt.Printf("%s callbacks, %d keep-alive clients, %v per server in %d rounds, %s\n", *kind, *clients, *duration, *rounds, runtime.Version())
	fmt.Println(results[0].header())
	for i, r := range results {
		fmt.Println(r.row(names[i]))
	}
	base := results[0].rps
	fmt.Printf("oosc / constant: %.2f   twilio-go / constant: %.2f   oosc / twilio-go: %.2f\n",
		results[2].rps/base, results[1].rps/base, results[2].rps/results[1].rps)
	var ratios []float64
	for _, r := range perRound {
		ratios = append(ratios, r[2]/r[0])
	}
	slices.Sort(ratios)
	fmt.Printf("oosc / constant by round: median %.2f, from %.2f to %.2f\n", ratios[len(ratios)/2], ratios[0], ratios[len(ratios)-1])
}

// runServer serves one of the built-in handlers and prints its address.
func runServer(kind string) {
	var h http.Handler
	switch kind {
	case "constant":
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			if r.PostForm.Get("CallSid") != "" {
				w.Header().Set("Content-Type", "application/xml")
				w.Write(bench.VoiceAnswer())
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(bench.SMSAnswer())
		})
	case "twilio-go":
		h = bench.TwilioGo("")
	case "oosc":
		h = bench.OOSC("")
	default:
		fmt.Fprintf(os.Stderr, "load: unknown server %q\n", kind)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second}
	go func() { io.Copy(io.Discard, os.Stdin); os.Exit(0) }() // exit when the parent goes
	srv.Serve(ln)
}

// start runs this program as a server child with GOMAXPROCS=1.
func start(kind string) (addr string, stop func(), err error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(self, "-serve", kind)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("server %s did not start: %v", kind, err)
	}
	return strings.TrimSpace(line), func() { stdin.Close(); cmd.Wait() }, nil
}

type result struct {
	requests      int64
	invalid       int64
	elapsed       time.Duration
	lat           []time.Duration // sorted
	rps           float64
	p50, p99, max time.Duration
}

// merge adds a round's sample to r: the counts and the latencies, and the
// rate over the time of all rounds.
func (r *result) merge(o result) {
	r.requests += o.requests
	r.invalid += o.invalid
	r.elapsed += o.elapsed
	r.lat = append(r.lat, o.lat...)
	slices.Sort(r.lat)
	r.rps = float64(r.requests) / r.elapsed.Seconds()
	if len(r.lat) > 0 {
		r.p50, r.p99, r.max = r.lat[len(r.lat)/2], r.lat[len(r.lat)*99/100], r.lat[len(r.lat)-1]
	}
}

func (r result) header() string {
	return fmt.Sprintf("%-10s %10s %10s %10s %10s %8s", "server", "req/s", "p50", "p99", "max", "invalid")
}

func (r result) row(name string) string {
	return fmt.Sprintf("%-10s %10.0f %10v %10v %10v %8d", name, r.rps, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.max.Round(time.Microsecond), r.invalid)
}

// load sends pre-signed callbacks to u for d from n keep-alive clients.
// Every answer is checked for a 200 with one of the two Content-Types Proxy
// takes; one in a hundred is judged in full, as Proxy would.
func load(u, token string, form url.Values, ch oosc.Channel, d time.Duration, n int) result {
	body := form.Encode()
	sig := webhook.Sign(token, u, form)
	transport := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}
	client := &http.Client{Transport: transport, Timeout: 15 * time.Second}
	defer transport.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var requests, invalid atomic.Int64
	lat := make([][]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set(webhook.Header, sig)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					invalid.Add(1)
					continue
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[i] = append(lat[i], time.Since(t0))
				k := requests.Add(1)
				ct := resp.Header.Get("Content-Type")
				ok := resp.StatusCode == http.StatusOK && (ct == "application/xml" || ct == "application/json")
				if ok && k%100 == 0 {
					ok = judge.Response(resp.StatusCode, resp.Header, got, oosc.Inbound{Channel: ch, From: form.Get("From")}, nil).Valid()
				}
				if !ok {
					invalid.Add(1)
				}
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	r := result{requests: requests.Load(), invalid: invalid.Load(), rps: float64(requests.Load()) / elapsed.Seconds(), elapsed: elapsed, lat: all}
	if len(all) > 0 {
		r.p50, r.p99, r.max = all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	}
	return r
}

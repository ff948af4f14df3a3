package bench

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/judge"
	oosctwiml "github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
	"github.com/twilio/twilio-go/client"
	twtwiml "github.com/twilio/twilio-go/twiml"
)

type handlers struct {
	name string
	h    http.Handler
}

func all() []handlers {
	return []handlers{
		{"floor-voice", Floor("application/xml", VoiceAnswer())},
		{"floor-sms", Floor("application/json", SMSAnswer())},
		{"twilio-go", TwilioGo("https://hooks.example.com")},
		{"oosc", OOSC("https://hooks.example.com")},
	}
}

// serve answers one signed request with h, in process.
func serve(h http.Handler, body, sig string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/out-of-session", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(webhook.Header, sig)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// The three stacks do the same work: each answers both payloads with an
// answer Proxy accepts, so the benchmarks compare like with like.
func TestStacksAnswerAlike(t *testing.T) {
	for _, p := range []struct {
		form    url.Values
		channel oosc.Channel
		floor   string
	}{{VoiceForm(), oosc.Voice, "floor-voice"}, {SMSForm(), oosc.SMS, "floor-sms"}} {
		if len(p.form) != 55 && p.channel == oosc.Voice {
			t.Fatalf("the voice payload has %d fields, not 55", len(p.form))
		}
		for _, s := range all() {
			if strings.HasPrefix(s.name, "floor") && s.name != p.floor {
				continue
			}
			w := serve(s.h, p.form.Encode(), Sign(p.form))
			v := judge.Response(w.Code, w.Header(), w.Body.Bytes(), oosc.Inbound{Channel: p.channel, From: p.form.Get("From")}, nil)
			if !v.Valid() {
				t.Errorf("%s, %s: %v %s", s.name, p.channel, v.Problems, w.Body)
			}
		}
		bad := serve(TwilioGo("https://hooks.example.com"), p.form.Encode(), "forged")
		if bad.Code != http.StatusForbidden {
			t.Errorf("twilio-go stack accepted a forged signature: %d", bad.Code)
		}
	}
}

// BenchmarkEndToEnd: one signed callback per iteration through each stack
// in process, request construction included, the same for all.
// payload is one of the two callbacks the stacks are compared on, with
// the floor that answers it.
type payload struct {
	name  string
	form  url.Values
	floor http.Handler
}

func payloads() []payload {
	return []payload{
		{"voice", VoiceForm(), Floor("application/xml", VoiceAnswer())},
		{"sms", SMSForm(), Floor("application/json", SMSAnswer())},
	}
}

func BenchmarkEndToEnd(b *testing.B) {
	for _, p := range payloads() {
		body, sig := p.form.Encode(), Sign(p.form)
		for _, s := range []handlers{{"floor", p.floor}, {"twilio-go", TwilioGo("https://hooks.example.com")}, {"oosc", OOSC("https://hooks.example.com")}} {
			b.Run(p.name+"/"+s.name, func(b *testing.B) {
				settle(b)
				for b.Loop() {
					if w := serve(s.h, body, sig); w.Code != http.StatusOK {
						b.Fatal(w.Code)
					}
				}
			})
		}
	}
}

// BenchmarkPaired: the same comparison as BenchmarkEndToEnd, with the
// stacks taking turns request by request inside each iteration, in an
// order that alternates, so that a slow second on the shared machine falls
// on all of them alike. It reports each stack's time per request and the
// ratios: oosc/floor (the target is at most 1.25) and twilio-go/oosc.
// ns/op is the time of one request through each of the three stacks.
func BenchmarkPaired(b *testing.B) {
	for _, p := range payloads() {
		body, sig := p.form.Encode(), Sign(p.form)
		stacks := []http.Handler{p.floor, OOSC("https://hooks.example.com")}
		b.Run(p.name, func(b *testing.B) {
			settle(b)
			var spent [2]time.Duration
			turn := 0
			for b.Loop() {
				for k := range stacks {
					i := (k + turn) % len(stacks)
					start := time.Now()
					w := serve(stacks[i], body, sig)
					spent[i] += time.Since(start)
					if w.Code != http.StatusOK {
						b.Fatal(w.Code)
					}
				}
				turn++
			}
			n := float64(b.N)
			b.ReportMetric(float64(spent[0].Nanoseconds())/n, "floor-ns/req")
			b.ReportMetric(float64(spent[1].Nanoseconds())/n, "oosc-ns/req")
			b.ReportMetric(float64(spent[1])/float64(spent[0]), "oosc/floor")
		})
	}
}

// BenchmarkVerify: signature verification alone, by number of fields.
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{10, 55, 200, 1000} {
		form := FormWithFields(n)
		sig := Sign(form)
		params := make(map[string]string, len(form))
		for k, v := range form {
			params[k] = v[0]
		}
		rv := client.NewRequestValidator(Token)
		v, err := webhook.NewVerifier([]string{Token}, &webhook.Options{PublicURL: "https://hooks.example.com"})
		if err != nil {
			b.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodPost, "/out-of-session", nil)
		r.Header.Set(webhook.Header, sig)
		b.Run("fields="+strconv.Itoa(n)+"/oosc", func(b *testing.B) {
			settle(b)
			for b.Loop() {
				if err := v.VerifyForm(r, form); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("fields="+strconv.Itoa(n)+"/twilio-go", func(b *testing.B) {
			settle(b)
			for b.Loop() {
				if !rv.Validate(URL, params, sig) {
					b.Fatal("invalid")
				}
			}
		})
	}
}

// BenchmarkBody: the handler against the floor as the body grows to 64 KiB.
func BenchmarkBody(b *testing.B) {
	for _, n := range []int{1 << 10, 16 << 10, 60 << 10} {
		form := FormWithBody(n)
		body, sig := form.Encode(), Sign(form)
		for _, s := range []handlers{{"floor", Floor("application/json", SMSAnswer())}, {"oosc", OOSC("https://hooks.example.com")}} {
			b.Run("bytes="+strconv.Itoa(len(body))+"/"+s.name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				settle(b)
				for b.Loop() {
					if w := serve(s.h, body, sig); w.Code != http.StatusOK {
						b.Fatal(w.Code)
					}
				}
			})
		}
	}
}

// BenchmarkBuild: building the voice answer alone.
func BenchmarkBuild(b *testing.B) {
	b.Run("voice/oosc", func(b *testing.B) {
		settle(b)
		for b.Loop() {
			if _, err := ooscVoice().Bytes(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("voice/twilio-go", func(b *testing.B) {
		settle(b)
		for b.Loop() {
			if _, err := twtwiml.Voice([]twtwiml.Element{
				&twtwiml.VoiceSay{Message: sayText, Voice: "Polly.Joanna"},
				&twtwiml.VoiceDial{Number: driver, CallerId: proxyNum, Timeout: "20"},
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// twimlOfSize is valid voice TwiML of about n bytes.
func twimlOfSize(n int) []byte {
	r := oosctwiml.NewVoiceResponse()
	g := r.Gather(&oosctwiml.GatherAttrs{Input: []string{"dtmf"}, Action: "/menu", NumDigits: oosctwiml.Int(1)})
	for i := 0; ; i++ {
		b, _ := r.Bytes()
		if len(b) >= n-120 {
			break
		}
		g.Say("Press "+strconv.Itoa(i%10)+" for option "+strconv.Itoa(i)+".", &oosctwiml.SayAttrs{Voice: "Polly.Joanna", Language: "en-US"})
	}
	r.Hangup()
	b, _ := r.Bytes()
	return b
}

// BenchmarkValidate: validating TwiML bytes (MB/s), against the floor of
// reading the same bytes' tokens with encoding/xml and doing nothing else.
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{1 << 10, 8 << 10, 60 << 10} {
		doc := twimlOfSize(n)
		if r := oosctwiml.Validate(doc, oosc.Voice); !r.Valid() {
			b.Fatalf("%d bytes: %v", len(doc), r.Errors())
		}
		size := "bytes=" + strconv.Itoa(len(doc))
		b.Run(size+"/oosc", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			settle(b)
			for b.Loop() {
				if !oosctwiml.Validate(doc, oosc.Voice).Valid() {
					b.Fatal("invalid")
				}
			}
		})
		b.Run(size+"/xml-tokens", func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			settle(b)
			for b.Loop() {
				d := xml.NewDecoder(bytes.NewReader(doc))
				for {
					if _, err := d.RawToken(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// settle starts a sub-benchmark on a collected heap whose free pages are
// already returned to the OS, so that neither the garbage a previous
// sub-benchmark left (twilio-go's 113 KiB a verification) nor the
// background scavenging of its pages runs on this one's time; and it
// reports allocations.
func settle(b *testing.B) {
	debug.FreeOSMemory()
	b.ReportAllocs()
}

// floorVerifier is the least a check of a form's signature does, in plain
// code with its memory kept between checks: the names sorted, the signed
// string built, one HMAC-SHA1 keyed once and reused, the base64 compared
// in constant time. It takes the values of a name in the order given,
// neither sorted nor de-duplicated: the payload has one value per name.
type floorVerifier struct {
	mac   hash.Hash
	names []string
	buf   []byte
	sum   []byte
}

func newFloorVerifier(token string) *floorVerifier {
	return &floorVerifier{mac: hmac.New(sha1.New, []byte(token))}
}

func (f *floorVerifier) verify(u string, form url.Values, sig string) bool {
	f.names = f.names[:0]
	for name := range form {
		f.names = append(f.names, name)
	}
	slices.Sort(f.names)
	f.buf = append(f.buf[:0], u...)
	for _, name := range f.names {
		for _, v := range form[name] {
			f.buf = append(f.buf, name...)
			f.buf = append(f.buf, v...)
		}
	}
	f.mac.Reset()
	f.mac.Write(f.buf)
	f.sum = f.mac.Sum(f.sum[:0])
	var b64 [28]byte
	base64.StdEncoding.Encode(b64[:], f.sum)
	return hmac.Equal(b64[:], []byte(sig))
}

// BenchmarkPairedVerify: signature verification of the 55-field voice
// callback against its floor, taking turns check by check as
// BenchmarkPaired does, and reporting the ratio oosc/floor (the target is
// at most 1.6):
//
//   - function: webhook.Verify of the url.Values, against the floor's check
//     of the same url.Values;
//   - verifier: a Verifier's VerifyForm (the URL from its PublicURL and
//     the request), against the same floor;
//   - middleware: a Verifier's Middleware, body read, parsed, verified and
//     handed on to next, against a plain middleware (r.ParseForm, the
//     floor's check of r.PostForm, next), request construction included.
func BenchmarkPairedVerify(b *testing.B) {
	form := VoiceForm()
	body, sig := form.Encode(), Sign(form)
	v, err := webhook.NewVerifier([]string{Token}, &webhook.Options{PublicURL: "https://hooks.example.com"})
	if err != nil {
		b.Fatal(err)
	}
	floor := newFloorVerifier(Token)
	tokens := []string{Token}
	r := httptest.NewRequest(http.MethodPost, "/out-of-session", nil)
	r.Header.Set(webhook.Header, sig)
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	floorMiddleware := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() != nil || !floor.verify("https://hooks.example.com"+r.URL.RequestURI(), r.PostForm, r.Header.Get(webhook.Header)) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
	middleware := v.Middleware(next)
	check := func(ok bool) {
		if !ok {
			b.Fatal("a valid signature refused")
		}
	}
	through := func(h http.Handler) func() {
		return func() {
			if w := serve(h, body, sig); w.Code != http.StatusNoContent {
				b.Fatal(w.Code, w.Body)
			}
		}
	}
	for _, c := range []struct {
		name        string
		floor, oosc func()
	}{
		{"function", func() { check(floor.verify(URL, form, sig)) }, func() { check(webhook.Verify(tokens, URL, form, sig) == nil) }},
		{"verifier", func() { check(floor.verify(URL, form, sig)) }, func() { check(v.VerifyForm(r, form) == nil) }},
		{"middleware", through(floorMiddleware), through(middleware)},
	} {
		b.Run(c.name, func(b *testing.B) {
			settle(b)
			steps := [2]func(){c.floor, c.oosc}
			var spent [2]time.Duration
			turn := 0
			for b.Loop() {
				for k := range steps {
					i := (k + turn) % len(steps)
					start := time.Now()
					steps[i]()
					spent[i] += time.Since(start)
				}
				turn++
			}
			n := float64(b.N)
			b.ReportMetric(float64(spent[0].Nanoseconds())/n, "floor-ns/op")
			b.ReportMetric(float64(spent[1].Nanoseconds())/n, "oosc-ns/op")
			b.ReportMetric(float64(spent[1])/float64(spent[0]), "oosc/floor")
		})
	}
}

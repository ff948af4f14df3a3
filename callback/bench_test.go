package callback_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

const benchURL = "https://hooks.example.com/out-of-session"

// serveBench runs h over one signed callback per iteration, in process.
func serveBench(b *testing.B, h http.Handler, form string, sig, wantCT string) {
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, benchURL, strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(webhook.Header, sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != wantCT {
			b.Fatalf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
}

// floor only parses the form and writes a constant answer: the least any
// handler does.
func floor(ct string, answer []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write(answer)
	})
}

func benchHandler(b *testing.B, decide callback.DecideFunc) http.Handler {
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: newVerifier(b, &webhook.Options{PublicURL: "https://hooks.example.com"}, token)})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

func sayAndHangUp(context.Context, *callback.Request) (callback.Answer, error) {
	r := twiml.NewVoiceResponse()
	r.Say("Sorry, this ride has ended. Open the app to reach your driver.", &twiml.SayAttrs{Voice: "Polly.Joanna"})
	r.Hangup()
	return callback.TwiML(r), nil
}

func reconnectSMS(_ context.Context, req *callback.Request) (callback.Answer, error) {
	return callback.AutoCreate(autocreate.Session{
		UniqueName: "ride-8812-reconnect", Mode: autocreate.VoiceAndMessage, TTL: time.Hour,
		ParticipantIdentifier: driver, ParticipantProxyIdentifier: "+14155550198",
	}), nil
}

func BenchmarkHandlerVoiceTwiML(b *testing.B) {
	form := voiceForm()
	serveBench(b, benchHandler(b, sayAndHangUp), form.Encode(), webhook.Sign(token, benchURL, form), "application/xml")
}

// voiceAnswer is the constant answer of the voice floor: the same bytes
// sayAndHangUp builds.
func voiceAnswer(b *testing.B) []byte {
	a, _ := sayAndHangUp(context.Background(), nil)
	r := twiml.NewVoiceResponse()
	r.Say("Sorry, this ride has ended. Open the app to reach your driver.", &twiml.SayAttrs{Voice: "Polly.Joanna"})
	r.Hangup()
	answer, err := r.Bytes()
	if err != nil || a.Kind() != oosc.TwiMLAnswer {
		b.Fatal(err)
	}
	return answer
}

// smsAnswer is the constant answer of the SMS floor.
var smsAnswer = []byte(`{"uniqueName":"ride-8812-reconnect","mode":"voice-and-message","ttl":3600,"participantIdentifier":"+14155550123","participantProxyIdentifier":"+14155550198"}`)

func BenchmarkFloorVoiceTwiML(b *testing.B) {
	form := voiceForm()
	serveBench(b, floor("application/xml", voiceAnswer(b)), form.Encode(), "", "application/xml")
}

func BenchmarkHandlerSMSAutoCreate(b *testing.B) {
	form := smsForm()
	serveBench(b, benchHandler(b, reconnectSMS), form.Encode(), webhook.Sign(token, benchURL, form), "application/json")
}

func BenchmarkFloorSMSAutoCreate(b *testing.B) {
	form := smsForm()
	serveBench(b, floor("application/json", smsAnswer), form.Encode(), "", "application/json")
}

// serveHTTPBench sends one signed callback per iteration over loopback HTTP.
func serveHTTPBench(b *testing.B, h http.Handler, form url.Values, signed bool, wantCT string) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	u := srv.URL + "/out-of-session"
	body := form.Encode()
	sig := ""
	if signed {
		sig = webhook.Sign(token, u, form)
	}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			req.Header.Set(webhook.Header, sig)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != wantCT {
			b.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

func httpHandler(b *testing.B, decide callback.DecideFunc) http.Handler {
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: newVerifier(b, nil, token)})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

func BenchmarkHTTPHandlerVoiceTwiML(b *testing.B) {
	serveHTTPBench(b, httpHandler(b, sayAndHangUp), voiceForm(), true, "application/xml")
}

func BenchmarkHTTPFloorVoiceTwiML(b *testing.B) {
	serveHTTPBench(b, floor("application/xml", voiceAnswer(b)), voiceForm(), false, "application/xml")
}

func BenchmarkHTTPHandlerSMSAutoCreate(b *testing.B) {
	serveHTTPBench(b, httpHandler(b, reconnectSMS), smsForm(), true, "application/json")
}

func BenchmarkHTTPFloorSMSAutoCreate(b *testing.B) {
	serveHTTPBench(b, floor("application/json", smsAnswer), smsForm(), false, "application/json")
}

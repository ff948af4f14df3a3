package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	oosctwiml "github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
	"github.com/twilio/twilio-go/client"
	twtwiml "github.com/twilio/twilio-go/twiml"
)

// Token signs every benchmark request; URL is the URL they are signed for.
const (
	Token = "bench-auth-token-0123456789abcdef"
	URL   = "https://hooks.example.com/out-of-session"
)

const (
	rider, driver, proxyNum = "+14155550100", "+14155550123", "+14155550199"
	sayText                 = "Sorry, this ride has ended. Open the app to reach your driver."
)

// VoiceForm is Proxy's documented out-of-session voice callback after a
// closed Session: the standard voice fields, the previous Session and both
// Participants, and the caller's and callee's geography: 55 fields.
func VoiceForm() url.Values {
	c := callbacktest.Call(rider, proxyNum).After(callbacktest.Previous{UniqueName: "ride-8812", Other: driver, OtherProxy: "+14155550198"})
	f := c.Form()
	for _, p := range []string{"From", "To", "Caller", "Called"} {
		f.Set(p+"City", "SAN FRANCISCO")
		f.Set(p+"State", "CA")
		f.Set(p+"Zip", "94105")
		f.Set(p+"Country", "US")
	}
	f.Set("AddOns", `{"status":"successful","message":null,"code":null,"results":{}}`)
	for _, kv := range [][2]string{ // more of what Proxy sends, until there are 55
		{"inboundParticipantFriendlyName", "rider-17"}, {"outboundParticipantFriendlyName", "driver-42"},
		{"sessionDateStarted", "2026-01-01T00:05:00Z"}, {"sessionDateLastInteraction", "2026-01-01T00:50:00Z"},
	} {
		if len(f) < 55 {
			f.Set(kv[0], kv[1])
		}
	}
	for len(f) > 55 {
		for k := range f {
			if strings.HasSuffix(k, "Zip") {
				f.Del(k)
				break
			}
		}
	}
	return f
}

// SMSForm is an out-of-session text from someone with no previous Session: 13 fields.
func SMSForm() url.Values {
	f := callbacktest.Message(rider, proxyNum, "Hi, I left my bag in the car").Form()
	f.Set("FromCountry", "US")
	f.Set("ToCountry", "US")
	return f
}

// FormWithFields is the voice callback grown or cut to n fields, for the scaling series.
func FormWithFields(n int) url.Values {
	f := VoiceForm()
	for i := 0; len(f) < n; i++ {
		f.Set("Extra"+strconv.Itoa(i), "value-"+strconv.Itoa(i))
	}
	for len(f) > n {
		for k := range f {
			if k != "CallSid" && k != "From" && k != "To" {
				f.Del(k)
				break
			}
		}
	}
	return f
}

// FormWithBody is the SMS callback with a Body of about n bytes, for the body series.
func FormWithBody(n int) url.Values {
	f := SMSForm()
	f.Set("Body", strings.Repeat("x", n))
	return f
}

// Sign returns the X-Twilio-Signature of form for URL.
func Sign(form url.Values) string { return webhook.Sign(Token, URL, form) }

// VoiceAnswer and SMSAnswer are the answers every handler gives.
func VoiceAnswer() []byte {
	b, _ := ooscVoice().Bytes()
	return b
}

// SMSAnswer is the auto-create session every handler answers a text with.
func SMSAnswer() []byte {
	b, _ := smsSession().MarshalJSON()
	return b
}

func ooscVoice() *oosctwiml.VoiceResponse {
	r := oosctwiml.NewVoiceResponse()
	r.Say(sayText, &oosctwiml.SayAttrs{Voice: "Polly.Joanna"})
	r.Dial(driver, &oosctwiml.DialAttrs{CallerID: proxyNum, Timeout: oosctwiml.Int(20)})
	return r
}

func smsSession() autocreate.Session {
	return autocreate.Session{UniqueName: "ride-8812-reconnect", Mode: autocreate.VoiceAndMessage, TTL: time.Hour,
		ParticipantIdentifier: driver, ParticipantProxyIdentifier: "+14155550198"}
}

// Floor parses the form and writes a constant answer of content type ct.
func Floor(ct string, answer []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write(answer)
	})
}

// OOSC is callback.Handler answering a call with the voice answer, built
// per request, and a text with the auto-create session.
func OOSC(publicURL string) http.Handler {
	decide := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Channel == oosc.Voice {
			return callback.TwiML(ooscVoice()), nil
		}
		return callback.AutoCreate(smsSession()), nil
	}
	v, err := webhook.NewVerifier([]string{Token}, &webhook.Options{PublicURL: publicURL})
	if err != nil {
		panic(err)
	}
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: v})
	if err != nil {
		panic(err)
	}
	return h
}

// TwilioGo is the same work with twilio-go: its RequestValidator over the
// form (first value of each name, as its map takes), its twiml builders for
// the voice answer, encoding/json for the auto-create session, and a write
// with the right Content-Type. publicURL prefixes the request URI.
func TwilioGo(publicURL string) http.Handler {
	rv := client.NewRequestValidator(Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		params := make(map[string]string, len(r.PostForm))
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
		u := publicURL + r.URL.RequestURI()
		if publicURL == "" {
			u = "http://" + r.Host + r.URL.RequestURI()
		}
		if !rv.Validate(u, params, r.Header.Get(webhook.Header)) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if r.PostForm.Get("CallSid") != "" {
			doc, err := twtwiml.Voice([]twtwiml.Element{
				&twtwiml.VoiceSay{Message: sayText, Voice: "Polly.Joanna"},
				&twtwiml.VoiceDial{Number: driver, CallerId: proxyNum, Timeout: "20"},
			})
			if err != nil {
				http.Error(w, "twiml", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, doc)
			return
		}
		s := smsSession()
		body, err := json.Marshal(map[string]any{
			"uniqueName": s.UniqueName, "mode": s.Mode, "ttl": int(s.TTL / time.Second),
			"participantIdentifier": s.ParticipantIdentifier, "participantProxyIdentifier": s.ParticipantProxyIdentifier,
		})
		if err != nil {
			http.Error(w, "json", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

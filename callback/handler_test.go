package callback_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func sayHello(context.Context, *callback.Request) (callback.Answer, error) {
	r := twiml.NewVoiceResponse()
	r.Say("Hello", nil)
	return callback.TwiML(r), nil
}

// assertPlainError checks a 4xx answer: short fixed text, no detail.
func assertPlainError(t *testing.T, resp *http.Response, status int) {
	t.Helper()
	body := readAll(t, resp)
	assert.Equal(t, status, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	assert.Equal(t, http.StatusText(status)+"\n", body)
	assert.NotContains(t, body, token)
}

// Contract §2, the rows that reject a request.
func TestHandlerRejects(t *testing.T) {
	e := serve(t, sayHello, &callback.Options{Verifier: newVerifier(t, &webhook.Options{MaxBodyBytes: 4096})})
	client := e.srv.Client()

	t.Run("method other than POST", func(t *testing.T) {
		resp, err := client.Get(e.url())
		require.NoError(t, err)
		assert.Equal(t, "POST", resp.Header.Get("Allow"))
		assertPlainError(t, resp, http.StatusMethodNotAllowed)
		assert.ErrorIs(t, e.outcome(t).Err, webhook.ErrMethodNotAllowed)
	})
	t.Run("not a form", func(t *testing.T) {
		resp, err := client.Post(e.url(), "application/json", strings.NewReader(`{"From":"+1"}`))
		require.NoError(t, err)
		assertPlainError(t, resp, http.StatusUnsupportedMediaType)
		assert.Equal(t, callback.Rejected, e.outcome(t).Kind)
	})
	t.Run("form with charset is a form", func(t *testing.T) {
		form := voiceForm()
		req := callbacktest.NewSignedRequest(context.Background(), e.url(), token, form)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
		resp, err := client.Do(req)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, readAll(t, resp))
		e.outcome(t)
	})
	t.Run("body over the limit", func(t *testing.T) {
		form := voiceForm()
		form.Set("Body", strings.Repeat("x", 5000))
		resp := e.post(t, form, token)
		assertPlainError(t, resp, http.StatusRequestEntityTooLarge)
		assert.ErrorIs(t, e.outcome(t).Err, webhook.ErrBodyTooLarge)
	})
	t.Run("malformed form", func(t *testing.T) {
		resp, err := client.Post(e.url(), "application/x-www-form-urlencoded", strings.NewReader("From=%zz&To=1"))
		require.NoError(t, err)
		assertPlainError(t, resp, http.StatusBadRequest)
		assert.ErrorIs(t, e.outcome(t).Err, webhook.ErrMalformedForm)
	})
	t.Run("missing signature", func(t *testing.T) {
		resp := e.post(t, voiceForm(), "")
		assertPlainError(t, resp, http.StatusBadRequest)
		assert.ErrorIs(t, e.outcome(t).Err, webhook.ErrMissingSignature)
	})
	t.Run("signature of another token", func(t *testing.T) {
		resp := e.post(t, voiceForm(), "not-the-token")
		assertPlainError(t, resp, http.StatusForbidden)
		assert.ErrorIs(t, e.outcome(t).Err, webhook.ErrInvalidSignature)
	})
	t.Run("signed form tampered with", func(t *testing.T) {
		form := voiceForm()
		body := form.Encode() + "&Extra=1"
		req, _ := http.NewRequest(http.MethodPost, e.url(), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(webhook.Header, webhook.Sign(token, e.url(), form))
		resp, err := client.Do(req)
		require.NoError(t, err)
		assertPlainError(t, resp, http.StatusForbidden)
		e.outcome(t)
	})
	assert.NotContains(t, e.logs.String(), token)
}

func TestNewHandlerConfiguration(t *testing.T) {
	_, err := callback.NewHandler(sayHello, nil)
	assert.ErrorIs(t, err, webhook.ErrNoAuthToken, "no token, no handler")
	_, err = callback.NewHandler(nil, &callback.Options{Verifier: newVerifier(t, nil, token)})
	assert.Error(t, err)
	_, err = callback.NewHandler(sayHello, &callback.Options{Verifier: newVerifier(t, nil, token), DecisionTimeout: 20 * time.Second})
	assert.Error(t, err, "a deadline past Twilio's 15 s")
	bad := twiml.NewVoiceResponse()
	bad.Dial("", nil)
	_, err = callback.NewHandler(sayHello, &callback.Options{Verifier: newVerifier(t, nil, token), VoiceFallback: bad})
	assert.ErrorIs(t, err, oosc.ErrInvalid, "an invalid fallback is refused at construction")

	// Checking off, by name: unsigned requests are answered.
	e := serve(t, sayHello, &callback.Options{InsecureSkipVerify: true})
	resp := e.post(t, voiceForm(), "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, readAll(t, resp), "<Say>Hello</Say>")
}

// Contract §2: a valid answer is written as decided, once, with its exact
// Content-Type and length.
func TestHandlerAnswers(t *testing.T) {
	voice := twiml.NewVoiceResponse()
	voice.Say("Your ride has ended.", &twiml.SayAttrs{Voice: "Polly.Joanna"})
	voice.Hangup()
	voiceBytes, _ := voice.Bytes()
	session := autocreate.Session{Mode: autocreate.MessageOnly, TTL: time.Hour, ParticipantIdentifier: driver}
	sessionBytes, _ := json.Marshal(session)
	raw := []byte(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks</Message></Response>`)

	tests := []struct {
		name   string
		form   url.Values
		answer callback.Answer
		ct     string
		body   []byte
	}{
		{"voice TwiML", voiceForm(), callback.TwiML(voice), "application/xml", voiceBytes},
		{"auto-create for a message", smsForm(), callback.AutoCreate(session), "application/json", sessionBytes},
		{"raw TwiML", smsForm(), callback.RawTwiML(raw), "application/xml", raw},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := serve(t, func(context.Context, *callback.Request) (callback.Answer, error) { return tt.answer, nil }, nil)
			for i := 0; i < 2; i++ { // the same input gives the same bytes
				resp := e.post(t, tt.form, token)
				body := readAll(t, resp)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, tt.ct, resp.Header.Get("Content-Type"))
				assert.Equal(t, int64(len(tt.body)), resp.ContentLength)
				assert.Equal(t, string(tt.body), body)
				out := e.outcome(t)
				assert.Equal(t, callback.Answered, out.Kind)
				assert.NoError(t, out.Err)
			}
		})
	}
}

// Contract §2: whatever goes wrong with the decision, Proxy receives the
// channel's fallback, and the log says why.
func TestHandlerFallsBack(t *testing.T) {
	released := make(chan struct{})
	defer close(released)
	tests := []struct {
		name    string
		form    url.Values
		decide  callback.DecideFunc
		err     error
		logSays string
	}{
		{"error", voiceForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			return callback.Answer{}, errors.New("directory down")
		}, callback.ErrDecisionFailed, "directory down"},
		{"panic", smsForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			panic("nil map")
		}, callback.ErrDecisionPanic, "nil map"},
		{"missed deadline, ignoring ctx", voiceForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			<-released // returns only after the client has its answer
			return sayHello(context.TODO(), nil)
		}, callback.ErrDecisionTimeout, "deadline"},
		{"missed deadline, honouring ctx", smsForm(), func(ctx context.Context, _ *callback.Request) (callback.Answer, error) {
			<-ctx.Done()
			return callback.Answer{}, ctx.Err()
		}, callback.ErrDecisionTimeout, "deadline"},
		{"no answer", voiceForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			return callback.Answer{}, nil
		}, callback.ErrNoAnswer, "no answer"},
		{"TwiML of the other channel", voiceForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			m := twiml.NewMessagingResponse()
			m.Message("hi", nil)
			return callback.TwiML(m), nil
		}, oosc.ErrInvalid, "wrong-channel"},
		{"malformed raw TwiML", smsForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			return callback.RawTwiML([]byte("<Response><Message>hi</message></Response>")), nil
		}, oosc.ErrInvalid, "malformed-xml"},
		{"auto-create with the sender as participant", smsForm(), func(_ context.Context, req *callback.Request) (callback.Answer, error) {
			return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: req.From}), nil
		}, oosc.ErrInvalid, "sender-as-participant"},
		{"auto-create message-only for a call", voiceForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: driver, Mode: autocreate.MessageOnly}), nil
		}, oosc.ErrInvalid, "mode-channel-mismatch"},
		{"auto-create that cannot be marshalled", smsForm(), func(context.Context, *callback.Request) (callback.Answer, error) {
			return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: driver, TTL: -time.Second}), nil
		}, oosc.ErrInvalid, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := serve(t, tt.decide, &callback.Options{DecisionTimeout: 100 * time.Millisecond})
			start := time.Now()
			resp := e.post(t, tt.form, token)
			body := readAll(t, resp)
			assert.Less(t, time.Since(start), 5*time.Second)
			if tt.name == "missed deadline, ignoring ctx" {
				released <- struct{}{} // a stuck decision did not hold the answer back
			}
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
			var want []byte
			if tt.form.Get("CallSid") != "" {
				want, _ = callback.DefaultVoiceFallback().Bytes()
			} else {
				want, _ = twiml.NewMessagingResponse().Bytes()
			}
			assert.Equal(t, string(want), body)
			out := e.outcome(t)
			assert.Equal(t, callback.FellBack, out.Kind)
			assert.ErrorIs(t, out.Err, tt.err)
			if errors.Is(tt.err, oosc.ErrInvalid) {
				assert.NotEmpty(t, out.Problems)
			}
			logs := e.logs.String()
			assert.Contains(t, logs, "fell-back")
			assert.Contains(t, logs, tt.logSays)
		})
	}
}

func TestHandlerCustomFallback(t *testing.T) {
	voice := twiml.NewVoiceResponse()
	voice.Say("Please call us on the main line.", nil)
	sms := twiml.NewMessagingResponse()
	sms.Message("We could not forward your message.", nil)
	fail := func(context.Context, *callback.Request) (callback.Answer, error) {
		return callback.Answer{}, errors.New("x")
	}
	e := serve(t, fail, &callback.Options{VoiceFallback: voice, SMSFallback: sms})
	assert.Contains(t, readAll(t, e.post(t, voiceForm(), token)), "main line")
	assert.Contains(t, readAll(t, e.post(t, smsForm(), token)), "could not forward")
}

func TestHandlerUnknownChannel(t *testing.T) {
	called := false
	e := serve(t, func(context.Context, *callback.Request) (callback.Answer, error) {
		called = true
		return sayHello(context.TODO(), nil)
	}, nil)
	form := url.Values{"From": {rider}, "To": {proxyNum}}
	resp := e.post(t, form, token)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, readAll(t, resp))
	assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
	assert.False(t, called)
	assert.ErrorIs(t, e.outcome(t).Err, oosc.ErrUnknownChannel)
}

// Contract §2: when the client has gone, nothing is written, and it is logged.
func TestHandlerClientGone(t *testing.T) {
	started := make(chan struct{})
	e := serve(t, func(ctx context.Context, _ *callback.Request) (callback.Answer, error) {
		close(started)
		<-ctx.Done()
		return callback.Answer{}, ctx.Err()
	}, &callback.Options{DecisionTimeout: 10 * time.Second})
	form := voiceForm()
	ctx, cancel := context.WithCancel(context.Background())
	req := callbacktest.NewSignedRequest(ctx, e.url(), token, form)
	go func() { <-started; cancel() }()
	_, err := e.srv.Client().Do(req)
	require.Error(t, err)
	out := e.outcome(t)
	assert.Equal(t, callback.ClientGone, out.Kind)
	assert.Zero(t, out.Status)
	assert.Contains(t, e.logs.String(), "client went away")
}

// Phone numbers are masked in logs by default; the secret never appears.
func TestHandlerLogsRedact(t *testing.T) {
	fail := func(context.Context, *callback.Request) (callback.Answer, error) {
		return callback.Answer{}, errors.New("x")
	}
	e := serve(t, fail, nil)
	readAll(t, e.post(t, voiceForm(), token))
	logs := e.logs.String()
	assert.NotContains(t, logs, rider)
	assert.Contains(t, logs, "+*********00")
	assert.NotContains(t, logs, token)

	e = serve(t, fail, &callback.Options{LogPhoneNumbers: true})
	readAll(t, e.post(t, voiceForm(), token))
	assert.Contains(t, e.logs.String(), rider)
}

// Token rotation: the previous token still verifies.
func TestHandlerSeveralTokens(t *testing.T) {
	e := serve(t, sayHello, &callback.Options{Verifier: newVerifier(t, nil, token, oldToken)})
	assert.Equal(t, http.StatusOK, e.post(t, voiceForm(), oldToken).StatusCode)
	assert.Equal(t, http.StatusOK, e.post(t, voiceForm(), token).StatusCode)
}

// Hundreds of concurrent callbacks, each answered right (run with -race).
func TestHandlerConcurrent(t *testing.T) {
	e := serve(t, callback.Reconnect(nil), nil)
	e.srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	const n = 300
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			form := voiceForm()
			want := "application/json"
			if i%2 == 1 {
				form = smsForm()
				want = "application/xml"
			}
			resp := e.post(t, form, token)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want || len(body) == 0 {
				errs <- errors.New(resp.Status + " " + resp.Header.Get("Content-Type") + " " + string(body))
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Zero values: the zero builders are empty responses, and a Handler not
// made by NewHandler answers 500 instead of panicking.
func TestZeroValuesAnswer(t *testing.T) {
	t.Run("zero builders are answers", func(t *testing.T) {
		for _, tt := range []struct {
			form url.Values
			doc  callback.TwiMLDocument
		}{{voiceForm(), &twiml.VoiceResponse{}}, {smsForm(), &twiml.MessagingResponse{}}} {
			e := serve(t, answerWith(callback.TwiML(tt.doc)), nil)
			resp := e.post(t, tt.form, token)
			assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, readAll(t, resp))
			assert.Equal(t, callback.Answered, e.outcome(t).Kind)
		}
	})
	for name, h := range map[string]http.Handler{"zero Handler": &callback.Handler{}, "nil *Handler": (*callback.Handler)(nil)} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			form := voiceForm()
			req := callbacktest.NewSignedRequest(context.Background(), srv.URL, token, form)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err, "the connection must not be dropped")
			assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
			assert.Equal(t, "Internal Server Error\n", readAll(t, resp))
		})
	}
}

// With masking on, no phone number appears in any attribute of any
// record: not in from/to, not in the reason, not in the problems, and
// full-width digits are masked too.
func TestLogsMaskEveryPhoneNumber(t *testing.T) {
	const whatsapp = "whatsapp:+14155550188"
	fullWidth := "＋１４１５５５５０１７７"
	decide := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Body == "whatsapp" { // a channel address for a call: invalid, quoted in the problems
			return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: whatsapp, Mode: autocreate.VoiceAndMessage}), nil
		}
		return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: req.From}), nil // the sender: invalid
	}
	for _, full := range []bool{false, true} {
		e := serve(t, decide, &callback.Options{LogPhoneNumbers: full})
		readAll(t, e.post(t, smsForm(), token))
		form := smsForm()
		form.Set("Body", "whatsapp")
		readAll(t, e.post(t, form, token))
		form = smsForm()
		form.Set("From", fullWidth)
		readAll(t, e.post(t, form, token))
		for i := 0; i < 3; i++ {
			assert.Equal(t, callback.FellBack, e.outcome(t).Kind)
		}
		logs := e.logs.String()
		for _, number := range []string{rider, "14155550188", "１４１５５５５０１７７", "4155550"} {
			if full {
				assert.Contains(t, logs, strings.TrimPrefix(number, "4155550"), "LogPhoneNumbers writes numbers in full")
			} else {
				assert.NotContains(t, logs, number)
			}
		}
		if !full {
			assert.Contains(t, logs, "+*********00", "the sender's last two digits stay for debugging")
			assert.Contains(t, logs, "whatsapp:+*********88")
			assert.Contains(t, logs, "sender-as-participant", "the problem itself is still logged")
			assert.Contains(t, logs, "80404", "error codes are not phone numbers")
		} else {
			assert.Contains(t, logs, rider)
			assert.Contains(t, logs, whatsapp)
		}
	}
}

// The handler's rejections are answered and reported by its Verifier, as
// the Verifier's middleware reports its own: its Logger (one WARN record
// per interval) and OnReject see every request the handler refuses, with
// the URL checked by the Verifier's rules; OnOutcome sees each one too;
// the handler's Logger logs none of them.
func TestHandlerReportsRejectionsThroughItsVerifier(t *testing.T) {
	var verifierLogs callbacktest.Logs
	reasons := make(chan error, 100)
	v := newVerifier(t, &webhook.Options{
		PublicURL:            "https://hooks.example.org",
		Logger:               verifierLogs.Logger(slog.LevelInfo),
		RejectionLogInterval: time.Hour,
		OnReject:             func(_ *http.Request, err error) { reasons <- err },
	})
	e := serve(t, sayHello, &callback.Options{Verifier: v})
	client := e.srv.Client()
	expect := func(want error) {
		t.Helper()
		out := e.outcome(t)
		assert.Equal(t, callback.Rejected, out.Kind)
		assert.ErrorIs(t, out.Err, want)
		select {
		case err := <-reasons:
			assert.ErrorIs(t, err, want)
			assert.Equal(t, out.Err, err, "OnReject and OnOutcome see the same error")
		case <-time.After(5 * time.Second):
			t.Fatal("OnReject was not called")
		}
	}

	resp, err := client.Get(e.url())
	require.NoError(t, err)
	assertPlainError(t, resp, http.StatusMethodNotAllowed)
	expect(webhook.ErrMethodNotAllowed)
	resp, err = client.Post(e.url(), "text/plain", strings.NewReader("From=%2B14155550100"))
	require.NoError(t, err)
	assertPlainError(t, resp, http.StatusUnsupportedMediaType)
	expect(webhook.ErrUnsupportedMediaType)
	for range 20 {
		assertPlainError(t, e.post(t, voiceForm(), "forged-token"), http.StatusForbidden)
		expect(webhook.ErrInvalidSignature)
	}

	logged := verifierLogs.String()
	assert.Equal(t, 1, strings.Count(logged, "\n"), "one WARN record for 22 rejections: %s", logged)
	assert.Contains(t, logged, `"level":"WARN"`)
	assert.Contains(t, logged, "webhook: request rejected")
	assert.NotContains(t, e.logs.String(), "rejected", "the handler's Logger leaves rejections to the Verifier's")

	// The reason names the URL the Verifier checked: its PublicURL.
	e = serve(t, sayHello, &callback.Options{Verifier: v})
	e.post(t, voiceForm(), "forged-token").Body.Close()
	assert.Contains(t, e.outcome(t).Err.Error(), "https://hooks.example.org/out-of-session")
	<-reasons

	// Without a Verifier (InsecureSkipVerify), rejections reach OnOutcome only.
	e = serve(t, sayHello, &callback.Options{InsecureSkipVerify: true})
	resp, err = client.Get(e.url())
	require.NoError(t, err)
	assertPlainError(t, resp, http.StatusMethodNotAllowed)
	assert.ErrorIs(t, e.outcome(t).Err, webhook.ErrMethodNotAllowed)
	assert.Empty(t, e.logs.String())
}

// No printed or logged form of Options holding a Verifier, or of a
// Handler, shows an auth token: fmt's verbs, and slog's text and JSON, of
// the values and of copies of them.
func TestNoTokenInAnyPrintedForm(t *testing.T) {
	secret, other := "tok-secret-5c1d9e7a", "tok-previous-0b4f2d88"
	opts := callback.Options{Verifier: newVerifier(t, &webhook.Options{PublicURL: "https://hooks.example.com"}, secret, other)}
	h, err := callback.NewHandler(sayHello, &opts)
	require.NoError(t, err)
	hCopy := reflect.ValueOf(h).Elem().Interface() // which vet warns against, but a %v of a struct holding one makes
	var printed []string
	for _, x := range []any{opts, &opts, h, hCopy} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			printed = append(printed, fmt.Sprintf(verb, x))
		}
		var text, js strings.Builder
		slog.New(slog.NewTextHandler(&text, nil)).Info("x", "value", x)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("x", "value", x)
		printed = append(printed, text.String(), js.String())
	}
	for _, p := range printed {
		for _, tok := range []string{secret, other} {
			assert.NotContains(t, p, tok)
			assert.NotContains(t, p, hex.EncodeToString([]byte(tok)))
		}
		assert.NotContains(t, p, "5c1d9e7a")
	}
	assert.Contains(t, fmt.Sprint(h), "tokens: 2 (redacted)")
}

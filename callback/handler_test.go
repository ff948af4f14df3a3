package callback_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
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
	e := serve(t, sayHello, &callback.Options{Verifier: newVerifier(t, &callback.VerifierOptions{MaxBodyBytes: 4096})})
	client := e.srv.Client()

	t.Run("method other than POST", func(t *testing.T) {
		resp, err := client.Get(e.url())
		require.NoError(t, err)
		assert.Equal(t, "POST", resp.Header.Get("Allow"))
		assertPlainError(t, resp, http.StatusMethodNotAllowed)
		assert.ErrorIs(t, e.outcome(t).Err, callback.ErrMethodNotAllowed)
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
		assert.ErrorIs(t, e.outcome(t).Err, callback.ErrBodyTooLarge)
	})
	t.Run("malformed form", func(t *testing.T) {
		resp, err := client.Post(e.url(), "application/x-www-form-urlencoded", strings.NewReader("From=%zz&To=1"))
		require.NoError(t, err)
		assertPlainError(t, resp, http.StatusBadRequest)
		assert.ErrorIs(t, e.outcome(t).Err, callback.ErrMalformedForm)
	})
	t.Run("missing signature", func(t *testing.T) {
		resp := e.post(t, voiceForm(), "")
		assertPlainError(t, resp, http.StatusBadRequest)
		assert.ErrorIs(t, e.outcome(t).Err, callback.ErrMissingSignature)
	})
	t.Run("signature of another token", func(t *testing.T) {
		resp := e.post(t, voiceForm(), "not-the-token")
		assertPlainError(t, resp, http.StatusForbidden)
		assert.ErrorIs(t, e.outcome(t).Err, callback.ErrInvalidSignature)
	})
	t.Run("signed form tampered with", func(t *testing.T) {
		form := voiceForm()
		body := form.Encode() + "&Extra=1"
		req, _ := http.NewRequest(http.MethodPost, e.url(), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(callback.SignatureHeader, callback.Signature(token, e.url(), form))
		resp, err := client.Do(req)
		require.NoError(t, err)
		assertPlainError(t, resp, http.StatusForbidden)
		e.outcome(t)
	})
	assert.NotContains(t, e.logs.String(), token)
}

func TestNewHandlerConfiguration(t *testing.T) {
	_, err := callback.NewHandler(sayHello, nil)
	assert.ErrorIs(t, err, callback.ErrNoAuthToken, "no token, no handler")
	_, err = callback.NewVerifier([]string{""}, nil)
	assert.ErrorIs(t, err, callback.ErrNoAuthToken, "an empty token")
	_, err = callback.NewVerifier(nil, nil)
	assert.ErrorIs(t, err, callback.ErrNoAuthToken, "no token")
	_, err = callback.NewHandler(nil, &callback.Options{Verifier: newVerifier(t, nil, token)})
	assert.Error(t, err)
	_, err = callback.NewHandler(sayHello, &callback.Options{Verifier: newVerifier(t, nil, token), DecisionTimeout: 20 * time.Second})
	assert.Error(t, err, "a deadline past Twilio's 15 s")
	for _, u := range []string{"hooks.example.com", "ftp://hooks.example.com", "https://hooks.example.com/?a=1", "https://user@hooks.example.com"} {
		_, err = callback.NewVerifier([]string{token}, &callback.VerifierOptions{PublicURL: u})
		assert.Error(t, err, u)
	}
	_, err = callback.NewVerifier([]string{token}, &callback.VerifierOptions{ProxyHeaders: 7})
	assert.Error(t, err, "an unknown header family")
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

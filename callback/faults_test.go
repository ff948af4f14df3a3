package callback_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

// faults are decisions that go wrong in every way found so far, chosen by
// the request's Body.
func faults(stuck <-chan struct{}) map[string]callback.DecideFunc {
	ok := func(a callback.Answer) callback.DecideFunc {
		return func(context.Context, *callback.Request) (callback.Answer, error) { return a, nil }
	}
	huge := "<Response>" + strings.Repeat("<Pause/>", 10000) + "</Response>"
	return map[string]callback.DecideFunc{
		"panic": func(context.Context, *callback.Request) (callback.Answer, error) { panic("boom") },
		"error": func(context.Context, *callback.Request) (callback.Answer, error) {
			return callback.Answer{}, errors.New("database down")
		},
		"no answer":           ok(callback.Answer{}),
		"nil voice builder":   ok(callback.TwiML((*twiml.VoiceResponse)(nil))),
		"nil messaging":       ok(callback.TwiML((*twiml.MessagingResponse)(nil))),
		"zero voice builder":  ok(callback.TwiML(&twiml.VoiceResponse{})),
		"zero messaging":      ok(callback.TwiML(&twiml.MessagingResponse{})),
		"foreign valid":       ok(callback.TwiML(foreignDoc{body: "<Response/>"})),
		"foreign lying":       ok(callback.TwiML(foreignDoc{body: "<Response><Say>unclosed"})),
		"foreign panicking":   ok(callback.TwiML(foreignDoc{panics: true})),
		"foreign stuck":       ok(callback.TwiML(foreignDoc{body: "<Response/>", release: chanOf(stuck)})),
		"huge raw TwiML":      ok(callback.RawTwiML([]byte(huge))),
		"binary raw TwiML":    ok(callback.RawTwiML([]byte{0xff, 0xfe, '<', 0})),
		"invalid auto-create": ok(callback.AutoCreate(autocreate.Session{ParticipantIdentifier: "not a number"})),
		"sender as participant": func(_ context.Context, req *callback.Request) (callback.Answer, error) {
			return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: req.From}), nil
		},
		"ignores its context": func(context.Context, *callback.Request) (callback.Answer, error) {
			<-stuck
			return callback.Answer{}, nil
		},
		"valid auto-create": ok(callback.AutoCreate(autocreate.Session{ParticipantIdentifier: driver, TTL: 1500 * time.Millisecond})),
		"valid TwiML":       sayHelloOrReply,
	}
}

func chanOf(c <-chan struct{}) chan struct{} {
	out := make(chan struct{})
	go func() { <-c; close(out) }()
	return out
}

func sayHelloOrReply(_ context.Context, req *callback.Request) (callback.Answer, error) {
	if req.Channel == oosc.Voice {
		return sayHello(context.TODO(), nil)
	}
	r := twiml.NewMessagingResponse()
	r.Message("Hello", nil)
	return callback.TwiML(r), nil
}

// Fault injection: decisions that panic, return nil or zero builders,
// foreign documents, huge or invalid answers, or ignore their context, all
// at once over keep-alive connections (run with -race). Every response is
// an answer Proxy accepts, none is dropped, and none waits behind a stuck
// decision: the stuck ones are released only after every answer is in.
func TestFaultInjection(t *testing.T) {
	stuck := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(stuck) }) }
	defer release()
	decisions := faults(stuck)
	names := make([]string, 0, len(decisions))
	for name := range decisions {
		names = append(names, name)
	}
	e := serve(t, func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		return decisions[req.Body](ctx, req)
	}, &callback.Options{DecisionTimeout: 100 * time.Millisecond})
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: 8, MaxConnsPerHost: 8},
		Timeout:   10 * time.Second, // a guard against a hang, not a timing assertion
	}
	defer client.CloseIdleConnections()

	const workers, rounds = 8, 3
	total := workers * rounds * len(names)
	errs := make(chan error, total)
	var answered sync.WaitGroup
	for w := 0; w < workers; w++ {
		answered.Add(1)
		go func(w int) {
			defer answered.Done()
			for i := 0; i < rounds*len(names); i++ {
				name := names[(i+w)%len(names)]
				form, ch := voiceForm(), oosc.Voice
				if (i+w)%2 == 1 {
					form, ch = smsForm(), oosc.SMS
				}
				form.Set("Body", name)
				req := callbacktest.NewSignedRequest(context.Background(), e.url(), token, form)
				resp, err := client.Do(req)
				if err != nil {
					errs <- fmt.Errorf("%s over %s: dropped or waited: %v", name, ch, err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil { // judged exactly as Proxy would, by the library's judge
					err = judge.Response(resp.StatusCode, resp.Header, body, oosc.Inbound{Channel: ch, From: form.Get("From")}, nil).Err()
				}
				if err != nil {
					errs <- fmt.Errorf("%s over %s: %v: %q", name, ch, err, body)
				}
			}
		}(w)
	}
	answered.Wait()
	release()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	kinds := map[callback.OutcomeKind]int{}
	for i := 0; i < total; i++ {
		kinds[e.outcome(t).Kind]++
	}
	require.Equal(t, total, kinds[callback.Answered]+kinds[callback.FellBack], "every request has a truthful outcome: %v", kinds)
	require.NotZero(t, kinds[callback.Answered])
	require.NotZero(t, kinds[callback.FellBack])
}

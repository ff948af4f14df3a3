package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

// exampleScenario is the module's complete example scenario file.
const exampleScenario = "../examples/scenarios/ride.json"

// The example scenario runs against a Reconnect handler with every expect
// holding: the documented format, end to end.
func TestExampleScenarioHolds(t *testing.T) {
	data, err := os.ReadFile(exampleScenario)
	require.NoError(t, err)
	sc, err := emulator.ParseScenario(data)
	require.NoError(t, err)
	p := emulator.New(nil)
	defer p.Close()
	results, err := emulator.RunScenario(context.Background(), sc, &emulator.RunOptions{CallbackURL: p.Serve(handlerFor(t, reconnect())) + "/out-of-session"})
	require.NoError(t, err)
	require.Len(t, results, len(sc.Steps))
	for _, r := range results {
		require.NotNil(t, r.Expected, "step %d carries expect", r.Step)
		assert.True(t, *r.Expected, "step %d: %s", r.Step, r.Detail)
		assert.False(t, r.Unannounced())
	}
	require.Len(t, results[13].Events, 1, "the Session auto-created at 10:08 expired before 12:30, and the step says so")
	assert.Equal(t, oosc.CodeExpiredSession, results[13].Events[0].Code)
	assert.Equal(t, results[11].Session, results[13].Events[0].Session)
}

// Package doc, "Scenario files": each expect key is compared exactly, "KC*" matches
// any SID, and a wrong expect, or an unannounced 80905, is reported.
func TestExpect(t *testing.T) {
	sc, err := emulator.ParseScenario([]byte(`{"service": {"numbers": [{"number": "+14155550100"}]},
	  "steps": [
	    {"at": "2026-01-05T10:00:00Z", "create": {"participants": [{"identifier": "+19515550101"}, {"identifier": "+17075550102"}]},
	      "expect": {"outcome": "ok", "session": "KC*"}},
	    {"at": "2026-01-05T10:01:00Z", "inbound": {"channel": "sms", "from": "+19515550101", "to": "+14155550100", "body": "x"},
	      "expect": {"outcome": "routed", "deliverTo": "+10000000000"}},
	    {"at": "2026-01-05T10:02:00Z", "inbound": {"channel": "voice", "from": "+16505550103", "to": "+14155550100"}},
	    {"at": "2026-01-05T10:03:00Z", "inbound": {"channel": "voice", "from": "+16505550103", "to": "+14155550100"},
	      "expect": {"outcome": "failed", "codes": [80905], "cause": "no-previous-session"}}
	  ]}`))
	require.NoError(t, err)
	results, err := emulator.RunScenario(context.Background(), sc, nil)
	require.NoError(t, err)
	require.Len(t, results, 4)
	assert.True(t, *results[0].Expected, results[0].Detail)
	assert.Regexp(t, `^KC[0-9a-f]{32}$`, results[0].Session, "no uniqueName: the SID")
	assert.False(t, *results[1].Expected)
	assert.Contains(t, results[1].Detail, `deliverTo: want "+10000000000", got "+17075550102"`)
	assert.Nil(t, results[2].Expected)
	assert.True(t, results[2].Unannounced(), "80905 without expect")
	assert.True(t, *results[3].Expected, "80905 announced")
	assert.False(t, results[3].Unannounced())
}

// Package doc, "Scenario files": the file is strict; every error names the step and
// the key. Hardening round 2: duplicate keys, trailing data and ttls that
// do not fit are refused.
func TestParseScenarioErrors(t *testing.T) {
	const at = `"at": "2026-01-05T10:00:00Z"`
	tests := []struct {
		name, doc string
		step      int
		key       string
	}{
		{"not JSON", `{`, -1, ""},
		{"trailing data", `{"steps": []} {"steps": []}`, -1, ""},
		{"trailing garbage", `{"steps": []} x`, -1, ""},
		{"duplicate top-level key", `{"steps": [], "steps": []}`, -1, "steps"},
		{"duplicate service key", `{"service": {"callback": true, "callback": false}}`, -1, "service.callback"},
		{"duplicate step key", `{"steps": [{` + at + `, "close": "a", "close": "b"}]}`, -1, "steps[0].close"},
		{"unknown top-level key", `{"servise": {}}`, -1, "servise"},
		{"unknown service key", `{"service": {"numbres": []}}`, -1, "service.numbres"},
		{"unknown step key", `{"steps": [{` + at + `, "close": "a", "wait": 1}]}`, 0, "wait"},
		{"two operations", `{"steps": [{` + at + `, "close": "a", "delete": "a"}]}`, 0, ""},
		{"no operation", `{"steps": [{` + at + `}]}`, 0, ""},
		{"no time", `{"steps": [{"close": "a"}]}`, 0, "at"},
		{"time going back", `{"steps": [{` + at + `, "close": "a"}, {"at": "2026-01-05T09:00:00Z", "close": "a"}]}`, 1, "at"},
		{"ttl that overflows", `{"steps": [{` + at + `, "create": {"ttl": 18446744074}}]}`, 0, "create.ttl"},
		{"ttl one past the largest", `{"steps": [{` + at + `, "create": {"ttl": 9223372037}}]}`, 0, "create.ttl"},
		{"negative ttl", `{"steps": [{` + at + `, "update": {"uniqueName": "a", "ttl": -1}}]}`, 0, "update.ttl"},
		{"fractional ttl", `{"steps": [{` + at + `, "create": {"ttl": 1.5}}]}`, 0, "create.ttl"},
		{"defaultTtl that overflows", `{"service": {"defaultTtl": 1e30}}`, -1, "service.defaultTtl"},
		{"unknown channel", `{"steps": [{` + at + `, "inbound": {"channel": "fax", "from": "+1", "to": "+1"}}]}`, 0, "inbound.channel"},
		{"a body for a call", `{"steps": [{` + at + `, "inbound": {"channel": "voice", "from": "+1", "to": "+1", "body": "x"}}]}`, 0, "inbound.body"},
		{"an unknown geoMatchLevel", `{"service": {"geoMatchLevel": "city"}}`, -1, "service.geoMatchLevel"},
		{"an unknown selection", `{"service": {"numberSelectionBehavior": "random"}}`, -1, "service.numberSelectionBehavior"},
		{"an unknown expect key", `{"steps": [{` + at + `, "close": "a", "expect": {"outcom": "ok"}}]}`, 0, "expect.outcom"},
		{"codes that are not codes", `{"steps": [{` + at + `, "close": "a", "expect": {"codes": ["80905"]}}]}`, 0, "expect.codes[0]"},
		{"a pool number twice", `{"service": {"numbers": [{"number": "+14155550100"}, {"number": "+14155550100"}]}}`, -1, "service.numbers[1].number"},
		{"a pool number that is no number", `{"service": {"numbers": [{"number": "415"}]}}`, -1, "service.numbers[0].number"},
		{"an empty close", `{"steps": [{` + at + `, "close": ""}]}`, 0, "close"},
		{"a step past year 9999", `{"steps": [{"at": "9999-12-31T23:59:59-23:59", "close": "a"}]}`, 0, "at"},
		{"a dateExpiry past year 9999", `{"steps": [{` + at + `, "create": {"dateExpiry": "9999-12-31T23:59:59-00:01"}}]}`, 0, "create.dateExpiry"},
		{"keys that differ only in case", `{"steps": [{` + at + `, "close": "a", "Close": "b"}]}`, -1, "steps[0].Close"},
		{"nested too deep", `{"steps": [{` + at + `, "close": "a", "expect": ` + strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40) + `}]}`, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := emulator.ParseScenario([]byte(tt.doc))
			var se *emulator.ScenarioError
			require.True(t, errors.As(err, &se), "want a *ScenarioError, got %v", err)
			assert.Equal(t, tt.step, se.Step, se.Error())
			assert.Equal(t, tt.key, se.Key, se.Error())
		})
	}
	sc, err := emulator.ParseScenario([]byte(`{"steps": [{` + at + `, "create": {"ttl": 9223372036}}]}`))
	require.NoError(t, err, "the largest ttl that fits")
	assert.Equal(t, emulator.MaxTTLSeconds, int64(sc.Steps[0].Create.TTL.Seconds()))
}

// A scenario with a callback needs its URL; an intercept callback too.
func TestRunScenarioNeedsItsURLs(t *testing.T) {
	for _, doc := range []string{`{"service": {"callback": true}}`, `{"service": {"interceptCallback": true}}`} {
		sc, err := emulator.ParseScenario([]byte(doc))
		require.NoError(t, err)
		_, err = emulator.RunScenario(context.Background(), sc, nil)
		var se *emulator.ScenarioError
		assert.True(t, errors.As(err, &se), doc)
	}
}

// FuzzParseScenario: any bytes either parse into a scenario that runs
// without callbacks, or give a *ScenarioError; never a panic.
func FuzzParseScenario(f *testing.F) {
	if seed, err := os.ReadFile(exampleScenario); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{"service":{"numbers":[{"number":"+14155550100","reserved":true}],"defaultTtl":60,"geoMatchLevel":"area-code","numberSelectionBehavior":"avoid-sticky"},"steps":[{"at":"2026-01-05T10:00:00Z","inbound":{"channel":"voice","from":"anonymous","to":"+14155550100"},"expect":{"outcome":"failed","codes":[80905],"session":"KC*"}}]}`))
	f.Add([]byte(`{"steps":[{"at":"2026-01-05T10:00:00Z","create":{"uniqueName":"x","participants":[{"identifier":"whatsapp:+1415"}]}},{"at":"2026-01-05T10:00:01Z","reopen":"x"},{"at":"2026-01-05T10:00:02Z","update":{"uniqueName":"x","status":"in-progress","ttl":9223372036,"dateExpiry":"2026-01-06T00:00:00Z"}}]}`))
	f.Add([]byte(`{"steps":[{"at":"2026-01-05T10:00:00Z","inbound":{"channel":"messaging","from":"+1","to":"+2","body":"STOP","media":["x"]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := emulator.ParseScenario(data)
		if err != nil {
			var se *emulator.ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(sc.Steps) > 50 {
			return
		}
		sc.Service.Callback, sc.Service.InterceptCallback = false, false
		if _, err := emulator.RunScenario(context.Background(), sc, nil); err != nil {
			var se *emulator.ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("run error of type %T: %v", err, err)
			}
		}
	})
}

// bigScenario is a scenario of numbers pool numbers and creates Sessions,
// each with a contact routed through it and one out of session, all on
// one number per rider so that the Sessions keep their pairs.
func bigScenario(numbers, creates int) []byte {
	var b strings.Builder
	b.WriteString(`{"service": {"numbers": [`)
	for i := range numbers {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"number": "+1415%07d"}`, i)
	}
	b.WriteString(`], "callback": false}, "steps": [`)
	for i := range creates {
		if i > 0 {
			b.WriteString(",")
		}
		at := fmt.Sprintf("2026-01-05T10:%02d:%02dZ", i/60%60, i%60)
		rider := fmt.Sprintf("+1951%07d", i)
		fmt.Fprintf(&b, `{"at": %q, "create": {"uniqueName": "ride-%d", "ttl": 3600, "participants": [{"identifier": %q}, {"identifier": "+1707%07d"}]}},`, at, i, rider, i)
		fmt.Fprintf(&b, `{"at": %q, "inbound": {"channel": "sms", "from": %q, "to": "+1415%07d", "body": "hi"}}`, at, rider, (i+1)%numbers)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// Hardening round 2, break 3: a scenario of 300 numbers and 2,400 creates
// (and 2,400 contacts) parses and runs well under two seconds; the cost
// grows near-linearly (see BenchmarkScenarioGrowth).
func TestScenarioNearLinear(t *testing.T) {
	data := bigScenario(300, 2400)
	sc, err := emulator.ParseScenario(data)
	require.NoError(t, err)
	results, err := emulator.RunScenario(context.Background(), sc, nil)
	require.NoError(t, err)
	require.Len(t, results, 4800)
	for _, r := range results[:2] {
		require.Contains(t, []emulator.Outcome{emulator.OutcomeOK, emulator.OutcomeFailed}, r.Outcome, r.Detail)
	}
}

// BenchmarkScenarioGrowth parses and runs scenarios of 1×, 10× and 100×
// the steps: the time per step stays flat when the cost is linear.
func BenchmarkScenarioGrowth(b *testing.B) {
	for _, n := range []int{24, 240, 2400} {
		data := bigScenario(max(3, n/8), n)
		b.Run(fmt.Sprintf("parse/creates=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := emulator.ParseScenario(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		sc, err := emulator.ParseScenario(data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("run/creates=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := emulator.RunScenario(context.Background(), sc, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/step")
		})
	}
}

// BenchmarkOutOfSession measures contacts that go to the callback: a
// handler (Reconnect, else a notice) called over loopback HTTP, its answer
// judged.
func BenchmarkOutOfSession(b *testing.B) {
	p := emulator.New(nil)
	defer p.Close()
	s, err := p.CreateService(emulator.ServiceConfig{OutOfSessionCallbackURL: p.Serve(handlerFor(b, reconnect())) + "/oos"})
	if err != nil {
		b.Fatal(err)
	}
	p.AddNumber(s.Sid, emulator.NewPhoneNumber{Number: pn1})
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		r, err := p.Inbound(ctx, s.Sid, oosc.Inbound{Channel: oosc.SMS, From: fmt.Sprintf("+1650%07d", i), To: pn1, Body: "hi"})
		if err != nil || r.Outcome != emulator.OutcomeTwiML {
			b.Fatalf("%s: %s %v", r.Outcome, r.Detail, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}

// BenchmarkRouted measures contacts routed through an open Session.
func BenchmarkRouted(b *testing.B) {
	p := emulator.New(nil)
	defer p.Close()
	s, _ := p.CreateService(emulator.ServiceConfig{})
	p.AddNumber(s.Sid, emulator.NewPhoneNumber{Number: pn1})
	if _, err := p.CreateSession(s.Sid, ride("ride-1", "", 0)); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r, _ := p.Inbound(ctx, s.Sid, sms(rider, pn1)); r.Outcome != emulator.OutcomeRouted {
			b.Fatal(r.Outcome)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}

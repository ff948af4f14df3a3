package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback/callbacktest"
)

// debuggerLine is one line of Debugger webhook parameters, as JSON.
func debuggerLine(t *testing.T, payload map[string]any) string {
	t.Helper()
	p, err := json.Marshal(payload)
	require.NoError(t, err)
	b, err := json.Marshal(map[string]string{"Sid": "NO1", "AccountSid": "AC1", "Timestamp": "2026-11-30T10:00:00Z",
		"Level": "WARNING", "PayloadType": "application/json", "Payload": string(p)})
	require.NoError(t, err)
	return string(b)
}

func TestExplainJSONLines(t *testing.T) {
	req := callbacktest.Message("+19515550101", "+14155550100", "my bag?").Form()
	params := map[string]string{}
	for k := range req {
		params[k] = req.Get(k)
	}
	input := strings.Join([]string{
		debuggerLine(t, map[string]any{"error_code": "80905", "resource_sid": "SM1", "webhook": map[string]any{
			"request":  map[string]any{"url": "https://hooks.example.com/oos", "method": "POST", "parameters": params},
			"response": map[string]any{"status_code": 200, "headers": map[string]string{"Content-Type": "application/json"}, "body": `{"participantIdentifier":"+19515550101"}`},
		}}),
		debuggerLine(t, map[string]any{"error_code": 80904}),
		`not json`,
		debuggerLine(t, map[string]any{"error_code": 80905}),
	}, "\n")

	code, out, errOut := cli(t, input, "explain", "-")
	assert.Equal(t, exitUsage, code, "a line that cannot be read")
	assert.Contains(t, errOut, "oosc explain: <stdin>:3: ")
	first := strings.Index(out, "<stdin>:1: 2026-11-30T10:00:00Z 80905 Unknown Scenario, case 1 and 4 of 80905")
	second := strings.Index(out, "<stdin>:2: 2026-11-30T10:00:00Z 80904 Expired Proxy Session, case 2 of 80905")
	fourth := strings.Index(out, "<stdin>:4: 2026-11-30T10:00:00Z 80905 Unknown Scenario, case 3 of 80905 (the event cannot settle the case)")
	require.True(t, first >= 0 && second > first && fourth > second, "in input order:\n%s", out)
	assert.Contains(t, out, "sender-as-participant")
	assert.NotContains(t, out, "+19515550101", "phone numbers masked")

	code, out, _ = cli(t, input, "explain", "--json", "--phone-numbers", "-")
	assert.Equal(t, exitUsage, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	var x struct {
		At       string                  `json:"at"`
		Code     int                     `json:"code"`
		Cases    []struct{ Number int }  `json:"cases"`
		Settled  bool                    `json:"settled"`
		Summary  string                  `json:"summary"`
		Problems []struct{ Rule string } `json:"problems"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &x))
	assert.Equal(t, "<stdin>:1", x.At)
	assert.Equal(t, 80905, x.Code)
	assert.True(t, x.Settled)
	assert.Equal(t, "sender-as-participant", x.Problems[0].Rule)
	assert.Contains(t, lines[0], "+19515550101", "--phone-numbers shows them")
}

func TestExplainAlertsPage(t *testing.T) {
	vars := url.Values{"CallSid": {"CA1"}, "From": {"+19515550101"}, "To": {"+14155550100"}}
	page, _ := json.Marshal(map[string]any{"alerts": []map[string]any{
		{"sid": "NO1", "error_code": "80905", "log_level": "warning", "alert_text": "Msg=Unknown+Scenario",
			"request_url": "https://hooks.example.com/oos", "request_variables": vars.Encode(),
			"response_body": "<Response><Say>Bye</Say></Response>", "response_headers": "Content-Type=text%2Fxml"},
		{"sid": "NO2", "error_code": "80603", "log_level": "error"},
	}})
	code, out, errOut := cli(t, string(page), "explain", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "<stdin>:1: 80905 Unknown Scenario, case 1 and 4 of 80905")
	assert.Contains(t, out, "application/xml")
	assert.Contains(t, out, "<stdin>:1: 80603", "a page on one line: every alert on line 1")
}

// realisticEvent is the Debugger webhook's parameters for one contact, as
// a line of JSON Lines (about 1.9 kB): an 80905 whose recorded callback
// answered auto-create JSON naming the sender, an 80913 that got no
// answer, or an 80904.
func realisticEvent(t testing.TB, i int) string {
	from, to := fmt.Sprintf("+1951555%04d", i%10000), "+14155550100"
	req := callbacktest.Message(from, to, "I left my bag in the car, can you call me back?").
		After(callbacktest.Previous{UniqueName: fmt.Sprintf("ride-%d", i), Other: "+17075550102"}).Form()
	params := map[string]string{}
	for k := range req {
		params[k] = req.Get(k)
	}
	hook := map[string]any{"request": map[string]any{"url": "https://hooks.example.com/proxy/out-of-session", "method": "POST", "parameters": params}}
	payload := map[string]any{"resource_sid": fmt.Sprintf("SM%032x", i), "service_sid": "KS00000000000000000000000000000001",
		"more_info": map[string]string{"Msg": "Unknown Scenario"}, "webhook": hook}
	switch i % 3 {
	case 0:
		payload["error_code"] = "80905"
		hook["response"] = map[string]any{"status_code": 200, "headers": map[string]string{"Content-Type": "application/json; charset=utf-8"},
			"body": `{"participantIdentifier":"` + from + `","uniqueName":"oosc-` + fmt.Sprint(i) + `","ttl":3600}`}
	case 1:
		payload["error_code"] = "80913"
	default:
		payload["error_code"] = 80904
		delete(payload, "webhook")
	}
	p, err := json.Marshal(payload)
	require.NoError(t, err)
	b, err := json.Marshal(map[string]string{"Sid": fmt.Sprintf("NO%032x", i), "AccountSid": "AC00000000000000000000000000000001",
		"Timestamp": "2026-11-30T10:00:00Z", "Level": "WARNING", "PayloadType": "application/json", "Payload": string(p)})
	require.NoError(t, err)
	return string(b)
}

// Issue 25, break 9: explain refused any input over 1 MiB. 600 realistic
// events (over 1.1 MB) explain, from a file and from stdin, as JSON Lines
// and as one Monitor Alerts page on one line.
func TestExplainLargeInput(t *testing.T) {
	var lines []string
	for i := range 600 {
		lines = append(lines, realisticEvent(t, i))
	}
	input := strings.Join(lines, "\n") + "\n"
	require.Greater(t, len(input), 1_100_000)
	f := filepath.Join(t.TempDir(), "events.jsonl")
	require.NoError(t, os.WriteFile(f, []byte(input), 0o644))

	code, out, errOut := cli(t, "", "explain", "--json", f)
	require.Equal(t, exitOK, code, errOut)
	got := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, got, 600)
	assert.Contains(t, got[599], `"at":"`+f+`:600"`)
	code, out, errOut = cli(t, input, "explain", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, 600, strings.Count(out, "\n  fix: "))
	assert.Contains(t, out, "<stdin>:600: ")

	var page strings.Builder
	page.WriteString(`{"meta":{"page":0,"page_size":600},"alerts":[`)
	for i := range 600 {
		if i > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"sid":"NO%032x","error_code":"80905","log_level":"warning","alert_text":"Msg=Unknown+Scenario","request_url":"https://hooks.example.com/oos","request_variables":%q,"response_body":"<Response><Say>Sorry</Say></Response>","response_headers":"Content-Type=text%%2Fxml"}`,
			i, strings.Repeat("Body=I+left+my+bag&", 80)+"From=%2B19515550101&To=%2B14155550100")
	}
	page.WriteString(`]}`)
	require.Greater(t, page.Len(), 1<<20)
	code, out, errOut = cli(t, page.String(), "explain", "-")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, 600, strings.Count(out, "<stdin>:1: 80905 Unknown Scenario"))
}

// An event over the limit of one event is refused naming its line; in
// JSON Lines the next lines are still explained.
func TestExplainEventOverItsLimit(t *testing.T) {
	big := strings.Repeat("x", maxEventBytes)
	input := realisticEvent(t, 1) + "\n" + `{"Sid":"NO1","Payload":"` + big + `"}` + "\n" + realisticEvent(t, 2) + "\n"
	code, out, errOut := cli(t, input, "explain", "-")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "oosc explain: <stdin>:2: larger than one event may be: over 2162688 bytes")
	assert.Contains(t, out, "<stdin>:1: ")
	assert.Contains(t, out, "<stdin>:3: ", "the reading goes on after the line")

	page := "{\"alerts\": [\n" + `{"sid":"NO1","error_code":"80904"},` + "\n" + `{"sid":"NO2","alert_text":"` + big + `"},` + "\n" + `{"sid":"NO3","error_code":"80904"}]}`
	code, out, errOut = cli(t, page, "explain", "-")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, out, "<stdin>:2: 80904")
	assert.Contains(t, errOut, "oosc explain: <stdin>:3: larger than one event may be: over 1114112 bytes; the reading stops here")
	assert.NotContains(t, out, "<stdin>:4:")
}

// Each event is labelled FILE:LINE where it starts, in a pretty-printed
// page too; a stream of several pages and events reads as one.
func TestExplainLabelsFileAndLine(t *testing.T) {
	vars := url.Values{"CallSid": {"CA1"}, "From": {"+19515550101"}, "To": {"+14155550100"}}
	page, err := json.MarshalIndent(map[string]any{"meta": map[string]any{"page": 0}, "alerts": []map[string]any{
		{"sid": "NO1", "error_code": "80905", "request_url": "https://hooks.example.com/oos", "request_variables": vars.Encode(),
			"response_body": "<Response><Say>Bye</Say></Response>", "response_headers": "Content-Type=text%2Fxml"},
		{"sid": "NO2", "error_code": "80603"},
	}}, "", "  ")
	require.NoError(t, err)
	f := filepath.Join(t.TempDir(), "alerts.json")
	input := "\n" + string(page) + "\n" + realisticEvent(t, 2) + "\n"
	require.NoError(t, os.WriteFile(f, []byte(input), 0o644))
	code, out, errOut := cli(t, "", "explain", f)
	require.Equal(t, exitOK, code, errOut)
	lines := strings.Split(input, "\n")
	for _, want := range []struct {
		code string
		line int
	}{{"80905", 4}, {"80603", 12}, {"80904", 21}} {
		require.True(t, strings.HasPrefix(strings.TrimSpace(lines[want.line-1]), "{"), "the event starts on line %d", want.line)
		label := fmt.Sprintf("%s:%d: ", f, want.line)
		if want.code == "80904" {
			label += "2026-11-30T10:00:00Z "
		}
		assert.Contains(t, out, label+want.code)
	}
}

// Each sentence is said once: a case the summary states, and the
// message of the problem it quotes, are not repeated below it.
func TestExplainSaysEachSentenceOnce(t *testing.T) {
	code, out, errOut := cli(t, realisticEvent(t, 0), "explain", "-")
	require.Equal(t, exitOK, code, errOut)
	for _, sentence := range []string{"is the sender; name the other participant", "the sender's Session on this Proxy number closed or expired"} {
		assert.Equal(t, 1, strings.Count(out, sentence), "%q:\n%s", sentence, out)
	}
	assert.Contains(t, out, "  error participantIdentifier: sender-as-participant [80103]\n", "the problem is still named")
}

// eventStream is an input of n realistic events, made as they are read,
// so that the input itself is never in memory: JSON Lines, or one Monitor
// Alerts page.
type eventStream struct {
	items      [][]byte
	head, tail []byte
	sep        []byte
	n, i       int
	buf        []byte
}

func newEventStream(t testing.TB, n int, page bool) *eventStream {
	s := &eventStream{n: n, sep: []byte("\n"), tail: []byte("\n")}
	if page {
		s.head, s.sep, s.tail = []byte(`{"meta":{"page":0},"alerts":[`), []byte(",\n"), []byte("]}\n")
	}
	for i := range 30 {
		if !page {
			s.items = append(s.items, []byte(realisticEvent(t, i)))
			continue
		}
		s.items = append(s.items, fmt.Appendf(nil, `{"sid":"NO%032x","error_code":"80905","log_level":"warning","alert_text":"Msg=Unknown+Scenario","request_url":"https://hooks.example.com/oos","request_variables":%q,"response_body":"<Response><Say>Sorry</Say></Response>","response_headers":"Content-Type=text%%2Fxml"}`,
			i, strings.Repeat("Body=I+left+my+bag&", 80)+"From=%2B19515550101&To=%2B14155550100"))
	}
	s.buf = s.head
	return s
}

func (s *eventStream) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		switch {
		case s.i == s.n+1:
			return 0, io.EOF
		case s.i == s.n:
			s.buf = s.tail
		case s.i == 0:
			s.buf = s.items[0]
		default:
			s.buf = append(append(s.buf[:0:0], s.sep...), s.items[s.i%len(s.items)]...)
		}
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// heapSampler is a stdout that counts explanations and, every so many,
// collects garbage and notes the live heap.
type heapSampler struct {
	writes, every int
	peak          uint64
}

func (h *heapSampler) Write(p []byte) (int, error) {
	if h.writes++; h.writes%h.every == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapAlloc)
	}
	return len(p), nil
}

// explainPeakHeap explains n events from a stream and returns the peak
// live heap seen while it did.
func explainPeakHeap(t testing.TB, n int, page bool) uint64 {
	h := &heapSampler{every: max(n/20, 1)}
	defer fakeEnv(nil)()
	code := run([]string{"explain", "-"}, newEventStream(t, n, page), h, io.Discard)
	require.Equal(t, exitOK, code)
	require.Equal(t, n, h.writes, "one write per explanation")
	return h.peak
}

// Issue 25, break 9: memory is bounded in the number of events. Ten
// times the events (0.4 MB, then 3.8 MB of JSON Lines; 0.3 MB, then 3.1
// MB of one alerts page) leave the live heap where it was, within 1 MiB:
// reading the input whole would add about 3 MB.
func TestExplainMemoryIsBoundedInEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("explains 4,400 events")
	}
	for _, page := range []bool{false, true} {
		small, large := explainPeakHeap(t, 200, page), explainPeakHeap(t, 2000, page)
		t.Logf("page %v: peak live heap %d kB for 200 events, %d kB for 2,000", page, small>>10, large>>10)
		assert.Less(t, large, small+1<<20, "page %v", page)
	}
}

// BenchmarkExplainGrowth reports the peak live heap for 100 to 10,000
// events: flat, where reading the input whole grew with it.
func BenchmarkExplainGrowth(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		for _, form := range []string{"lines", "page"} {
			b.Run(fmt.Sprintf("%s/%d", form, n), func(b *testing.B) {
				var peak uint64
				for b.Loop() {
					peak = max(peak, explainPeakHeap(b, n, form == "page"))
				}
				b.ReportMetric(float64(peak), "peak-heap-B")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/event")
			})
		}
	}
}

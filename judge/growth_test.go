package judge_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/internal/worstcase"
	"github.com/oosc-dev/oosc/judge"
)

// hostile are the worst-case answers, each with the content type it is
// judged as.
func hostile() []struct {
	kind  string
	ct    string
	in    oosc.Inbound
	shape worstcase.Shape
} {
	var all []struct {
		kind  string
		ct    string
		in    oosc.Inbound
		shape worstcase.Shape
	}
	for _, s := range worstcase.TwiML {
		all = append(all, struct {
			kind  string
			ct    string
			in    oosc.Inbound
			shape worstcase.Shape
		}{"twiml", "application/xml", oosc.Inbound{Channel: oosc.Voice, From: "+14155550100"}, s})
	}
	for _, s := range worstcase.JSON {
		all = append(all, struct {
			kind  string
			ct    string
			in    oosc.Inbound
			shape worstcase.Shape
		}{"json", "application/json", oosc.Inbound{Channel: oosc.SMS, From: "+14155550100"}, s})
	}
	return all
}

// BenchmarkJudgeGrowth judges each hostile answer at 1x, 10x, 100x (just
// under the 64 KB limit) and 1,000x its smallest size: ns/op grows
// linearly, and stays flat past the limit.
//
//	go test -run '^$' -bench JudgeGrowth -benchmem ./judge
func BenchmarkJudgeGrowth(b *testing.B) {
	for _, h := range hostile() {
		for _, n := range []int{630, 6300, 63000, 630000} {
			body := h.shape.Make(n)
			b.Run(fmt.Sprintf("%s/%s/%dB", h.kind, h.shape.Name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					judge.Body(h.ct, body, h.in, nil)
				}
			})
		}
	}
}

// The judge's memory grows in proportion to the answer, a bounded multiple
// of it, and an answer over the limit is refused unread.
func TestJudgeMemoryIsLinear(t *testing.T) {
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, h := range hostile() {
		t.Run(h.kind+"/"+h.shape.Name, func(t *testing.T) {
			small, large, over := h.shape.Make(6300), h.shape.Make(63000), h.shape.Make(630000)
			a := allocated(func() { judge.Body(h.ct, small, h.in, nil) })
			b := allocated(func() { judge.Body(h.ct, large, h.in, nil) })
			c := allocated(func() { judge.Body(h.ct, over, h.in, nil) })
			t.Logf("%d B: %d B; %d B: %d B; %d B: %d B", len(small), a, len(large), b, len(over), c)
			if limit := 48*uint64(len(large)) + 64<<10; b > limit {
				t.Errorf("%d bytes allocated for a %d-byte answer; want at most %d", b, len(large), limit)
			}
			if b > 20*a+64<<10 {
				t.Errorf("10x the input allocates %dx the memory (%d B, then %d B)", b/max(a, 1), a, b)
			}
			if c > 64<<10 {
				t.Errorf("an answer over the limit allocated %d B; it should be refused unread", c)
			}
		})
	}
}

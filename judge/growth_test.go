package judge_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/internal/worstcase"
	"github.com/oosc-dev/oosc/judge"
)

// answer is a worst-case answer, judged for an interaction as its content
// type says.
type answer struct {
	name  string // kind/shape, and the channel of a TwiML answer
	ct    string
	in    oosc.Inbound
	shape worstcase.Shape
}

// hostile are the worst-case answers: every TwiML shape judged for a call
// and for a message (each channel has verbs the other refuses), and every
// JSON shape.
func hostile() []answer {
	var all []answer
	for _, s := range worstcase.TwiML {
		for _, ch := range oosc.Channels() {
			all = append(all, answer{"twiml/" + string(ch) + "/" + s.Name, "application/xml", oosc.Inbound{Channel: ch, From: "+14155550100"}, s})
		}
	}
	for _, s := range worstcase.JSON {
		all = append(all, answer{"json/" + s.Name, "application/json", oosc.Inbound{Channel: oosc.SMS, From: "+14155550100"}, s})
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
			b.Run(fmt.Sprintf("%s/%dB", h.name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					judge.Body(h.ct, body, h.in, nil)
				}
			})
		}
	}
}

// The judge's memory grows in proportion to the answer, at most
// worstcase.AllocBound times it, and an answer over the limit is refused
// unread.
func TestJudgeMemoryIsLinear(t *testing.T) {
	// allocated measures with nothing pooled from before: two collections
	// empty a sync.Pool.
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, h := range hostile() {
		t.Run(h.name, func(t *testing.T) {
			small, large, over := h.shape.Make(6300), h.shape.Make(63000), h.shape.Make(630000)
			a := allocated(func() { judge.Body(h.ct, small, h.in, nil) })
			b := allocated(func() { judge.Body(h.ct, large, h.in, nil) })
			c := allocated(func() { judge.Body(h.ct, over, h.in, nil) })
			t.Logf("%d B: %d B; %d B: %d B, %.1fx; %d B: %d B", len(small), a, len(large), b, float64(b)/float64(len(large)), len(over), c)
			if limit := worstcase.AllocBound * uint64(len(large)); b > limit {
				t.Errorf("%d bytes allocated for a %d-byte answer; want at most %d (%dx)", b, len(large), limit, worstcase.AllocBound)
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

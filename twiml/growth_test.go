package twiml_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/internal/worstcase"
	"github.com/oosc-dev/oosc/twiml"
)

// growthSizes are 1x, 10x and 100x a small answer, the last just under
// Twilio's limit, and 1,000x, far over it.
var growthSizes = []int{630, 6300, 63000, 630000}

// BenchmarkValidateGrowth validates each hostile shape for each channel at
// 1x, 10x, 100x and 1,000x: ns/op grows linearly up to the limit, and
// stays flat past it, where the validator refuses without parsing.
//
//	go test -run '^$' -bench ValidateGrowth -benchmem ./twiml
func BenchmarkValidateGrowth(b *testing.B) {
	for _, shape := range worstcase.TwiML {
		for _, ch := range oosc.Channels() {
			for _, n := range growthSizes {
				doc := shape.Make(n)
				b.Run(fmt.Sprintf("%s/%s/%dB", shape.Name, ch, n), func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(len(doc)))
					for b.Loop() {
						twiml.Validate(doc, ch)
					}
				})
			}
		}
	}
}

// allocated returns the bytes f allocates, with nothing pooled from
// before: two collections empty a sync.Pool, so that the validator's
// arena is made anew, as on its first use.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Every hostile shape costs memory in proportion to its size, at most
// worstcase.AllocBound times it for either channel, and a document over
// the limit costs almost nothing: it is refused unread. (Time is shown by
// BenchmarkValidateGrowth; memory is what a test can measure without a
// clock.)
func TestValidateMemoryIsLinear(t *testing.T) {
	for _, shape := range worstcase.TwiML {
		for _, ch := range oosc.Channels() {
			t.Run(shape.Name+"/"+string(ch), func(t *testing.T) {
				small, large, over := shape.Make(6300), shape.Make(63000), shape.Make(630000)
				var problems int
				a := allocated(func() { twiml.Validate(small, ch) })
				b := allocated(func() { problems = len(twiml.Validate(large, ch).Problems) })
				c := allocated(func() { twiml.Validate(over, ch) })
				t.Logf("%d B: %d B allocated; %d B: %d B, %.1fx (%d problems); %d B: %d B", len(small), a, len(large), b, float64(b)/float64(len(large)), problems, len(over), c)
				if limit := worstcase.AllocBound * uint64(len(large)); b > limit {
					t.Errorf("%d bytes allocated for a %d-byte document; want at most %d (%dx)", b, len(large), limit, worstcase.AllocBound)
				}
				if b > 20*a+64<<10 {
					t.Errorf("10x the input allocates %dx the memory (%d B, then %d B)", b/max(a, 1), a, b)
				}
				if c > 64<<10 {
					t.Errorf("a document over the limit allocated %d B; it should be refused unread", c)
				}
				if problems > 101 {
					t.Errorf("%d problems; the report is capped", problems)
				}
			})
		}
	}
}

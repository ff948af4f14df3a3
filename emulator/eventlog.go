package emulator

import (
	"sort"
	"strconv"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
)

// eventLog is the events' log. It keeps three kinds of events apart, in
// three rings of the same bound, so that no flood of one kind pushes out
// another: faults (errors and 80905: a contact lost, such as 80913),
// expiries (80904, which the clock logs for every Session that expires,
// by the hundreds when it moves by days), and the other warnings (80908
// for every contact while a status callback fails, 80911, ...). Every
// event logged has a position, counted across the rings in the order
// logged (its Sid numbers it from 1), so that a position stays the same
// event however many are dropped, before it or around it.
type eventLog struct {
	rings [eventKinds]*ring[placed]
	total int // events logged
}

// placed is an event and its position in the log.
type placed struct {
	at int
	e  debugger.Event
}

// The kinds of events the log keeps apart.
const (
	kindFault = iota
	kindExpiry
	kindWarning
	eventKinds
)

// kindOf is the kind of events of code c.
func kindOf(c oosc.Code) int {
	switch {
	case fault(c):
		return kindFault
	case c == oosc.CodeExpiredSession:
		return kindExpiry
	}
	return kindWarning
}

// fault reports whether a code is a fault: an error, or 80905 (a warning
// in Twilio's catalogue, and a lost contact).
func fault(c oosc.Code) bool { return !c.Warning() || c == oosc.CodeUnknownScenario }

// isRoutine reports whether events of code c are routine: the expiries,
// which the page collapses into one row a run.
func isRoutine(c oosc.Code) bool { return kindOf(c) == kindExpiry }

func newEventLog(limit int) *eventLog {
	l := &eventLog{}
	for i := range l.rings {
		l.rings[i] = newRing[placed](limit)
	}
	return l
}

// push logs an event at the next position.
func (l *eventLog) push(e debugger.Event) {
	l.rings[kindOf(e.Code)].push(placed{l.total, e})
	l.total++
}

// held is how many events the log holds; dropped how many it no longer
// holds.
func (l *eventLog) held() int {
	n := 0
	for _, r := range l.rings {
		n += len(r.items)
	}
	return n
}

func (l *eventLog) dropped() int { return l.total - l.held() }

// after returns the events held at positions from to to (excluded),
// oldest first, at most n of them, and the position after the last one
// returned (from, when none is).
func (l *eventLog) after(from, to, n int) ([]debugger.Event, int) {
	var next [eventKinds]int // in each ring, the ring position of the next event to take
	for i, r := range l.rings {
		next[i] = firstAt(r, from)
	}
	var out []debugger.Event
	end := from
	for len(out) < n {
		best := -1
		var take *placed
		for i, r := range l.rings {
			if x := r.at(next[i]); x != nil && x.at < to && (take == nil || x.at < take.at) {
				best, take = i, x
			}
		}
		if take == nil {
			break
		}
		out, end = append(out, take.e), take.at+1
		next[best]++
	}
	return out, end
}

// slice returns the events held at positions from to to (excluded),
// oldest first.
func (l *eventLog) slice(from, to int) []debugger.Event {
	out, _ := l.after(from, to, l.held())
	return out
}

// all returns every event held, oldest first.
func (l *eventLog) all() []debugger.Event { return l.slice(0, l.total) }

// firstAt returns the ring position of the first event r holds at log
// position at or later; r's total when it holds none.
func firstAt(r *ring[placed], at int) int {
	first := r.dropped()
	return first + sort.Search(r.total-first, func(i int) bool { return r.at(first+i).at >= at })
}

// restore fills an empty log with the events of a state file, oldest
// first, logged after dropped others. Each event takes the position its
// Sid numbers when the Sids number the events in order up to the last
// position; otherwise (a file whose Sids were edited, or of version 1)
// the events take the latest positions, one after the other.
func (l *eventLog) restore(events []debugger.Event, dropped int) {
	l.total = dropped + len(events)
	at := make([]int, len(events))
	ordered := true
	for i, e := range events {
		at[i] = sidPosition(e.Sid)
		if at[i] < 0 || i > 0 && at[i] <= at[i-1] {
			ordered = false
		}
	}
	if len(events) > 0 && at[len(at)-1] != l.total-1 {
		ordered = false
	}
	for i, e := range events {
		if !ordered {
			at[i] = dropped + i
		}
		l.rings[kindOf(e.Code)].push(placed{at[i], e})
	}
}

// sidPosition is the position an event's Sid numbers (NO and 32 hex
// digits, counting from 1), -1 for a Sid of another shape.
func sidPosition(sid string) int {
	if !isSIDShaped(sid, "NO") {
		return -1
	}
	n, err := strconv.ParseUint(sid[2:], 16, 40)
	if err != nil || n == 0 {
		return -1
	}
	return int(n) - 1
}

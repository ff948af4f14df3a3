package emulator

import (
	"sort"
	"strconv"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
)

// eventLog is the events' log. It keeps the routine events (80904, which
// the clock logs for every Session that expires, by the hundreds when it
// moves by days) apart from the others, in two rings of the same bound,
// so that no flood of expiries can push out an 80905 or an 80913. Every
// event logged has a position, counted across both rings in the order
// logged (its Sid numbers it from 1), so that a position stays the same
// event however many are dropped, before it or around it.
type eventLog struct {
	routine, other *ring[placed]
	total          int // events logged
}

// placed is an event and its position in the log.
type placed struct {
	at int
	e  debugger.Event
}

// isRoutine reports whether events of code c go to the routine ring.
func isRoutine(c oosc.Code) bool { return c == oosc.CodeExpiredSession }

func newEventLog(limit int) *eventLog {
	return &eventLog{routine: newRing[placed](limit), other: newRing[placed](limit)}
}

func (l *eventLog) ringOf(c oosc.Code) *ring[placed] {
	if isRoutine(c) {
		return l.routine
	}
	return l.other
}

// push logs an event at the next position.
func (l *eventLog) push(e debugger.Event) {
	l.ringOf(e.Code).push(placed{l.total, e})
	l.total++
}

// held is how many events the log holds; dropped how many it no longer
// holds.
func (l *eventLog) held() int    { return len(l.routine.items) + len(l.other.items) }
func (l *eventLog) dropped() int { return l.total - l.held() }

// after returns the events held at positions from to to (excluded),
// oldest first, at most n of them, and the position after the last one
// returned (from, when none is).
func (l *eventLog) after(from, to, n int) ([]debugger.Event, int) {
	a, b := firstAt(l.routine, from), firstAt(l.other, from)
	var out []debugger.Event
	next := from
	for len(out) < n {
		x, y := l.routine.at(a), l.other.at(b)
		if x != nil && x.at >= to {
			x = nil
		}
		if y != nil && y.at >= to {
			y = nil
		}
		switch {
		case x == nil && y == nil:
			return out, next
		case y == nil || x != nil && x.at < y.at:
			out, next, a = append(out, x.e), x.at+1, a+1
		default:
			out, next, b = append(out, y.e), y.at+1, b+1
		}
	}
	return out, next
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
		l.ringOf(e.Code).push(placed{at[i], e})
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

package emulator

// ring keeps the latest entries of a log, at most max of them, and counts
// every entry it was given: entry i (from 0, in the order given) is held
// while total-max <= i < total, so that a position stays the same entry
// however many are dropped before it.
type ring[T any] struct {
	max   int
	items []T // circular once full: the oldest held is at start
	start int
	total int
}

func newRing[T any](limit int) *ring[T] { return &ring[T]{max: limit} }

// push adds an entry, dropping the oldest when the ring is full, and
// returns its position.
func (r *ring[T]) push(v T) int {
	if len(r.items) < r.max {
		r.items = append(r.items, v)
	} else {
		r.items[r.start] = v
		r.start = (r.start + 1) % r.max
	}
	r.total++
	return r.total - 1
}

// dropped is how many entries the ring dropped.
func (r *ring[T]) dropped() int { return r.total - len(r.items) }

// at returns the entry at position i, nil when it is not held.
func (r *ring[T]) at(i int) *T {
	first := r.dropped()
	if i < first || i >= r.total {
		return nil
	}
	return &r.items[(r.start+i-first)%len(r.items)]
}

// slice copies the held entries at positions from to to (excluded),
// clipped to what is held.
func (r *ring[T]) slice(from, to int) []T {
	from, to = max(from, r.dropped()), min(to, r.total)
	if from >= to {
		return nil
	}
	out := make([]T, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, *r.at(i))
	}
	return out
}

// all copies every entry held, oldest first.
func (r *ring[T]) all() []T { return r.slice(0, r.total) }

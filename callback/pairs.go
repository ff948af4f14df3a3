package callback

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// pair is one name=value of a form body, unescaped.
type pair struct{ name, value string }

// comparePairs orders pairs by name in byte order, then by value.
func comparePairs(x, y pair) int {
	if c := strings.Compare(x.name, y.name); c != 0 {
		return c
	}
	return strings.Compare(x.value, y.value)
}

// scratch is the per-request working memory of parsing and signing: the
// pairs and the signed bytes, reused across requests.
type scratch struct {
	pairs  []pair
	keys   []uint64 // the order of pairs, for the signature
	signed []byte
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{pairs: make([]pair, 0, 64), keys: make([]uint64, 0, 64), signed: make([]byte, 0, 4096)}
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// put returns s to the pool without keeping the request's strings alive.
func (s *scratch) put() {
	clear(s.pairs)
	s.pairs, s.keys, s.signed = s.pairs[:0], s.keys[:0], s.signed[:0]
	if cap(s.signed) > 64<<10 || cap(s.pairs) > 1024 {
		return // an outsized request: let it go
	}
	scratchPool.Put(s)
}

// maxFormParams is the limit url.ParseQuery applies (GODEBUG urlmaxqueryparams).
const maxFormParams = 10000

var errFormParams = errors.New("callback: too many form parameters")

// parsePairs parses a form body exactly as url.ParseQuery does, keeping the
// parameters in body order, and fails whenever url.ParseQuery would.
func parsePairs(body string, dst []pair) ([]pair, error) {
	if strings.Count(body, "&")+1 > maxFormParams {
		return dst, errFormParams
	}
	var err error
	for body != "" {
		var kv string
		kv, body, _ = strings.Cut(body, "&")
		if strings.Contains(kv, ";") {
			err = ErrMalformedForm
			continue
		}
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, err1 := unescape(k)
		if err1 != nil {
			err = ErrMalformedForm
			continue
		}
		v, err1 = unescape(v)
		if err1 != nil {
			err = ErrMalformedForm
			continue
		}
		dst = append(dst, pair{k, v})
	}
	return dst, err
}

// unescape is url.QueryUnescape without its allocation for a string that
// has nothing to unescape, the common case for Twilio's parameter names.
func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// formOf returns the pairs as url.Values, the values of a name in body order.
func formOf(ps []pair) url.Values {
	form := make(url.Values, len(ps))
	// One array holds every name's first value; each slice is capped at
	// its value, so that a second value (or a user's append) copies.
	firsts := make([]string, len(ps))
	for i, p := range ps {
		if vs, ok := form[p.name]; ok {
			form[p.name] = append(vs, p.value)
			continue
		}
		firsts[i] = p.value
		form[p.name] = firsts[i : i+1 : i+1]
	}
	return form
}

// appendPairs appends the signed form of ps to b, as appendParams does for
// url.Values: names in byte order, the values of a repeated name sorted and
// de-duplicated, name+value each. ps is left as it was; the order is kept
// in keys, which is returned for reuse.
func appendPairs(b []byte, ps []pair, keys []uint64) ([]byte, []uint64) {
	keys = sortPairs(ps, keys)
	size := 0
	for _, p := range ps {
		size += len(p.name) + len(p.value)
	}
	b = slices.Grow(b, size)
	var prev *pair
	for _, k := range keys {
		p := &ps[k&indexMask]
		if prev != nil && p.name == prev.name && p.value == prev.value {
			continue
		}
		b = append(b, p.name...)
		b = append(b, p.value...)
		prev = p
	}
	return b, keys
}

// indexMask keeps the index of a pair in the low bits of its sort key.
const indexMask = 1<<16 - 1

// sortPairs returns, in keys, the indexes of ps in comparePairs order.
// Sorting integers is the fast path: each key is 6 bytes of the name above
// the pair's index (the cost had been comparing long names with common
// prefixes, and moving pairs).
func sortPairs(ps []pair, keys []uint64) []uint64 {
	keys = keys[:0]
	if len(ps) > indexMask {
		slices.SortFunc(ps, comparePairs) // more pairs than url.ParseQuery allows: not a fast path
		for i := range ps {
			keys = append(keys, uint64(i))
		}
		return keys
	}
	for i := range ps {
		keys = append(keys, uint64(i))
	}
	sortFrom(ps, keys, 0)
	return keys
}

// sortFrom sorts keys by the names' bytes from off on; names that agree on
// those 6 bytes are sorted by the next 6, until the names are exhausted and
// the values decide.
func sortFrom(ps []pair, keys []uint64, off int) {
	for i, k := range keys {
		keys[i] = prefix6(ps[k&indexMask].name, off)<<16 | k&indexMask
	}
	slices.Sort(keys)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j]>>16 == keys[i]>>16 {
			j++
		}
		if j-i > 1 {
			run, longer := keys[i:j], false
			for _, k := range run {
				longer = longer || len(ps[k&indexMask].name) > off+6
			}
			if longer {
				sortFrom(ps, run, off+6)
			} else {
				slices.SortFunc(run, func(x, y uint64) int { return comparePairs(ps[x&indexMask], ps[y&indexMask]) })
			}
		}
		i = j
	}
}

// prefix6 returns bytes off to off+6 of s, big-endian, zero-padded.
func prefix6(s string, off int) uint64 {
	var k uint64
	for i := off; i < off+6; i++ {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}

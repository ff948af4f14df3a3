package callback

import (
	"cmp"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// pair is one name=value of a form body, unescaped.
type pair struct{ name, value string }

// scratch is the per-request working memory of parsing and signing: the
// pairs and the signed bytes, reused across requests.
type scratch struct {
	pairs  []pair
	signed []byte
}

var scratchPool = sync.Pool{New: func() any { return &scratch{pairs: make([]pair, 0, 64), signed: make([]byte, 0, 4096)} }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// put returns s to the pool without keeping the request's strings alive.
func (s *scratch) put() {
	clear(s.pairs)
	s.pairs, s.signed = s.pairs[:0], s.signed[:0]
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
	for _, p := range ps {
		form[p.name] = append(form[p.name], p.value)
	}
	return form
}

// appendPairs appends the signed form of ps to b, as appendParams does for
// url.Values: names in byte order, the values of a repeated name sorted and
// de-duplicated, name+value each. It sorts ps in place; a body already in
// order, as Twilio and url.Values.Encode write it, is sorted in one pass.
func appendPairs(b []byte, ps []pair) []byte {
	slices.SortFunc(ps, func(x, y pair) int {
		if c := strings.Compare(x.name, y.name); c != 0 {
			return c
		}
		return cmp.Compare(x.value, y.value)
	})
	size := 0
	for _, p := range ps {
		size += len(p.name) + len(p.value)
	}
	b = slices.Grow(b, size)
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		b = append(b, p.name...)
		b = append(b, p.value...)
	}
	return b
}

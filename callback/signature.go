// This file holds the X-Twilio-Signature algorithm as plain functions, usable
// without the handler: compute a signature, and verify one against several
// auth tokens and the URL variants Twilio may have signed.

package callback

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// SignatureHeader is the header Twilio signs its webhook requests with.
const SignatureHeader = "X-Twilio-Signature"

// Signature computes the X-Twilio-Signature of a request to rawURL (exactly
// as Twilio called it: scheme, host, path and query, not re-encoded) with
// the form parameters params (the body only, never the query). Parameter
// names are taken in byte order; the values of a repeated name are sorted
// and de-duplicated; each is appended as name+value. The result is the
// base64 HMAC-SHA1 of that string keyed with the auth token.
func Signature(authToken, rawURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(rawURL))
	mac.Write(appendParams(nil, params))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// appendParams appends the signed form of params to b: names in byte
// order, the values of each sorted and de-duplicated, name+value each.
func appendParams(b []byte, params url.Values) []byte {
	s := getScratch()
	defer s.put()
	s.pairs = formPairs(s.pairs, params)
	b, s.keys = appendPairs(b, s.pairs, s.keys)
	return b
}

// formPairs appends the pairs of form to dst, in map order.
func formPairs(dst []pair, form url.Values) []pair {
	for name, vs := range form {
		for _, v := range vs {
			dst = append(dst, pair{name, v})
		}
	}
	return dst
}

// VerifySignature reports whether signature is Twilio's signature of a form
// request to rawURL with params, under any of authTokens. It tries the URL
// as given, then with the default port added (when it has none) or removed
// (when it has one), as Twilio's own libraries do. Comparison is constant
// time. The error is ErrMissingSignature, ErrInvalidSignature or ErrNoAuthToken.
func VerifySignature(authTokens []string, rawURL string, params url.Values, signature string) error {
	return verify(authTokens, rawURL, signature, appendParams(nil, params))
}

// VerifySignatureBody verifies a request whose body is not a form (JSON):
// Twilio then adds bodySHA256, the hex SHA-256 of the body, to the URL's
// query and signs the URL alone. Both the hash and the signature must match.
func VerifySignatureBody(authTokens []string, rawURL string, body []byte, signature string) error {
	if err := checkBodyHash(rawURL, body); err != nil {
		return err
	}
	return verify(authTokens, rawURL, signature, nil)
}

// HasBodyHash reports whether rawURL's query has a bodySHA256 parameter
// (the exact name), which Twilio adds when the body it signs is not a form.
func HasBodyHash(rawURL string) bool {
	_, ok := bodyHashParam(rawURL)
	return ok
}

// bodyHashParam returns the value of the query parameter named exactly
// bodySHA256 (the first, if repeated) and whether there is one.
func bodyHashParam(rawURL string) (string, bool) {
	_, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return "", false
	}
	query, _, _ = strings.Cut(query, "#")
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		name, value, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if name != "bodySHA256" {
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		return value, true
	}
	return "", false
}

// checkBodyHash checks that the URL's bodySHA256 is the hex SHA-256 of body,
// and says what is wrong when it is not.
func checkBodyHash(rawURL string, body []byte) error {
	given, ok := bodyHashParam(rawURL)
	switch {
	case !ok:
		return &bodyHashError{"the URL has no bodySHA256 parameter"}
	case given == "":
		return &bodyHashError{"bodySHA256 is empty; Twilio sends the SHA-256 of the body as 64 hex digits"}
	}
	want := sha256.Sum256(body)
	got, err := hex.DecodeString(given)
	if err != nil || len(got) != sha256.Size {
		if b, err := base64.StdEncoding.DecodeString(given); err == nil && len(b) == sha256.Size {
			return &bodyHashError{"bodySHA256 is base64; Twilio sends the SHA-256 of the body as 64 hex digits"}
		}
		return &bodyHashError{fmt.Sprintf("bodySHA256 is not 64 hex digits (it has %d characters)", len(given))}
	}
	if !hmac.Equal(got, want[:]) {
		return &bodyHashError{"bodySHA256 is not the SHA-256 of the body received"}
	}
	return nil
}

// macCache keeps a pool of keyed HMAC-SHA1 states for each auth token, so
// that every Verifier, every Handler and the plain functions reuse them
// instead of keying a new HMAC per check. It holds at most maxCachedTokens
// tokens; a check under any other token keys a fresh HMAC.
var (
	macCache  sync.Map // token string -> *sync.Pool of hash.Hash
	macTokens atomic.Int32
)

const maxCachedTokens = 64

// macPool returns the pool of HMACs keyed with token, nil when the cache is full.
func macPool(token string) *sync.Pool {
	if p, ok := macCache.Load(token); ok {
		return p.(*sync.Pool)
	}
	if macTokens.Load() >= maxCachedTokens {
		return nil
	}
	key := []byte(token)
	p, loaded := macCache.LoadOrStore(token, &sync.Pool{New: func() any { return hmac.New(sha1.New, key) }})
	if !loaded {
		macTokens.Add(1)
	}
	return p.(*sync.Pool)
}

func verify(authTokens []string, rawURL, signature string, params []byte) error {
	if len(authTokens) == 0 {
		return ErrNoAuthToken
	}
	if signature == "" {
		return ErrMissingSignature
	}
	got := []byte(signature)
	candidates := [2]string{rawURL, portVariant(rawURL)}
	for _, token := range authTokens {
		if token == "" {
			continue
		}
		var mac hash.Hash
		pool := macPool(token)
		if pool != nil {
			mac = pool.Get().(hash.Hash)
		} else {
			mac = hmac.New(sha1.New, []byte(token))
		}
		ok := false
		for i, u := range candidates {
			if i > 0 && (u == "" || u == rawURL) {
				continue
			}
			mac.Reset()
			mac.Write([]byte(u))
			mac.Write(params)
			var sum [sha1.Size]byte
			var want [28]byte // base64 of 20 bytes
			base64.StdEncoding.Encode(want[:], mac.Sum(sum[:0]))
			if hmac.Equal(want[:], got) {
				ok = true
				break
			}
		}
		if pool != nil {
			pool.Put(mac)
		}
		if ok {
			return nil
		}
	}
	return &signatureError{urls: candidates, tokens: len(authTokens)}
}

// portVariant returns rawURL with its port removed, or with the scheme's
// default port added when it has none; "" when the URL has no authority or
// an unknown scheme without a port. Nothing else of the URL is changed.
func portVariant(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	hostStart := strings.LastIndexByte(authority, '@') + 1
	host := authority[hostStart:]
	portAt := -1
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		portAt = i
	}
	if portAt >= 0 {
		return scheme + "://" + authority[:hostStart] + host[:portAt] + tail
	}
	var port string
	switch strings.ToLower(scheme) {
	case "https":
		port = ":443"
	case "http":
		port = ":80"
	default:
		return ""
	}
	return scheme + "://" + authority + port + tail
}

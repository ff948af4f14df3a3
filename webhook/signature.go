// This file holds the X-Twilio-Signature algorithm as plain functions, usable
// without a Verifier: compute a signature, and verify one against several
// auth tokens and the URL variants Twilio may have signed.

package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/oosc-dev/oosc/internal/form"
)

// Header is the header Twilio signs its webhook requests with.
const Header = "X-Twilio-Signature"

// Sign returns the X-Twilio-Signature of a request to rawURL (exactly as
// Twilio calls it: scheme, host, path and query, not re-encoded) with the
// form parameters params (the body only, never the query). Parameter names
// are taken in byte order; the values of a repeated name are sorted and
// de-duplicated; each is appended as name+value. The result is the base64
// HMAC-SHA1 of the URL and that string, keyed with the auth token.
func Sign(authToken, rawURL string, params url.Values) string {
	s := newScratch()
	defer s.free()
	s.sign(params)
	s.url = append(s.url[:0], rawURL...)
	return base64.StdEncoding.EncodeToString(s.mac(hmac.New(sha1.New, []byte(authToken))))
}

// Verify reports whether signature is Twilio's signature of a form request
// to rawURL with params, under any of authTokens. It tries the URL as
// given, then with the default port added (when it has none) or removed
// (when it has one), as Twilio's own libraries do. Comparison is constant
// time. The error is ErrMissingSignature, ErrInvalidSignature or
// ErrNoAuthToken.
func Verify(authTokens []string, rawURL string, params url.Values, signature string) error {
	s := newScratch()
	defer s.free()
	s.sign(params)
	s.url = append(s.url[:0], rawURL...)
	return s.verify(keyring{tokens: authTokens}, signature)
}

// VerifyBody verifies a request whose body is not a form (JSON): Twilio
// then adds bodySHA256, the hex SHA-256 of the body, to the URL's query and
// signs the URL alone. Both the hash and the signature must match.
func VerifyBody(authTokens []string, rawURL string, body []byte, signature string) error {
	if err := checkBodyHash(rawURL, body); err != nil {
		return err
	}
	s := newScratch()
	defer s.free()
	s.signed = s.signed[:0] // the URL alone is signed
	s.url = append(s.url[:0], rawURL...)
	return s.verify(keyring{tokens: authTokens}, signature)
}

// keyring gives an HMAC-SHA1 keyed with each auth token. The plain
// functions key one per check (tokens); a Verifier keeps its keyed HMACs
// for reuse, a pool per token (pools), so that a check keys none.
type keyring struct {
	tokens []string
	pools  []*sync.Pool // of hash.Hash
}

func (k keyring) len() int {
	if k.pools != nil {
		return len(k.pools)
	}
	return len(k.tokens)
}

// mac returns an HMAC keyed with token i, ready for a message, or nil for
// an empty token.
func (k keyring) mac(i int) hash.Hash {
	if k.pools != nil {
		return k.pools[i].Get().(hash.Hash)
	}
	if k.tokens[i] == "" {
		return nil
	}
	return hmac.New(sha1.New, []byte(k.tokens[i]))
}

// done gives back an HMAC that mac returned, reset for the next message.
// (Its first Reset keeps the keyed state, so that the later ones restore
// it instead of hashing the key again.)
func (k keyring) done(i int, m hash.Hash) {
	if k.pools != nil {
		m.Reset()
		k.pools[i].Put(m)
	}
}

// macPool returns a pool of HMAC-SHA1s keyed with token.
func macPool(token string) *sync.Pool {
	key := []byte(token)
	return &sync.Pool{New: func() any { return hmac.New(sha1.New, key) }}
}

// scratch is the memory of one check, reused through a pool: the fields,
// the signed string and the MAC, so that a check allocates nothing per
// field.
type scratch struct {
	fields []form.Field // of a body, in body order
	names  []string     // of a url.Values
	values []string     // of one name of a url.Values, to sort
	signed []byte       // the sorted fields, each as name+value
	url    []byte       // the URL checked, as bytes for the HMAC
	sum    []byte       // the HMAC
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// maxKept is the largest scratch buffer put back in the pool: a bigger one
// (a form of many kilobytes) is left to the garbage collector.
const maxKept = 64 << 10

func newScratch() *scratch { return scratches.Get().(*scratch) }

func (s *scratch) free() {
	if cap(s.signed) > maxKept || cap(s.url) > maxKept || cap(s.fields) > maxKept/32 || cap(s.names) > maxKept/16 || cap(s.values) > maxKept/16 {
		return
	}
	// Drop the strings, which may hold a body, before the pool keeps them.
	clear(s.fields)
	clear(s.names)
	clear(s.values)
	s.fields, s.names, s.values = s.fields[:0], s.names[:0], s.values[:0]
	s.signed, s.url = s.signed[:0], s.url[:0]
	scratches.Put(s)
}

// sign builds the signed string of params: names in byte order, the
// values of a name sorted and de-duplicated, each appended as name+value.
// (The names are sorted as strings, as the floor in bench/ does: a sort of
// (name, value) fields, as signFields must do, takes about 1.5 times as
// long for the 55 fields of a call.)
func (s *scratch) sign(params url.Values) {
	s.names = s.names[:0]
	for name := range params {
		s.names = append(s.names, name)
	}
	slices.Sort(s.names)
	s.signed = s.signed[:0]
	for _, name := range s.names {
		values := params[name]
		if len(values) > 1 {
			s.values = append(s.values[:0], values...)
			slices.Sort(s.values)
			values = slices.Compact(s.values)
		}
		for _, v := range values {
			s.signed = append(s.signed, name...)
			s.signed = append(s.signed, v...)
		}
	}
}

// signFields builds the signed string of s.fields, as sign does that of
// a url.Values; it sorts s.fields.
func (s *scratch) signFields() {
	slices.SortFunc(s.fields, func(x, y form.Field) int {
		if c := strings.Compare(x.Name, y.Name); c != 0 {
			return c
		}
		return strings.Compare(x.Value, y.Value)
	})
	s.signed = s.signed[:0]
	for i, f := range s.fields {
		if i > 0 && f == s.fields[i-1] {
			continue
		}
		s.signed = append(s.signed, f.Name...)
		s.signed = append(s.signed, f.Value...)
	}
}

// mac returns the HMAC m (fresh or reset) of the URL and the signed
// string, in s.sum.
func (s *scratch) mac(m hash.Hash) []byte {
	m.Write(s.url)
	m.Write(s.signed)
	s.sum = m.Sum(s.sum[:0])
	return s.sum
}

// verify checks signature against the URL (s.url) and the signed string
// under each key, with the URL as given and with its default port added
// or removed, comparing in constant time.
func (s *scratch) verify(keys keyring, signature string) error {
	if keys.len() == 0 {
		return ErrNoAuthToken
	}
	if signature == "" {
		return ErrMissingSignature
	}
	if s.matches(keys, signature) {
		return nil
	}
	rawURL := string(s.url)
	urls := []string{rawURL}
	if v := portVariant(rawURL); v != "" && v != rawURL {
		s.url = append(s.url[:0], v...)
		if s.matches(keys, signature) {
			return nil
		}
		urls = append(urls, v)
	}
	return &signatureError{urls: urls, tokens: keys.len()}
}

// matches reports whether signature is the signature of the URL and the
// signed string under one of the keys, comparing in constant time.
func (s *scratch) matches(keys keyring, signature string) bool {
	got := []byte(signature)
	var want [28]byte // the base64 of an HMAC-SHA1
	for i := range keys.len() {
		m := keys.mac(i)
		if m == nil {
			continue
		}
		base64.StdEncoding.Encode(want[:], s.mac(m))
		keys.done(i, m)
		if hmac.Equal(want[:], got) {
			return true
		}
	}
	return false
}

// hasBodyHash reports whether rawURL's query has a bodySHA256 parameter
// (the exact name), which Twilio adds when the body it signs is not a form.
func hasBodyHash(rawURL string) bool {
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

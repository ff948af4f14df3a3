package webhook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/oosc-dev/oosc/internal/form"
)

// DefaultMaxBodyBytes is the default limit of a request body: a Twilio
// webhook is a few kilobytes of form fields.
const DefaultMaxBodyBytes = 64 << 10

// ProxyHeaders names the one family of forwarded headers that trusted
// reverse proxies write, and the only one a Verifier reads.
type ProxyHeaders int

// The families of forwarded headers.
const (
	// XForwardedHeaders: X-Forwarded-Proto and X-Forwarded-Host, as nginx,
	// HAProxy and most load balancers write them. The default.
	XForwardedHeaders ProxyHeaders = iota
	// ForwardedHeader: the Forwarded header of RFC 7239.
	ForwardedHeader
)

// String names the family.
func (h ProxyHeaders) String() string {
	if h == ForwardedHeader {
		return "Forwarded"
	}
	return "X-Forwarded"
}

// Options configure a [Verifier]. The zero value of each field is its
// documented default; a nil *Options is all defaults.
type Options struct {
	// PublicURL is the scheme and host Twilio calls, such as
	// https://hooks.example.com (with any path prefix a proxy strips). The
	// request URI, exactly as received, is appended to it. It is the
	// surest setting behind any proxy, load balancer or tunnel. Default:
	// the scheme from r.TLS and the host from r.Host, or from the
	// forwarded headers of a trusted proxy.
	PublicURL string
	// TrustedProxies are the networks of the reverse proxies whose
	// forwarded headers are believed, when the request comes directly
	// from one of them. Default: none; forwarded headers are ignored.
	//
	// Trust a proxy only if it writes the header family named by
	// ProxyHeaders itself, replacing what the client sent: a proxy that
	// passes a client's X-Forwarded-Host through (some load balancers do)
	// lets the client choose the URL that is verified, and with it replay
	// a signature made for another host of the same account. Behind such a
	// proxy, set PublicURL instead.
	TrustedProxies []netip.Prefix
	// ProxyHeaders is the one family of forwarded headers read from a
	// trusted proxy; the other family is ignored, so that a header the
	// proxy passes through from the client cannot win over the one it
	// writes. Default: XForwardedHeaders.
	ProxyHeaders ProxyHeaders
	// MaxBodyBytes limits the body read. Default (0): DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives a record for each request refused in the Verifier's
	// name ([Verifier.Reject]: its Middleware, and a callback.Handler or
	// debugger handler it guards), with the status and the reason: for a
	// signature mismatch, the URLs checked, the usual cause. Anyone can
	// send such requests, so at most one record per RejectionLogInterval
	// is at WARN; the others are at DEBUG and counted in the next WARN.
	// Phone numbers in it are masked. A panic in its handler is logged
	// with slog's default logger and the rejection still goes out.
	// Default: no logging.
	Logger *slog.Logger
	// RejectionLogInterval is the least time between two WARN records of
	// rejected requests. Default (0): DefaultRejectionLogInterval.
	RejectionLogInterval time.Duration
	// OnReject, if set, is called with each request refused in the
	// Verifier's name and why: an error of this package, whose text
	// names the URLs checked for a signature mismatch. It runs on the
	// request's goroutine, after the answer is written, and must not
	// block; a panic in it is logged with slog's default logger.
	OnReject func(r *http.Request, err error)
}

// Verifier checks the X-Twilio-Signature of webhook requests, for any
// Twilio webhook: as middleware ([Verifier.Middleware]) or step by step
// ([Verifier.ReadBody], [Verifier.Verify], [Verifier.Reject]). Make one
// with [NewVerifier]; it is safe for concurrent use. Printed or logged, it
// shows how many tokens it holds, never a token.
//
// The zero Verifier has no token: it refuses every request with
// ErrNoAuthToken, reads bodies up to DefaultMaxBodyBytes, and logs nothing.
type Verifier struct {
	// keys holds the tokens only inside HMACs keyed with them, so that no
	// printed form of a Verifier, even of a copy with every verb, can show
	// a token.
	keys    keyring
	public  string
	trusted []netip.Prefix
	headers ProxyHeaders
	maxBody int64
	logger  *slog.Logger
	onRej   func(*http.Request, error)
	rejects rejectLog
}

// NewVerifier returns a Verifier that accepts a signature made with any of
// authTokens (primary first: keep the previous token during a rotation).
// It returns an error for a configuration that cannot work: no token, an
// empty token, a PublicURL that is not an absolute http(s) URL without
// query, an unknown ProxyHeaders, a negative MaxBodyBytes or
// RejectionLogInterval. The Verifier keeps copies of the slices, so later
// edits to them change nothing.
func NewVerifier(authTokens []string, opts *Options) (*Verifier, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if len(authTokens) == 0 {
		return nil, fmt.Errorf("%w: NewVerifier needs at least one auth token", ErrNoAuthToken)
	}
	for i, t := range authTokens {
		if t == "" {
			return nil, fmt.Errorf("%w: auth token %d is empty", ErrNoAuthToken, i)
		}
	}
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("webhook: Options.PublicURL %q must be an absolute http(s) URL without query or user, such as https://hooks.example.com", o.PublicURL)
		}
	}
	if o.ProxyHeaders != XForwardedHeaders && o.ProxyHeaders != ForwardedHeader {
		return nil, fmt.Errorf("webhook: Options.ProxyHeaders %d is not XForwardedHeaders or ForwardedHeader", o.ProxyHeaders)
	}
	if o.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("webhook: Options.MaxBodyBytes %d is negative", o.MaxBodyBytes)
	}
	if o.RejectionLogInterval < 0 {
		return nil, fmt.Errorf("webhook: Options.RejectionLogInterval %v is negative", o.RejectionLogInterval)
	}
	pools := make([]*sync.Pool, len(authTokens))
	for i, t := range authTokens {
		pools[i] = macPool(t)
	}
	return &Verifier{
		keys: keyring{pools: pools}, public: strings.TrimSuffix(o.PublicURL, "/"),
		trusted: append([]netip.Prefix(nil), o.TrustedProxies...), headers: o.ProxyHeaders,
		maxBody: o.MaxBodyBytes, logger: o.Logger, onRej: o.OnReject,
		rejects: rejectLog{interval: o.RejectionLogInterval},
	}, nil
}

// String describes the Verifier without its tokens.
func (v *Verifier) String() string {
	if v == nil {
		return "webhook.Verifier(nil)"
	}
	return fmt.Sprintf("webhook.Verifier{tokens: %d (redacted), PublicURL: %q, TrustedProxies: %v, ProxyHeaders: %v, MaxBodyBytes: %d}",
		v.keys.len(), v.public, v.trusted, v.headers, v.limit())
}

// GoString is String, so that %#v prints no token either.
func (v *Verifier) GoString() string { return v.String() }

// LogValue describes the Verifier for slog without its tokens.
func (v *Verifier) LogValue() slog.Value {
	if v == nil {
		return slog.StringValue("nil")
	}
	return slog.GroupValue(slog.Int("tokens", v.keys.len()), slog.String("public_url", v.public),
		slog.Int("trusted_proxies", len(v.trusted)), slog.String("proxy_headers", v.headers.String()),
		slog.Int64("max_body_bytes", v.limit()))
}

// limit is the body limit: MaxBodyBytes, or its default.
func (v *Verifier) limit() int64 {
	if v.maxBody <= 0 {
		return DefaultMaxBodyBytes
	}
	return v.maxBody
}

// URL returns the URL Twilio called for r, as the signature covers it: the
// PublicURL and the request URI as received; else the scheme and host of
// the request, or, when it comes directly from a trusted proxy, from the
// one family of forwarded headers the Verifier reads. Of a list of values,
// across all lines of a header, the last is used: the one the nearest
// proxy wrote. A proto is used only when it is http or https, in any
// case; a host only when it has no space, slash or quote.
func (v *Verifier) URL(r *http.Request) string {
	return string(v.appendURL(nil, r, requestURI(r)))
}

// requestURI is r's request URI as received; for a request made in
// process with an absolute target, the URI of its URL.
func requestURI(r *http.Request) string {
	if uri := r.RequestURI; strings.HasPrefix(uri, "/") {
		return uri
	}
	return r.URL.RequestURI()
}

// appendURL appends the URL Twilio called for r, whose request URI is
// uri, to b.
func (v *Verifier) appendURL(b []byte, r *http.Request, uri string) []byte {
	if v.public != "" {
		return append(append(b, v.public...), uri...)
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if v.trusts(r) {
		var p, h string
		if v.headers == ForwardedHeader {
			p, h = forwarded(lastElement(r.Header.Values("Forwarded")))
		} else {
			p = lastElement(r.Header.Values("X-Forwarded-Proto"))
			h = lastElement(r.Header.Values("X-Forwarded-Host"))
		}
		if p = strings.ToLower(p); p == "http" || p == "https" {
			scheme = p
		}
		if h != "" && !strings.ContainsAny(h, " \t/\\\"") {
			host = h
		}
	}
	b = append(append(append(b, scheme...), "://"...), host...)
	return append(b, uri...)
}

// trusts reports whether r comes directly from a trusted proxy.
func (v *Verifier) trusts(r *http.Request) bool {
	if len(v.trusted) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range v.trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// lastElement returns the last element of a comma-separated header whose
// lines are lines: the one the nearest proxy wrote. Commas inside quoted
// strings (RFC 7239) do not separate elements.
func lastElement(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		start, quoted := 0, false
		for j := 0; j < len(line); j++ {
			switch line[j] {
			case '"':
				quoted = !quoted
			case ',':
				if !quoted {
					start = j + 1
				}
			}
		}
		if el := strings.TrimSpace(line[start:]); el != "" {
			return el
		}
	}
	return ""
}

// forwarded returns proto and host from one element of an RFC 7239
// Forwarded header, such as for=192.0.2.60;proto=https;host=example.com.
func forwarded(element string) (proto, host string) {
	for _, pair := range strings.Split(element, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "proto":
			proto = val
		case "host":
			host = val
		}
	}
	return proto, host
}

// ReadBody reads r's body, at most MaxBodyBytes of it: ErrBodyTooLarge
// past the limit (declared or read), ErrMalformedForm when the body cannot
// be read whole. w, if not nil, is told to close the connection after a
// body over the limit, as http.MaxBytesReader does.
func (v *Verifier) ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := v.limit()
	if r.ContentLength > limit {
		return nil, ErrBodyTooLarge
	}
	rd := http.MaxBytesReader(w, r.Body, limit)
	var body []byte
	var err error
	if n := r.ContentLength; n >= 0 {
		// Read the declared length into a buffer of that size, then
		// check that nothing follows.
		body = make([]byte, n)
		if _, err = io.ReadFull(rd, body); err == nil {
			var extra [1]byte
			if k, _ := rd.Read(extra[:]); k > 0 {
				err = errors.New("webhook: body longer than its Content-Length")
			}
		}
	} else {
		body, err = io.ReadAll(rd)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrBodyTooLarge
		}
		return nil, ErrMalformedForm
	}
	return body, nil
}

// Verify checks the signature of r, whose body (already read) is body: a
// form, or, when the URL carries bodySHA256, any bytes whose hash it
// gives. A body that is neither (a text/plain body without bodySHA256) is
// refused with ErrUnsupportedMediaType, as Twilio signs no such request.
func (v *Verifier) Verify(r *http.Request, body []byte) error {
	if v.keys.len() == 0 {
		return ErrNoAuthToken
	}
	uri := requestURI(r)
	s := newScratch()
	defer s.free()
	if hasBodyHash(uri) {
		sig := r.Header.Get(Header)
		if sig == "" {
			return ErrMissingSignature
		}
		if err := checkBodyHash(uri, body); err != nil {
			return err
		}
		s.signed = s.signed[:0] // the URL alone is signed
		s.url = v.appendURL(s.url[:0], r, uri)
		return s.verify(v.keys, sig)
	}
	if !isForm(r) {
		return ErrUnsupportedMediaType
	}
	var err error
	if s.fields, err = form.Parse(s.fields[:0], body); err != nil {
		return ErrMalformedForm
	}
	sig := r.Header.Get(Header)
	if sig == "" {
		return ErrMissingSignature
	}
	s.signFields()
	s.url = v.appendURL(s.url[:0], r, uri)
	return s.verify(v.keys, sig)
}

// VerifyForm checks the signature of r, whose form body is already parsed
// into params (the body's parameters only, never the query's).
func (v *Verifier) VerifyForm(r *http.Request, params url.Values) error {
	if v.keys.len() == 0 {
		return ErrNoAuthToken
	}
	sig := r.Header.Get(Header)
	if sig == "" {
		return ErrMissingSignature
	}
	s := newScratch()
	defer s.free()
	s.sign(params)
	s.url = v.appendURL(s.url[:0], r, requestURI(r))
	return s.verify(v.keys, sig)
}

// Middleware returns a handler that verifies each request's signature
// before calling next, and answers as Twilio's own middleware does: 405
// for a method other than POST, 413 for a body over the limit, 415 for a
// body that is neither a form nor hashed in the URL (bodySHA256), 400 for
// a missing signature or a malformed form, 403 for a signature that
// matches no token, 500 for the zero Verifier ([Verifier.Reject]). next
// receives a copy of the request whose body holds the same bytes, unread;
// the caller's request is not changed.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v.keys.len() == 0 {
			v.Reject(w, r, ErrNoAuthToken)
			return
		}
		if r.Method != http.MethodPost {
			v.Reject(w, r, ErrMethodNotAllowed)
			return
		}
		body, err := v.ReadBody(w, r)
		if err == nil {
			err = v.Verify(r, body)
		}
		if err != nil {
			v.Reject(w, r, err)
			return
		}
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		next.ServeHTTP(w, r2)
	})
}

// isForm reports whether the request's media type is a form, whatever
// its parameters (Twilio sends "application/x-www-form-urlencoded" or
// adds "; charset=utf-8").
func isForm(r *http.Request) bool {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

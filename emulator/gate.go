package emulator

import (
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/oosc-dev/oosc"
)

// The gates every request to the server passes, before its route: they
// keep a web page the developer visits from driving the emulator on
// their machine. See NewServer.

// gate refuses a request whose Host is not the emulator's (421), or that
// a web page of another origin sent (403).
func (s *server) gate(r *http.Request) *apiError {
	if !s.hostAllowed(r) {
		return &apiError{status: http.StatusMisdirectedRequest, code: oosc.CodePermissionDenied,
			message: "Host " + strings.TrimSpace(clip(r.Host)) + " is not this emulator's address or a loopback name (localhost, 127.0.0.1, [::1]); " +
				"call it by one of them, or allow the name (ServerOptions.AllowedHosts, oosc emulate --allow-host)"}
	}
	if origin, ok := r.Header["Origin"]; ok && !sameOrigin(r, origin) {
		return &apiError{status: http.StatusForbidden, code: oosc.CodePermissionDenied,
			message: "a request from the web page at " + clip(strings.Join(origin, ", ")) + " is refused: only the emulator's own pages may call it"}
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			return &apiError{status: http.StatusForbidden, code: oosc.CodePermissionDenied,
				message: "a " + r.Method + " from a " + clip(site) + " web page is refused"}
		}
	}
	return nil
}

// hostAllowed reports whether r's Host names the emulator: a loopback
// name or address, the address the request reached, or an allowed name.
func (s *server) hostAllowed(r *http.Request) bool {
	name := hostName(r.Host)
	if name == "" {
		return false
	}
	if strings.EqualFold(name, "localhost") {
		return true
	}
	if a, err := netip.ParseAddr(name); err == nil {
		if a.Unmap().IsLoopback() {
			return true
		}
		if local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			if ap, err := netip.ParseAddrPort(local.String()); err == nil && ap.Addr().Unmap() == a.Unmap() {
				return true
			}
		}
	}
	for _, allowed := range s.o.AllowedHosts {
		if strings.EqualFold(allowed, r.Host) || (hostName(allowed) == allowed && strings.EqualFold(allowed, name)) {
			return true
		}
	}
	return false
}

// hostName is the name or address of a Host, without its port or the
// brackets of an IPv6 address.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// sameOrigin reports whether an Origin header names the scheme, host and
// port r was sent to.
func sameOrigin(r *http.Request, origin []string) bool {
	if len(origin) != 1 {
		return false
	}
	u, err := url.Parse(origin[0])
	if err != nil || u.Host == "" || u.Path != "" || u.User != nil {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return u.Scheme == scheme && strings.EqualFold(withPort(u.Host, scheme), withPort(r.Host, scheme))
}

// withPort writes a host with its port, the scheme's default when none.
func withPort(host, scheme string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	port := "80"
	if scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(hostName(host), port)
}

// isJSONType reports whether a Content-Type is application/json, in
// UTF-8 when it names a charset.
func isJSONType(ct string) bool {
	if ct == "application/json" {
		return true
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

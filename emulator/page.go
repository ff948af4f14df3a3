package emulator

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
)

// The page at /: the state, as a developer keeps it open beside their app.

// The page's bounds: each table shows its latest (or first) rows, at most
// pageLimit, and says how many it leaves out; at most pageServices
// Services; and each text it shows at most pageText characters.
const (
	pageLimit    = 200
	pageServices = 10
	pageText     = 200
)

type pageModel struct {
	Now        time.Time
	Account    string
	Services   []pageService
	Hidden     pageHidden
	Deliveries []Delivery
	Events     []debugger.Event
}

type pageHidden struct{ Services, Deliveries, Events int }

type pageService struct {
	Service
	Numbers      []PhoneNumber
	HiddenNums   int // numbers not shown
	Sessions     []pageSession
	Hidden       int // Sessions not shown
	Interactions []Interaction
}

type pageSession struct {
	Session
	Expires time.Time // zero: never
}

// pageState copies what the page shows, under the lock: a bounded number
// of rows, whatever the state holds.
func (p *Proxy) pageState() pageModel {
	p.lock()
	defer p.mu.Unlock()
	m := pageModel{Now: p.now, Account: p.o.AccountSid}
	services := p.services
	if len(services) > pageServices {
		m.Hidden.Services, services = len(services)-pageServices, services[:pageServices]
	}
	for _, svc := range services {
		ps := pageService{Service: svc.view()}
		numbers := svc.numbers
		if len(numbers) > pageLimit {
			ps.HiddenNums, numbers = len(numbers)-pageLimit, numbers[:pageLimit]
		}
		for _, n := range numbers {
			ps.Numbers = append(ps.Numbers, n.view())
		}
		// The latest Sessions not deleted, newest first, walking back from
		// the newest only as far as needed.
		ps.Hidden = svc.live
		for i := len(svc.sessions) - 1; i >= 0 && len(ps.Sessions) < pageLimit; i-- {
			s := svc.sessions[i]
			if s.deleted {
				continue
			}
			ps.Hidden--
			v := pageSession{Session: s.view()}
			if at := s.expires(); s.active() {
				v.Expires = at
			}
			ps.Sessions = append(ps.Sessions, v)
			for j := len(s.interactions) - 1; j >= 0 && len(ps.Interactions) < pageLimit; j-- {
				it := *s.interactions[j]
				it.Data = clipText(it.Data)
				ps.Interactions = append(ps.Interactions, it)
			}
		}
		m.Services = append(m.Services, ps)
	}
	m.Deliveries, m.Hidden.Deliveries = newest(p.sent)
	for i := range m.Deliveries {
		m.Deliveries[i].Body = clipText(m.Deliveries[i].Body)
	}
	events, hidden := newest(p.events)
	for i := range events {
		e := cloneEvent(events[i])
		e.Text = clipText(e.Text)
		if x := e.Explanation; x != nil {
			x.Summary, x.Fix = clipText(x.Summary), clipText(x.Fix)
		}
		events[i] = e
	}
	m.Events, m.Hidden.Events = events, hidden
	return m
}

// newest returns the latest pageLimit entries of a log, newest first, and
// how many it leaves out, dropped ones included.
func newest[T any](r *ring[T]) ([]T, int) {
	out := r.slice(r.total-pageLimit, r.total)
	slices.Reverse(out)
	return out, r.total - len(out)
}

// clipText shortens a text the page shows to pageText characters.
func clipText(s string) string {
	if utf8.RuneCountInString(s) <= pageText {
		return s
	}
	return string([]rune(s)[:pageText]) + "…"
}

var pageFuncs = template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format(time.RFC3339)
	},
	"seconds": func(d time.Duration) string {
		if d == 0 {
			return "—"
		}
		return strconv.FormatInt(int64(d/time.Second), 10) + " s"
	},
	"fault": func(c oosc.Code) bool { return !c.Warning() || c == oosc.CodeUnknownScenario },
}

var pageTemplate = template.Must(template.New("page").Funcs(pageFuncs).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Proxy emulator</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code { font-size: 13px; }
.fault { background: #fde8e8; }
.muted { color: #777; }
</style>
</head>
<body>
<h1>Proxy emulator</h1>
<p>Account <code>{{.Account}}</code>. Virtual clock: <strong>{{time .Now}}</strong>. Reload to refresh.</p>
{{range .Services}}
<h2>Service {{with .UniqueName}}{{.}} {{end}}<code>{{.Sid}}</code></h2>
<p>Out-of-session callback: {{with .OutOfSessionCallbackURL}}<code>{{.}}</code>{{else}}<strong>none</strong> (every out-of-session contact fails with 80905){{end}}.
Intercept callback: {{with .InterceptCallbackURL}}<code>{{.}}</code>{{else}}none{{end}}.
Status callback: {{with .CallbackURL}}<code>{{.}}</code>{{else}}none{{end}}.
Default ttl: {{seconds .DefaultTTL}}.</p>
<h3>Number pool</h3>
{{if .Numbers}}<table><tr><th>number</th><th>SID</th><th>reserved</th><th>active Sessions</th></tr>
{{range .Numbers}}<tr><td>{{.Number}}</td><td><code>{{.Sid}}</code></td><td>{{if .Reserved}}yes{{end}}</td><td>{{.InUse}}</td></tr>
{{end}}</table>{{with .HiddenNums}}<p class="muted">and {{.}} more numbers.</p>{{end}}{{else}}<p class="muted">No numbers: every Session create fails with 80205.</p>{{end}}
<h3>Sessions</h3>
{{if .Sessions}}<table><tr><th>Session</th><th>status</th><th>mode</th><th>ttl</th><th>expires</th><th>Participants (identifier → proxy number)</th></tr>
{{range .Sessions}}<tr><td>{{with .UniqueName}}{{.}}<br>{{end}}<code>{{.Sid}}</code></td><td>{{.Status}}{{with .ClosedReason}} ({{.}}){{end}}</td><td>{{.Mode}}</td><td>{{seconds .TTL}}</td><td>{{time .Expires}}</td>
<td>{{range .Participants}}{{.Identifier}} → {{.ProxyIdentifier}}{{with .FriendlyName}} ({{.}}){{end}}<br>{{end}}</td></tr>
{{end}}</table>{{if .Hidden}}<p class="muted">and {{.Hidden}} older Sessions.</p>{{end}}{{else}}<p class="muted">No Sessions.</p>{{end}}
{{if .Interactions}}<h3>Latest Interactions</h3>
<table><tr><th>Interaction</th><th>Session</th><th>type</th><th>data</th><th>inbound → outbound</th><th>created</th></tr>
{{range .Interactions}}<tr><td><code>{{.Sid}}</code></td><td><code>{{.SessionSid}}</code></td><td>{{.Type}}</td><td><code>{{.Data}}</code></td><td><code>{{.InboundParticipantSid}}</code> → <code>{{.OutboundParticipantSid}}</code></td><td>{{time .Created}}</td></tr>
{{end}}</table>{{end}}
{{else}}<p>No Service yet: create one through the REST API (<code>POST /v1/Services</code>).</p>
{{end}}{{with .Hidden.Services}}<p class="muted">and {{.}} more Services (<code>GET /v1/Services</code>).</p>{{end}}
<h2>Deliveries</h2>
{{if .Deliveries}}<table><tr><th>at</th><th>to</th><th>shown from</th><th>channel</th><th>body</th><th>Session</th></tr>
{{range .Deliveries}}<tr><td>{{time .At}}</td><td>{{.To}}</td><td>{{.From}}</td><td>{{.Channel}}</td><td>{{.Body}}</td><td><code>{{.Session}}</code></td></tr>
{{end}}</table>{{with .Hidden.Deliveries}}<p class="muted">and {{.}} earlier.</p>{{end}}{{else}}<p class="muted">Nothing delivered yet.</p>{{end}}
<h2>Debugger</h2>
{{if .Events}}<table><tr><th>at</th><th>code</th><th>what</th><th>Session</th><th>from → to</th><th>why</th><th>what to do</th></tr>
{{range .Events}}<tr{{if fault .Code}} class="fault"{{end}}><td>{{time .Time}}</td><td><a href="{{.Code.URL}}">{{printf "%d" .Code}}</a></td><td>{{.Code.Title}}</td><td>{{.Session}}</td><td>{{.From}}{{if .To}} → {{.To}}{{end}}</td>
<td>{{if .Text}}{{.Text}}{{else if .Cause}}{{.Cause.Describe}}{{end}}{{with .Explanation}}<br><span class="muted">{{.Summary}}</span>{{end}}</td><td>{{with .Explanation}}{{.Fix}}{{end}}</td></tr>
{{end}}</table>{{with .Hidden.Events}}<p class="muted">and {{.}} earlier.</p>{{end}}{{else}}<p class="muted">Nothing logged: no 80905 so far.</p>{{end}}
</body>
</html>
`))

// page serves the page.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	if !s.mayControl(r) {
		writeError(w, &apiError{status: http.StatusUnauthorized, code: oosc.CodePermissionDenied, message: "Authenticate"})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: 20004, message: "Method not allowed"})
		return
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, s.p.pageState()); err != nil {
		writeError(w, &apiError{status: http.StatusInternalServerError, code: 20500, message: "the page could not be rendered"})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(b.Bytes())
	}
}

package twiliogo_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twilio/twilio-go/client/metadata"
	proxy "github.com/twilio/twilio-go/rest/proxy/v1"

	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/examples/twiliogo"
)

// fixture is what TestEveryProxyMethod creates and checks, step by step.
type fixture struct {
	t   *testing.T
	api *proxy.ApiService
	srv *httptest.Server

	ks, spareKS  string // the Services "rides" and "spare"
	pn1, pn2     string // the pool's numbers: by PhoneNumber, and an account number by Sid
	kc, kc2      string // the Sessions "ride-1" (rider and driver) and "ride-2"
	riderKP      string // ride-1's Participants
	driverKP     string
	driverProxy  string
	riderProxy   string
	courierKP    string // ride-2's Participants
	customerKP   string
	interactions []string // ride-1's routed contacts
	messages     []string // Message Interactions sent to the driver
}

// routeCounter counts the requests each REST operation of the emulator
// answered with success, by method and the path's shape.
type routeCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *routeCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if strings.HasPrefix(r.URL.Path, "/v1/") && rec.Code < 300 {
			// The route's shape: the path with its SIDs and names replaced.
			parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v1/"), "/")
			for i := 1; i < len(parts); i += 2 {
				parts[i] = "{}"
			}
			c.mu.Lock()
			c.n[r.Method+" /v1/"+strings.Join(parts, "/")]++
			c.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// status checks the HTTP status twilio-go saw, for a method WithMetadata.
func status[T any](t *testing.T, want int, m *metadata.ResourceMetadata[T]) T {
	t.Helper()
	require.NotNil(t, m)
	assert.Equal(t, want, m.GetStatusCode())
	return m.GetResource()
}

// drain collects a stream, failing on its error.
func drain[T any](t *testing.T, records chan T, errs chan error) []T {
	t.Helper()
	var out []T
	for r := range records {
		out = append(out, r)
	}
	for err := range errs {
		require.NoError(t, err)
	}
	return out
}

func sids[T any](items []T, sid func(T) *string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = *sid(it)
	}
	return out
}

func serviceSid(v proxy.ProxyV1Service) *string         { return v.Sid }
func numberSid(v proxy.ProxyV1PhoneNumber) *string      { return v.Sid }
func sessionSid(v proxy.ProxyV1Session) *string         { return v.Sid }
func participantSid(v proxy.ProxyV1Participant) *string { return v.Sid }
func interactionSid(v proxy.ProxyV1Interaction) *string { return v.Sid }
func messageSid(v proxy.ProxyV1MessageInteraction) *string {
	return v.Sid
}

// control posts JSON to the emulator's control API.
func (f *fixture) control(path string, v any) map[string]any {
	f.t.Helper()
	b, _ := json.Marshal(v)
	resp, err := http.Post(f.srv.URL+path, "application/json", strings.NewReader(string(b)))
	require.NoError(f.t, err)
	defer resp.Body.Close()
	require.Less(f.t, resp.StatusCode, 300)
	var m map[string]any
	require.NoError(f.t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}

// step is one call of one method of twilio-go's Proxy client.
type step struct {
	method string
	call   func(*testing.T, *fixture)
}

// steps call every method of twilio-go's proxy/v1 ApiService once, in an
// order where each finds what it needs, and check each result against
// what was created; a list or stream that comes back empty fails.
var steps = []step{
	// Services.
	{"CreateService", func(t *testing.T, f *fixture) {
		v, err := f.api.CreateService((&proxy.CreateServiceParams{}).SetUniqueName("rides").SetDefaultTtl(3600).
			SetCallbackUrl("https://app.example.com/status").SetNumberSelectionBehavior("avoid-sticky"))
		require.NoError(t, err)
		f.ks = *v.Sid
		assert.Equal(t, "rides", *v.UniqueName)
		assert.Equal(t, 3600, v.DefaultTtl)
		assert.Equal(t, "https://app.example.com/status", *v.CallbackUrl)
		assert.Equal(t, "avoid-sticky", *v.NumberSelectionBehavior)
		assert.Equal(t, "country", *v.GeoMatchLevel)
	}},
	{"CreateServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.CreateServiceWithMetadata((&proxy.CreateServiceParams{}).SetUniqueName("spare"))
		require.NoError(t, err)
		v := status(t, 201, m)
		f.spareKS = *v.Sid
		assert.Equal(t, "spare", *v.UniqueName)
	}},
	{"FetchService", func(t *testing.T, f *fixture) {
		v, err := f.api.FetchService(f.ks)
		require.NoError(t, err)
		assert.Equal(t, "rides", *v.UniqueName)
	}},
	{"FetchServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.FetchServiceWithMetadata("spare") // by unique name
		require.NoError(t, err)
		assert.Equal(t, f.spareKS, *status(t, 200, m).Sid)
	}},
	{"UpdateService", func(t *testing.T, f *fixture) {
		v, err := f.api.UpdateService(f.ks, (&proxy.UpdateServiceParams{}).SetDefaultTtl(7200))
		require.NoError(t, err)
		assert.Equal(t, 7200, v.DefaultTtl)
		assert.Equal(t, "rides", *v.UniqueName, "what the update does not name stays")
	}},
	{"UpdateServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.UpdateServiceWithMetadata(f.spareKS, (&proxy.UpdateServiceParams{}).SetGeoMatchLevel("area-code"))
		require.NoError(t, err)
		assert.Equal(t, "area-code", *status(t, 200, m).GeoMatchLevel)
	}},
	{"ListService", func(t *testing.T, f *fixture) {
		v, err := f.api.ListService(nil)
		require.NoError(t, err)
		assert.Equal(t, []string{f.ks, f.spareKS}, sids(v, serviceSid))
	}},
	{"ListServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.ListServiceWithMetadata((&proxy.ListServiceParams{}).SetPageSize(1))
		require.NoError(t, err)
		assert.Equal(t, []string{f.ks, f.spareKS}, sids(status(t, 200, m), serviceSid), "over two pages")
	}},
	{"PageService", func(t *testing.T, f *fixture) {
		v, err := f.api.PageService((&proxy.ListServiceParams{}).SetPageSize(1), "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.ks}, sids(v.Services, serviceSid))
		assert.Equal(t, "services", v.Meta.Key)
		require.NotNil(t, v.Meta.NextPageUrl)
	}},
	{"PageServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.PageServiceWithMetadata(nil, "", "")
		require.NoError(t, err)
		v := status(t, 200, m)
		assert.Equal(t, []string{f.ks, f.spareKS}, sids(v.Services, serviceSid))
		assert.Nil(t, v.Meta.NextPageUrl)
	}},
	{"StreamService", func(t *testing.T, f *fixture) {
		records, errs := f.api.StreamService((&proxy.ListServiceParams{}).SetPageSize(1))
		assert.Equal(t, []string{f.ks, f.spareKS}, sids(drain(t, records, errs), serviceSid))
	}},
	{"StreamServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, errs := f.api.StreamServiceWithMetadata((&proxy.ListServiceParams{}).SetLimit(1))
		assert.Equal(t, []string{f.ks}, sids(drain(t, status(t, 200, m), errs), serviceSid), "a limit of one")
	}},

	// Phone numbers: one by number, one of the account's by its SID.
	{"CreatePhoneNumber", func(t *testing.T, f *fixture) {
		v, err := f.api.CreatePhoneNumber(f.ks, (&proxy.CreatePhoneNumberParams{}).SetPhoneNumber(pool1))
		require.NoError(t, err)
		f.pn1 = *v.Sid
		assert.Equal(t, pool1, *v.PhoneNumber)
		assert.Equal(t, "US", *v.IsoCountry)
		assert.False(t, *v.IsReserved)
	}},
	{"CreatePhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		bought := f.control("/emulator/numbers", map[string]string{"number": pool2})
		m, err := f.api.CreatePhoneNumberWithMetadata(f.ks, (&proxy.CreatePhoneNumberParams{}).SetSid(bought["sid"].(string)))
		require.NoError(t, err)
		v := status(t, 201, m)
		f.pn2 = *v.Sid
		assert.Equal(t, bought["sid"], f.pn2)
		assert.Equal(t, pool2, *v.PhoneNumber)
	}},
	{"FetchPhoneNumber", func(t *testing.T, f *fixture) {
		v, err := f.api.FetchPhoneNumber(f.ks, f.pn1)
		require.NoError(t, err)
		assert.Equal(t, pool1, *v.PhoneNumber)
	}},
	{"FetchPhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.FetchPhoneNumberWithMetadata(f.ks, f.pn2)
		require.NoError(t, err)
		assert.Equal(t, pool2, *status(t, 200, m).PhoneNumber)
	}},
	{"UpdatePhoneNumber", func(t *testing.T, f *fixture) {
		v, err := f.api.UpdatePhoneNumber(f.ks, f.pn2, (&proxy.UpdatePhoneNumberParams{}).SetIsReserved(true))
		require.NoError(t, err)
		assert.True(t, *v.IsReserved)
	}},
	{"UpdatePhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.UpdatePhoneNumberWithMetadata(f.ks, f.pn2, (&proxy.UpdatePhoneNumberParams{}).SetIsReserved(false))
		require.NoError(t, err)
		assert.False(t, *status(t, 200, m).IsReserved)
	}},
	{"ListPhoneNumber", func(t *testing.T, f *fixture) {
		v, err := f.api.ListPhoneNumber(f.ks, nil)
		require.NoError(t, err)
		assert.Equal(t, []string{f.pn1, f.pn2}, sids(v, numberSid))
	}},
	{"ListPhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.ListPhoneNumberWithMetadata(f.ks, (&proxy.ListPhoneNumberParams{}).SetPageSize(1))
		require.NoError(t, err)
		assert.Equal(t, []string{f.pn1, f.pn2}, sids(status(t, 200, m), numberSid))
	}},
	{"PagePhoneNumber", func(t *testing.T, f *fixture) {
		v, err := f.api.PagePhoneNumber(f.ks, (&proxy.ListPhoneNumberParams{}).SetPageSize(1), "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.pn1}, sids(v.PhoneNumbers, numberSid))
		assert.Equal(t, "phone_numbers", v.Meta.Key)
	}},
	{"PagePhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.PagePhoneNumberWithMetadata(f.ks, nil, "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.pn1, f.pn2}, sids(status(t, 200, m).PhoneNumbers, numberSid))
	}},
	{"StreamPhoneNumber", func(t *testing.T, f *fixture) {
		records, errs := f.api.StreamPhoneNumber(f.ks, (&proxy.ListPhoneNumberParams{}).SetPageSize(1))
		assert.Equal(t, []string{f.pn1, f.pn2}, sids(drain(t, records, errs), numberSid))
	}},
	{"StreamPhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		m, errs := f.api.StreamPhoneNumberWithMetadata(f.ks, nil)
		assert.Equal(t, []string{f.pn1, f.pn2}, sids(drain(t, status(t, 200, m), errs), numberSid))
	}},

	// Sessions.
	{"CreateSession", func(t *testing.T, f *fixture) {
		v, err := f.api.CreateSession(f.ks, (&proxy.CreateSessionParams{}).SetUniqueName("ride-1").SetTtl(900).SetParticipants([]interface{}{
			map[string]interface{}{"Identifier": rider, "ProxyIdentifier": pool1},
			map[string]interface{}{"Identifier": driver, "FriendlyName": "driver-42"},
		}))
		require.NoError(t, err)
		f.kc = *v.Sid
		assert.Equal(t, "ride-1", *v.UniqueName)
		assert.Equal(t, "open", *v.Status)
		assert.Equal(t, 900, v.Ttl)
		assert.Equal(t, "voice-and-message", *v.Mode)
	}},
	{"CreateSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.CreateSessionWithMetadata(f.ks, (&proxy.CreateSessionParams{}).SetUniqueName("ride-2").SetMode("message-only").
			SetDateExpiry(start.Add(24*time.Hour)))
		require.NoError(t, err)
		v := status(t, 201, m)
		f.kc2 = *v.Sid
		assert.Equal(t, "message-only", *v.Mode)
		assert.Equal(t, start.Add(24*time.Hour), *v.DateExpiry)
	}},
	{"FetchSession", func(t *testing.T, f *fixture) {
		v, err := f.api.FetchSession(f.ks, f.kc)
		require.NoError(t, err)
		assert.Equal(t, "ride-1", *v.UniqueName)
	}},
	{"FetchSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.FetchSessionWithMetadata(f.ks, "ride-2") // by unique name
		require.NoError(t, err)
		assert.Equal(t, f.kc2, *status(t, 200, m).Sid)
	}},
	{"UpdateSession", func(t *testing.T, f *fixture) {
		v, err := f.api.UpdateSession(f.ks, f.kc, (&proxy.UpdateSessionParams{}).SetTtl(1800))
		require.NoError(t, err)
		assert.Equal(t, 1800, v.Ttl)
		assert.Equal(t, "open", *v.Status)
	}},
	{"UpdateSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.UpdateSessionWithMetadata(f.ks, f.kc2, (&proxy.UpdateSessionParams{}).SetTtl(600))
		require.NoError(t, err)
		assert.Equal(t, 600, status(t, 200, m).Ttl)
	}},
	{"ListSession", func(t *testing.T, f *fixture) {
		v, err := f.api.ListSession(f.ks, nil)
		require.NoError(t, err)
		assert.Equal(t, []string{f.kc, f.kc2}, sids(v, sessionSid))
	}},
	{"ListSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.ListSessionWithMetadata(f.ks, (&proxy.ListSessionParams{}).SetPageSize(1))
		require.NoError(t, err)
		assert.Equal(t, []string{f.kc, f.kc2}, sids(status(t, 200, m), sessionSid))
	}},
	{"PageSession", func(t *testing.T, f *fixture) {
		v, err := f.api.PageSession(f.ks, (&proxy.ListSessionParams{}).SetPageSize(1), "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.kc}, sids(v.Sessions, sessionSid))
		assert.Equal(t, "sessions", v.Meta.Key)
	}},
	{"PageSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.PageSessionWithMetadata(f.ks, nil, "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.kc, f.kc2}, sids(status(t, 200, m).Sessions, sessionSid))
	}},
	{"StreamSession", func(t *testing.T, f *fixture) {
		records, errs := f.api.StreamSession(f.ks, (&proxy.ListSessionParams{}).SetPageSize(1))
		assert.Equal(t, []string{f.kc, f.kc2}, sids(drain(t, records, errs), sessionSid))
	}},
	{"StreamSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, errs := f.api.StreamSessionWithMetadata(f.ks, nil)
		assert.Equal(t, []string{f.kc, f.kc2}, sids(drain(t, status(t, 200, m), errs), sessionSid))
	}},

	// Participants: ride-1's came with it; ride-2 gets two.
	{"CreateParticipant", func(t *testing.T, f *fixture) {
		v, err := f.api.CreateParticipant(f.ks, f.kc2, (&proxy.CreateParticipantParams{}).SetIdentifier("whatsapp:+16505550103").
			SetFriendlyName("courier"))
		require.NoError(t, err)
		f.courierKP = *v.Sid
		assert.Equal(t, "whatsapp:+16505550103", *v.Identifier)
		assert.Equal(t, "courier", *v.FriendlyName)
		assert.Nil(t, v.DateDeleted)
	}},
	{"CreateParticipantWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.CreateParticipantWithMetadata(f.ks, f.kc2, (&proxy.CreateParticipantParams{}).SetIdentifier("+16505550104").
			SetProxyIdentifierSid(f.pn2))
		require.NoError(t, err)
		v := status(t, 201, m)
		f.customerKP = *v.Sid
		assert.Equal(t, pool2, *v.ProxyIdentifier)
		assert.Equal(t, f.pn2, *v.ProxyIdentifierSid)
	}},
	{"ListParticipant", func(t *testing.T, f *fixture) {
		v, err := f.api.ListParticipant(f.ks, f.kc, nil)
		require.NoError(t, err)
		require.Len(t, v, 2)
		f.riderKP, f.driverKP = *v[0].Sid, *v[1].Sid
		f.riderProxy, f.driverProxy = *v[0].ProxyIdentifier, *v[1].ProxyIdentifier
		assert.Equal(t, []string{rider, driver}, []string{*v[0].Identifier, *v[1].Identifier})
		assert.Equal(t, pool1, f.riderProxy)
	}},
	{"ListParticipantWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.ListParticipantWithMetadata(f.ks, f.kc2, (&proxy.ListParticipantParams{}).SetPageSize(1))
		require.NoError(t, err)
		assert.Equal(t, []string{f.courierKP, f.customerKP}, sids(status(t, 200, m), participantSid))
	}},
	{"FetchParticipant", func(t *testing.T, f *fixture) {
		v, err := f.api.FetchParticipant(f.ks, f.kc, f.driverKP)
		require.NoError(t, err)
		assert.Equal(t, "driver-42", *v.FriendlyName)
		assert.Equal(t, f.kc, *v.SessionSid)
	}},
	{"FetchParticipantWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.FetchParticipantWithMetadata(f.ks, f.kc2, f.courierKP)
		require.NoError(t, err)
		assert.Equal(t, "courier", *status(t, 200, m).FriendlyName)
	}},
	{"PageParticipant", func(t *testing.T, f *fixture) {
		v, err := f.api.PageParticipant(f.ks, f.kc, (&proxy.ListParticipantParams{}).SetPageSize(1), "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.riderKP}, sids(v.Participants, participantSid))
		assert.Equal(t, "participants", v.Meta.Key)
	}},
	{"PageParticipantWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.PageParticipantWithMetadata(f.ks, f.kc, nil, "", "")
		require.NoError(t, err)
		assert.Equal(t, []string{f.riderKP, f.driverKP}, sids(status(t, 200, m).Participants, participantSid))
	}},
	{"StreamParticipant", func(t *testing.T, f *fixture) {
		records, errs := f.api.StreamParticipant(f.ks, f.kc, (&proxy.ListParticipantParams{}).SetPageSize(1))
		assert.Equal(t, []string{f.riderKP, f.driverKP}, sids(drain(t, records, errs), participantSid))
	}},
	{"StreamParticipantWithMetadata", func(t *testing.T, f *fixture) {
		m, errs := f.api.StreamParticipantWithMetadata(f.ks, f.kc2, nil)
		assert.Equal(t, []string{f.courierKP, f.customerKP}, sids(drain(t, status(t, 200, m), errs), participantSid))
	}},

	// Interactions: a routed message and a routed call, through the
	// control API.
	{"ListInteraction", func(t *testing.T, f *fixture) {
		r := f.control("/emulator/inbound", map[string]string{"service": f.ks, "channel": "sms", "from": rider, "to": f.riderProxy, "body": "on my way"})
		require.Equal(t, "routed", r["outcome"], "%v", r)
		r = f.control("/emulator/inbound", map[string]string{"service": f.ks, "channel": "voice", "from": driver, "to": f.driverProxy})
		require.Equal(t, "routed", r["outcome"], "%v", r)
		v, err := f.api.ListInteraction(f.ks, f.kc, nil)
		require.NoError(t, err)
		require.Len(t, v, 2)
		f.interactions = sids(v, interactionSid)
		assert.Equal(t, "message", *v[0].Type)
		assert.Equal(t, `{"body":"on my way"}`, *v[0].Data)
		assert.Equal(t, f.riderKP, *v[0].InboundParticipantSid)
		assert.Equal(t, f.driverKP, *v[0].OutboundParticipantSid)
		assert.Equal(t, "voice", *v[1].Type)
		assert.Equal(t, "Call", *v[1].InboundResourceType)
	}},
	{"ListInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.ListInteractionWithMetadata(f.ks, f.kc, (&proxy.ListInteractionParams{}).SetPageSize(1))
		require.NoError(t, err)
		assert.Equal(t, f.interactions, sids(status(t, 200, m), interactionSid))
	}},
	{"FetchInteraction", func(t *testing.T, f *fixture) {
		v, err := f.api.FetchInteraction(f.ks, f.kc, f.interactions[0])
		require.NoError(t, err)
		assert.Equal(t, `{"body":"on my way"}`, *v.Data)
	}},
	{"FetchInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.FetchInteractionWithMetadata(f.ks, f.kc, f.interactions[1])
		require.NoError(t, err)
		assert.Equal(t, "voice", *status(t, 200, m).Type)
	}},
	{"PageInteraction", func(t *testing.T, f *fixture) {
		v, err := f.api.PageInteraction(f.ks, f.kc, (&proxy.ListInteractionParams{}).SetPageSize(1), "", "")
		require.NoError(t, err)
		assert.Equal(t, f.interactions[:1], sids(v.Interactions, interactionSid))
		assert.Equal(t, "interactions", v.Meta.Key)
	}},
	{"PageInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.PageInteractionWithMetadata(f.ks, f.kc, nil, "", "")
		require.NoError(t, err)
		assert.Equal(t, f.interactions, sids(status(t, 200, m).Interactions, interactionSid))
	}},
	{"StreamInteraction", func(t *testing.T, f *fixture) {
		records, errs := f.api.StreamInteraction(f.ks, f.kc, (&proxy.ListInteractionParams{}).SetPageSize(1))
		assert.Equal(t, f.interactions, sids(drain(t, records, errs), interactionSid))
	}},
	{"StreamInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, errs := f.api.StreamInteractionWithMetadata(f.ks, f.kc, nil)
		assert.Equal(t, f.interactions, sids(drain(t, status(t, 200, m), errs), interactionSid))
	}},

	// Message Interactions: two messages to the driver.
	{"CreateMessageInteraction", func(t *testing.T, f *fixture) {
		v, err := f.api.CreateMessageInteraction(f.ks, f.kc, f.driverKP, (&proxy.CreateMessageInteractionParams{}).SetBody("Your rider is waiting"))
		require.NoError(t, err)
		f.messages = append(f.messages, *v.Sid)
		assert.Equal(t, f.driverKP, *v.ParticipantSid)
		assert.Equal(t, `{"body":"Your rider is waiting"}`, *v.Data)
		assert.Nil(t, v.InboundParticipantSid)
		assert.Equal(t, "Message", *v.OutboundResourceType)
	}},
	{"CreateMessageInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.CreateMessageInteractionWithMetadata(f.ks, f.kc, f.driverKP, (&proxy.CreateMessageInteractionParams{}).
			SetBody("A map").SetMediaUrl([]string{"https://example.com/map.png"}))
		require.NoError(t, err)
		v := status(t, 200, m)
		f.messages = append(f.messages, *v.Sid)
		assert.Equal(t, `{"body":"A map"}`, *v.Data)
	}},
	{"FetchMessageInteraction", func(t *testing.T, f *fixture) {
		v, err := f.api.FetchMessageInteraction(f.ks, f.kc, f.driverKP, f.messages[0])
		require.NoError(t, err)
		assert.Equal(t, `{"body":"Your rider is waiting"}`, *v.Data)
	}},
	{"FetchMessageInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.FetchMessageInteractionWithMetadata(f.ks, f.kc, f.driverKP, f.messages[1])
		require.NoError(t, err)
		assert.Equal(t, f.messages[1], *status(t, 200, m).Sid)
	}},
	{"ListMessageInteraction", func(t *testing.T, f *fixture) {
		v, err := f.api.ListMessageInteraction(f.ks, f.kc, f.driverKP, nil)
		require.NoError(t, err)
		assert.Equal(t, f.messages, sids(v, messageSid))
	}},
	{"ListMessageInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.ListMessageInteractionWithMetadata(f.ks, f.kc, f.driverKP, (&proxy.ListMessageInteractionParams{}).SetPageSize(1))
		require.NoError(t, err)
		assert.Equal(t, f.messages, sids(status(t, 200, m), messageSid))
	}},
	{"PageMessageInteraction", func(t *testing.T, f *fixture) {
		v, err := f.api.PageMessageInteraction(f.ks, f.kc, f.driverKP, (&proxy.ListMessageInteractionParams{}).SetPageSize(1), "", "")
		require.NoError(t, err)
		assert.Equal(t, f.messages[:1], sids(v.Interactions, messageSid))
		assert.Equal(t, "interactions", v.Meta.Key)
	}},
	{"PageMessageInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.PageMessageInteractionWithMetadata(f.ks, f.kc, f.driverKP, nil, "", "")
		require.NoError(t, err)
		assert.Equal(t, f.messages, sids(status(t, 200, m).Interactions, messageSid))
	}},
	{"StreamMessageInteraction", func(t *testing.T, f *fixture) {
		records, errs := f.api.StreamMessageInteraction(f.ks, f.kc, f.driverKP, (&proxy.ListMessageInteractionParams{}).SetPageSize(1))
		assert.Equal(t, f.messages, sids(drain(t, records, errs), messageSid))
	}},
	{"StreamMessageInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, errs := f.api.StreamMessageInteractionWithMetadata(f.ks, f.kc, f.driverKP, nil)
		assert.Equal(t, f.messages, sids(drain(t, status(t, 200, m), errs), messageSid))
	}},

	// Deletes, each checked by what is left.
	{"DeleteInteraction", func(t *testing.T, f *fixture) {
		require.NoError(t, f.api.DeleteInteraction(f.ks, f.kc, f.interactions[0]))
		_, err := f.api.FetchInteraction(f.ks, f.kc, f.interactions[0])
		assert.Equal(t, 20404, restError(t, err).Code)
	}},
	{"DeleteInteractionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.DeleteInteractionWithMetadata(f.ks, f.kc, f.interactions[1])
		require.NoError(t, err)
		status(t, 204, m)
		v, err := f.api.ListInteraction(f.ks, f.kc, nil)
		require.NoError(t, err)
		assert.Equal(t, f.messages, sids(v, interactionSid), "the Message Interactions are left")
	}},
	{"DeleteParticipant", func(t *testing.T, f *fixture) {
		require.NoError(t, f.api.DeleteParticipant(f.ks, f.kc2, f.courierKP))
		v, err := f.api.FetchParticipant(f.ks, f.kc2, f.courierKP)
		require.NoError(t, err, "a removed Participant stays in its Session")
		assert.NotNil(t, v.DateDeleted)
	}},
	{"DeleteParticipantWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.DeleteParticipantWithMetadata(f.ks, f.kc2, f.customerKP)
		require.NoError(t, err)
		status(t, 200, m)
		v, err := f.api.FetchParticipant(f.ks, f.kc2, f.customerKP)
		require.NoError(t, err)
		assert.NotNil(t, v.DateDeleted)
	}},
	{"DeleteSession", func(t *testing.T, f *fixture) {
		require.NoError(t, f.api.DeleteSession(f.ks, f.kc2))
		v, err := f.api.ListSession(f.ks, nil)
		require.NoError(t, err)
		assert.Equal(t, []string{f.kc}, sids(v, sessionSid))
	}},
	{"DeleteSessionWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.DeleteSessionWithMetadata(f.ks, f.kc)
		require.NoError(t, err)
		status(t, 204, m)
		_, err = f.api.FetchSession(f.ks, f.kc)
		assert.Equal(t, 20404, restError(t, err).Code)
	}},
	{"DeletePhoneNumber", func(t *testing.T, f *fixture) {
		require.NoError(t, f.api.DeletePhoneNumber(f.ks, f.pn1))
		v, err := f.api.ListPhoneNumber(f.ks, nil)
		require.NoError(t, err)
		assert.Equal(t, []string{f.pn2}, sids(v, numberSid))
	}},
	{"DeletePhoneNumberWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.DeletePhoneNumberWithMetadata(f.ks, f.pn2)
		require.NoError(t, err)
		status(t, 204, m)
		_, err = f.api.FetchPhoneNumber(f.ks, f.pn2)
		assert.Equal(t, 20404, restError(t, err).Code)
	}},
	{"DeleteServiceWithMetadata", func(t *testing.T, f *fixture) {
		m, err := f.api.DeleteServiceWithMetadata(f.spareKS)
		require.NoError(t, err)
		status(t, 204, m)
		v, err := f.api.ListService(nil)
		require.NoError(t, err)
		assert.Equal(t, []string{f.ks}, sids(v, serviceSid))
	}},
	{"DeleteService", func(t *testing.T, f *fixture) {
		require.NoError(t, f.api.DeleteService(f.ks))
		_, err := f.api.FetchService(f.ks)
		assert.Equal(t, 20404, restError(t, err).Code)
	}},
}

// TestEveryProxyMethod calls every Proxy method of twilio-go (create,
// fetch, update, list, page and stream, delete of every resource, and
// each one's WithMetadata form) once against the emulator, and checks
// each result against what was created. It fails when twilio-go has a
// method no step calls, or a step names no method of twilio-go.
func TestEveryProxyMethod(t *testing.T) {
	var methods []string
	typ := reflect.TypeOf(&proxy.ApiService{})
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; name != "RequestHandler" {
			methods = append(methods, name)
		}
	}
	var called []string
	for _, s := range steps {
		called = append(called, s.method)
	}
	slices.Sort(methods)
	slices.Sort(called)
	require.Equal(t, methods, called, "every method of twilio-go's proxy/v1 ApiService, each called once")

	p := emulator.New(&emulator.Options{AccountSid: account, AuthToken: token, Start: start})
	t.Cleanup(p.Close)
	routes := &routeCounter{n: map[string]int{}}
	srv := httptest.NewServer(routes.wrap(emulator.NewServer(p, nil)))
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	f := &fixture{api: twiliogo.NewProxyClient(base, account, token), srv: srv}
	for _, s := range steps {
		ok := t.Run(s.method, func(t *testing.T) {
			f.t = t
			s.call(t, f)
		})
		require.True(t, ok, "%s failed; the steps after it need what it makes", s.method)
	}
	t.Logf("%d methods of twilio-go called; the emulator answered %d REST operations with success", len(steps), len(routes.n))
	assert.Len(t, routes.n, 25, "every operation of Proxy's REST API was answered with success: %v", routes.n)
}

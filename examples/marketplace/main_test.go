package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

const (
	tok      = "marketplace-test-token"
	proxyNum = "+14155550199"
	ben      = "+14155550101" // buyer: asked about the sofa last
	ana      = "+14155550181" // seller of the bike
	dev      = "+14155550182" // seller of the sofa
	stranger = "+14155550160"
)

// database is one of the databases the tests run on.
type database struct {
	name string
	// env returns the environment that gives run a fresh database of this
	// kind; replicas started with the same env share it.
	env func(t *testing.T) map[string]string
}

// databases are SQLite, always, and PostgreSQL when
// OOSC_TEST_DATABASE_URL names a server the tests may create databases on
// (.ci/run starts one and sets it, with OOSC_REQUIRE_POSTGRES=1, so that
// CI fails rather than skip it).
func databases(t *testing.T) []database {
	all := []database{{"sqlite", func(t *testing.T) map[string]string {
		return map[string]string{"MARKETPLACE_DB": filepath.Join(t.TempDir(), "marketplace.db")}
	}}}
	admin := os.Getenv("OOSC_TEST_DATABASE_URL")
	if admin == "" {
		if os.Getenv("OOSC_REQUIRE_POSTGRES") == "1" {
			t.Fatal("OOSC_REQUIRE_POSTGRES=1 but OOSC_TEST_DATABASE_URL is not set")
		}
		t.Log("PostgreSQL not tested here: set OOSC_TEST_DATABASE_URL (bash .ci/run does)")
		return all
	}
	return append(all, database{"postgres", func(t *testing.T) map[string]string {
		return map[string]string{"DATABASE_URL": freshPostgres(t, admin)}
	}})
}

var dbSeq atomic.Int64

// freshPostgres creates a database for one test on the server of admin,
// dropped when the test ends, and returns its URL.
func freshPostgres(t *testing.T, admin string) string {
	t.Helper()
	db, err := sql.Open("pgx", admin)
	require.NoError(t, err)
	name := fmt.Sprintf("marketplace_%d_%d", os.Getpid(), dbSeq.Add(1))
	_, err = db.Exec("CREATE DATABASE " + name)
	require.NoError(t, err, "creating a test database on %s", redactURL(admin))
	t.Cleanup(func() {
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		db.Close()
	})
	u, err := url.Parse(admin)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a malformed URL)"
	}
	return u.Redacted()
}

// start runs the marketplace on a free loopback port with the database of
// env, until the test ends.
func start(t *testing.T, env map[string]string) string {
	t.Helper()
	env = maps.Clone(env)
	env["OOSC_ADDR"] = "127.0.0.1:0"
	env["TWILIO_AUTH_TOKEN"] = tok
	if env["DATABASE_URL"] == "" && env["MARKETPLACE_DB"] == "" {
		env["MARKETPLACE_DB"] = filepath.Join(t.TempDir(), "marketplace.db")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var logs callbacktest.Logs
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, &logs, &logs, func(b string) { ready <- b })
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("marketplace stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("marketplace did not start")
	}
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "graceful shutdown")
	})
	return base + path
}

// The flows a marketplace meets, through the Proxy emulator over real
// HTTP, on each database.
func TestMarketplaceThroughTheEmulator(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) { flows(t, start(t, db.env(t))) })
	}
}

func flows(t *testing.T, u string) {
	t0 := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	var p *emulator.Proxy // a new Proxy Service for each flow
	const svc = "marketplace"
	newProxy := func(t *testing.T) {
		p = emulator.New(&emulator.Options{AuthToken: tok, Start: t0})
		t.Cleanup(p.Close)
		_, err := p.CreateService(emulator.ServiceConfig{UniqueName: svc, OutOfSessionCallbackURL: u})
		require.NoError(t, err)
		for _, n := range []string{proxyNum, "+14155550198"} {
			_, err := p.AddNumber(svc, emulator.NewPhoneNumber{Number: n})
			require.NoError(t, err)
		}
	}
	ctx := context.Background()
	contact := func(in oosc.Inbound) emulator.Result {
		r, err := p.Inbound(ctx, svc, in)
		require.NoError(t, err)
		return r
	}
	text := func(from string) emulator.Result {
		return contact(oosc.Inbound{Channel: oosc.SMS, From: from, To: proxyNum, Body: "is it still available?"})
	}

	t.Run("a buyer with no Session is connected with the seller from the database", func(t *testing.T) {
		newProxy(t)
		r := text(ben)
		require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
		assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause)
		assert.Equal(t, dev, r.DeliverTo, "Ben asked about Dev's sofa last")
		assert.Regexp(t, `^listing-11-SM[0-9a-f]{32}$`, r.Session)
		r = contact(oosc.Inbound{Channel: oosc.Voice, From: dev, To: r.ShownFrom})
		assert.Equal(t, emulator.OutcomeRouted, r.Outcome, "the seller calls back through the new Session")
		assert.Equal(t, ben, r.DeliverTo)
	})
	t.Run("a closed Session is reconnected by auto-create", func(t *testing.T) {
		newProxy(t)
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: "bike-deal", Participants: []emulator.NewParticipant{
			{Identifier: "+14155550102", ProxyIdentifier: proxyNum}, {Identifier: ana, ProxyIdentifier: proxyNum}}})
		require.NoError(t, err)
		require.NoError(t, p.CloseSession(svc, "bike-deal"))
		r := text("+14155550102")
		require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
		assert.Equal(t, oosc.CauseSessionClosed, r.Cause)
		assert.Equal(t, ana, r.DeliverTo, "Reconnect, before the database")
	})
	t.Run("an expired Session", func(t *testing.T) {
		newProxy(t)
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: "short", TTL: time.Hour, Participants: []emulator.NewParticipant{
			{Identifier: ana, ProxyIdentifier: "+14155550198"}, {Identifier: "+14155550103", ProxyIdentifier: "+14155550198"}}})
		require.NoError(t, err)
		_, err = p.Advance(2 * time.Hour)
		require.NoError(t, err)
		r := contact(oosc.Inbound{Channel: oosc.Voice, From: ana, To: "+14155550198"})
		require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
		assert.Equal(t, oosc.CauseSessionExpired, r.Cause)
		assert.Equal(t, "+14155550103", r.DeliverTo)
	})
	t.Run("an unknown sender hears the notice", func(t *testing.T) {
		newProxy(t)
		r := contact(oosc.Inbound{Channel: oosc.Voice, From: stranger, To: proxyNum})
		assert.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
		require.NotNil(t, r.Callback)
		assert.Contains(t, string(r.Callback.Webhook.Body), "<Say>This number is for marketplace conversations.")
	})
	t.Run("a retried callback gets the same name, so Proxy makes no second Session", func(t *testing.T) {
		newProxy(t)
		c := callbacktest.Message(ben, proxyNum, "hello?")
		c.Seq = 900
		first := callbacktest.Post(ctx, nil, u, tok, c)
		retry := callbacktest.Post(ctx, nil, u, tok, c) // Twilio retries with the same MessageSid
		callbacktest.AssertValid(t, first)
		assert.Equal(t, string(first.Body), string(retry.Body))
		s := first.Verdict.Session
		require.NotNil(t, s)
		ns := emulator.NewSession{UniqueName: s.UniqueName, Mode: s.Mode, TTL: s.TTL,
			Participants: []emulator.NewParticipant{{Identifier: ben, ProxyIdentifier: "+14155550198"}, {Identifier: s.ParticipantIdentifier}}}
		_, err := p.CreateSession(svc, ns)
		require.NoError(t, err)
		_, err = p.CreateSession(svc, ns)
		var e *emulator.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, oosc.CodeNonUniqueSessionName, e.Code, "80603 instead of a duplicate Session")
	})
}

// A database slower than the deadline: the query is cut by the callback's
// context and the fallback is answered in time, on each database. The
// query here never ends on its own, so the decision returning at all
// proves it was interrupted.
func TestMarketplaceSlowDatabase(t *testing.T) {
	forever := map[string]string{
		"sqlite": `WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever)
		SELECT 0, '' FROM forever WHERE x < 0 AND $1 IS NOT NULL LIMIT 1`,
		"postgres": `SELECT 0, '' FROM pg_sleep(3600) WHERE $1::text IS NOT NULL`,
	}
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			env := db.env(t)
			store, err := OpenStore(context.Background(), env["DATABASE_URL"], env["MARKETPLACE_DB"])
			require.NoError(t, err)
			defer store.Close()
			store.counterpartSQL = forever[db.name]
			slowDatabase(t, store)
		})
	}
}

func slowDatabase(t *testing.T, store *Store) {
	var mu sync.Mutex
	var queryErr error
	returned := make(chan struct{}, 1)
	base := decide(store)
	watched := func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		a, err := base(ctx, req)
		mu.Lock()
		queryErr = err
		mu.Unlock()
		returned <- struct{}{}
		return a, err
	}
	srv := callbacktest.NewServer(t, watched, &callback.Options{DecisionTimeout: 300 * time.Millisecond})
	a := srv.Send(callbacktest.Message(ben, proxyNum, "still there?"))
	callbacktest.AssertValid(t, a)
	require.NotNil(t, a.Outcome)
	assert.Equal(t, callback.FellBack, a.Outcome.Kind)
	assert.ErrorIs(t, a.Outcome.Err, callback.ErrDecisionTimeout)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, string(a.Body), "the messaging fallback, in time")

	select {
	case <-returned:
	case <-time.After(10 * time.Second): // a guard against a hang, not a timing assertion
		t.Fatal("the query was not interrupted by the deadline")
	}
	mu.Lock()
	defer mu.Unlock()
	require.Error(t, queryErr)
	assert.False(t, errors.Is(queryErr, errNoMatch))
}

// oosc check, the real command, passes the running marketplace.
func TestMarketplacePassesOOSCCheck(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "oosc")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/oosc-dev/oosc/cmd/oosc").CombinedOutput()
	require.NoError(t, err, string(out))
	u := start(t, map[string]string{})
	out, err = exec.Command(bin, "check", "--url", u, "--auth-token", tok).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "8 of 8 callbacks passed")
}

// Two replicas of the marketplace share one PostgreSQL behind a load
// balancer that alternates between them, and Proxy (the emulator) calls
// through it: every answer is valid and none is lost; a callback retried on
// the other replica gets the same Session name, so Proxy refuses the second
// create (80603) and makes no double Session. Replicas that start together
// migrate the database once.
func TestReplicasShareOnePostgres(t *testing.T) {
	var pg *database
	for _, db := range databases(t) {
		if db.name == "postgres" {
			pg = &db
		}
	}
	if pg == nil {
		t.Skip("PostgreSQL not available: set OOSC_TEST_DATABASE_URL (bash .ci/run does)")
	}
	env := pg.env(t)

	// Four stores opening the same fresh database at once: one migration.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := OpenStore(context.Background(), env["DATABASE_URL"], "")
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	db, err := sql.Open("pgx", env["DATABASE_URL"])
	require.NoError(t, err)
	defer db.Close()
	var versions int
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&versions))
	assert.Equal(t, len(migrations), versions)

	replicas := []string{start(t, env), start(t, env)}
	var served [2]atomic.Int64
	var turn atomic.Int64
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(turn.Add(1) % 2)
		served[i].Add(1)
		target, _ := url.Parse(replicas[i])
		httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host}).ServeHTTP(w, r)
	}))
	defer lb.Close()

	p := emulator.New(&emulator.Options{AuthToken: tok})
	defer p.Close()
	const svc = "marketplace"
	_, err = p.CreateService(emulator.ServiceConfig{UniqueName: svc, OutOfSessionCallbackURL: lb.URL + path})
	require.NoError(t, err)
	for _, n := range []string{proxyNum, "+14155550198", "+14155550197", "+14155550196", "+14155550195"} {
		_, err := p.AddNumber(svc, emulator.NewPhoneNumber{Number: n})
		require.NoError(t, err)
	}
	ctx := context.Background()
	for _, in := range []oosc.Inbound{
		{Channel: oosc.SMS, From: ben, To: proxyNum, Body: "still for sale?"},
		{Channel: oosc.SMS, From: "+14155550102", To: proxyNum, Body: "is the sofa free?"},
		{Channel: oosc.Voice, From: ana, To: "+14155550198"},
		{Channel: oosc.Voice, From: stranger, To: proxyNum},
		{Channel: oosc.SMS, From: stranger, To: "+14155550198", Body: "hello"},
		{Channel: oosc.Voice, From: dev, To: "+14155550197"},
	} {
		r, err := p.Inbound(ctx, svc, in)
		require.NoError(t, err)
		assert.Contains(t, []emulator.Outcome{emulator.OutcomeCreated, emulator.OutcomeTwiML}, r.Outcome, "%s from %s: %s", in.Channel, in.From, r.Detail)
		assert.Empty(t, r.Codes, "%s from %s", in.Channel, in.From)
	}
	assert.Positive(t, served[0].Load(), "replica 1 answered")
	assert.Positive(t, served[1].Load(), "replica 2 answered")

	// Twilio retries a callback; the retry lands on the other replica.
	cb := callbacktest.Message(ben, proxyNum, "hello?")
	cb.Seq = 901
	first := callbacktest.Post(ctx, nil, replicas[0], tok, cb)
	retry := callbacktest.Post(ctx, nil, replicas[1], tok, cb)
	callbacktest.AssertValid(t, first)
	callbacktest.AssertValid(t, retry)
	assert.Equal(t, string(first.Body), string(retry.Body), "both replicas answer alike")
	before, err := p.Sessions(svc)
	require.NoError(t, err)
	for i, answer := range []callbacktest.Response{first, retry} {
		s := answer.Verdict.Session
		require.NotNil(t, s)
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: s.UniqueName, Mode: s.Mode, TTL: s.TTL,
			Participants: []emulator.NewParticipant{{Identifier: ben}, {Identifier: s.ParticipantIdentifier}}})
		if i == 0 {
			require.NoError(t, err)
			continue
		}
		var e *emulator.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, oosc.CodeNonUniqueSessionName, e.Code, "80603: no double Session")
	}
	after, err := p.Sessions(svc)
	require.NoError(t, err)
	assert.Len(t, after, len(before)+1)
}

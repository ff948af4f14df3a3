package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/emulator"
)

// TestMain runs oosc itself when OOSC_RUN holds its arguments (separated
// by \x1f), for the tests that signal or kill a real process.
func TestMain(m *testing.M) {
	if args := os.Getenv("OOSC_RUN"); args != "" {
		os.Exit(run(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// process is oosc emulate running as a process of its own.
type process struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer // stdout after the start
	done chan error
}

func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "OOSC_RUN="+strings.Join(append([]string{"emulate", "--addr", "127.0.0.1:0"}, args...), "\x1f"),
		"TWILIO_AUTH_TOKEN=tok-1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, out: &bytes.Buffer{}, done: make(chan error, 1)}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := regexp.MustCompile(`^Proxy emulator on (http://\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			p.base = m[1]
		}
		if strings.Contains(lines.Text(), "Ctrl-C stops it") {
			break
		}
	}
	require.NotEmpty(t, p.base, "no base URL; stderr: %s", stderr.String())
	go func() {
		io.Copy(p.out, stdout)
		p.done <- cmd.Wait()
	}()
	return p
}

// lockedBuffer is a buffer a process writes while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// wait waits for the process to end, and returns its exit code.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		require.NoError(t, err)
		return 0
	case <-time.After(20 * time.Second):
		t.Fatal("oosc emulate did not stop")
		return -1
	}
}

// eventually polls cond until it holds, within a bound that catches a
// hang, not a slow machine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: not within 10 s", what)
		}
	}
}

// services reads the Services' unique names from a state file, and
// whether it is whole.
func services(path string) ([]string, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var f struct {
		Services []struct{ Config emulator.ServiceConfig }
	}
	if json.Unmarshal(b, &f) != nil {
		return nil, false
	}
	var names []string
	for _, s := range f.Services {
		names = append(names, s.Config.UniqueName)
	}
	return names, true
}

func createService(t *testing.T, base, name string) {
	t.Helper()
	status, m := restCall(t, "POST", base+"/v1/Services", "tok-1", url.Values{"UniqueName": {name}})
	require.Equal(t, 201, status, "%v", m)
}

// SIGINT, SIGTERM and SIGHUP (the terminal closed) each save the state
// and stop the emulator cleanly.
func TestEmulateSavesAndStopsOnEachSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "proxy.json")
			p := startProcess(t, "--state", state)
			createService(t, p.base, "rides")
			require.NoError(t, p.cmd.Process.Signal(sig))
			assert.Equal(t, exitOK, p.wait(t))
			assert.Contains(t, p.out.String(), "state saved to "+state)
			names, whole := services(state)
			assert.True(t, whole)
			assert.Equal(t, []string{"rides"}, names)
			assert.Empty(t, temps(t, state))
		})
	}
}

// Every change is on disk within a second, written whole: kill -9 loses
// nothing that was there a second before, and leaves no temporary file.
func TestEmulateStateSurvivesKill9(t *testing.T) {
	state := filepath.Join(t.TempDir(), "proxy.json")
	p := startProcess(t, "--state", state)
	names, whole := services(state)
	require.True(t, whole, "the state is written at start")
	assert.Empty(t, names)
	for _, name := range []string{"rides", "deliveries", "tours"} {
		createService(t, p.base, name)
		start := time.Now()
		eventually(t, name+" on disk", func() bool {
			names, whole := services(state)
			require.True(t, whole || names == nil, "never half a file")
			return len(names) > 0 && names[len(names)-1] == name
		})
		t.Logf("%s on disk after %v", name, time.Since(start).Round(10*time.Millisecond))
	}
	require.NoError(t, p.cmd.Process.Kill())
	p.wait(t)
	names, whole = services(state)
	assert.True(t, whole)
	assert.Equal(t, []string{"rides", "deliveries", "tours"}, names)

	// The temporary files left by saves cut short (as v0.3.0 and as this
	// version names them) are removed at the next start, nothing else,
	// and the state restored.
	for _, name := range []string{".tmp", ".tmp123456789"} {
		require.NoError(t, os.WriteFile(state+name, nil, 0o600))
	}
	require.NoError(t, os.WriteFile(state+".tmp-notes", nil, 0o600))
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--state", state)
	assert.Equal(t, []string{state + ".tmp-notes"}, temps(t, state))
	status, list := restCall(t, "GET", e.base+"/v1/Services", "tok-1", nil)
	require.Equal(t, 200, status)
	assert.Len(t, list["services"], 3)
	assert.Equal(t, exitOK, e.wait(t))
}

func readOnly(t *testing.T, path string) string {
	require.NoError(t, os.Chmod(path, 0o444))
	return path
}

// Round 3's attack: a --state path that is a symbolic link (to keep the
// state in a repository, say) was replaced by a plain file at the first
// save, and the file it named never written again. The file the link
// names is kept now, whether it exists or not yet, and the link stays.
func TestEmulateKeepsTheStateWhereALinkPoints(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "kept"), 0o755))
	target := filepath.Join(dir, "kept", "proxy.json")
	link := filepath.Join(dir, "proxy.json")
	require.NoError(t, os.Symlink(filepath.Join("kept", "proxy.json"), link)) // relative, to a file not made yet
	for i, name := range []string{"rides", "tours"} {
		e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--state", link)
		createService(t, e.base, name)
		assert.Equal(t, exitOK, e.wait(t))
		fi, err := os.Lstat(link)
		require.NoError(t, err)
		assert.Equal(t, os.ModeSymlink, fi.Mode().Type(), "the link stays a link")
		names, whole := services(target)
		require.True(t, whole, "the state is in the file the link names")
		assert.Equal(t, []string{"rides", "tours"}[:i+1], names)
		assert.Empty(t, temps(t, target))
	}
}

// temps lists the files beside a state file named as its temporary files
// start.
func temps(t *testing.T, state string) []string {
	t.Helper()
	m, err := filepath.Glob(state + ".tmp*")
	require.NoError(t, err)
	return m
}

// Round 3's attack: two emulators given one --state file wrote into one
// temporary file (FILE.tmp, truncated by each), so that what either moved
// into place could be empty or half of one state, and the other's move
// failed. Each save now writes a temporary file of its own: every save
// succeeds and the file is always one whole state.
func TestSavesToOneFileNeverMix(t *testing.T) {
	state := filepath.Join(t.TempDir(), "proxy.json")
	var proxies [2]*emulator.Proxy
	for i := range proxies {
		p := emulator.New(nil)
		svc, err := p.CreateService(emulator.ServiceConfig{UniqueName: fmt.Sprintf("svc-%d", i)})
		require.NoError(t, err)
		for j := range 2000 {
			_, err := p.CreateSession(svc.Sid, emulator.NewSession{UniqueName: fmt.Sprintf("session-%d-%d", i, j)})
			require.NoError(t, err)
		}
		proxies[i] = p
	}
	require.NoError(t, saveState(proxies[0], state))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 2*50)
	for _, p := range proxies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				errs <- saveState(p, state)
			}
		}()
	}
	reads, torn := 0, 0
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, whole := services(state); !whole {
				torn++
			}
			reads++
		}
	}()
	wg.Wait()
	close(stop)
	<-readerDone
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Zero(t, torn, "of %d reads, %d found no whole state", reads, torn)
	assert.Empty(t, temps(t, state), "no temporary file is left")
}

// A state file that cannot be kept is known at start: exit 2, naming the
// path and what is wrong, before anything is served.
func TestEmulateChecksTheStateFileAtStart(t *testing.T) {
	dir := t.TempDir()
	good := emulator.New(nil)
	_, err := good.CreateService(emulator.ServiceConfig{UniqueName: "svc"})
	require.NoError(t, err)
	var saved bytes.Buffer
	require.NoError(t, good.SaveState(&saved))
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	missing := filepath.Join(dir, "no-such-dir", "proxy.json")
	tests := []struct {
		name, path string
		want       []string
	}{
		{"a directory that does not exist", missing, []string{missing, "its directory " + filepath.Dir(missing) + " does not exist"}},
		{"a directory as the file", dir, []string{"it is a directory"}},
		{"a file as the directory", filepath.Join(write("plain", "x"), "proxy.json"), []string{"is not a directory"}},
		{"seq below its SIDs", write("seq.json", strings.Replace(saved.String(), `"seq": 1`, `"seq": 0`, 1)),
			[]string{"numbered above the file's seq 0", "move it away to start with an empty state"}},
		{"seq at the largest int", write("seq-max.json", strings.Replace(saved.String(), `"seq": 1`, `"seq": 9223372036854775807`, 1)),
			[]string{"seq 9223372036854775807 is not from 0 to"}},
		{"trailing data", write("trailing.json", saved.String()+"{}"), []string{"data after the JSON value"}},
		{"not JSON", write("text.json", "not a state"), []string{"not JSON"}},
		{"a read-only file", readOnly(t, write("read-only.json", saved.String())), []string{"it is read-only (-r--r--r--)", "make it writable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cliEnv(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "", "emulate", "--addr", "127.0.0.1:0", "--state", tt.path)
			assert.Equal(t, exitUsage, code, errOut)
			assert.Contains(t, errOut, "oosc emulate: --state "+tt.path+": ")
			for _, w := range tt.want {
				assert.Contains(t, errOut, w)
			}
			assert.NotContains(t, out, "Proxy emulator on", "nothing is served")
		})
	}
}

// An inbound contact whose three webhooks each take most of their
// timeout still gets its answer: the server's write timeout is sized
// from the whole chain (here with webhooks waited for 300 ms, each
// answering in 250 ms: 750 ms, more than twice the timeout).
func TestEmulateAnswersAContactThroughSlowWebhooks(t *testing.T) {
	saved := emulateWebhookTimeout
	emulateWebhookTimeout = 300 * time.Millisecond
	t.Cleanup(func() { emulateWebhookTimeout = saved })
	app := http.NewServeMux()
	slow := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { time.Sleep(250 * time.Millisecond); h(w, r) }
	}
	app.HandleFunc("/out-of-session", slow(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"participantIdentifier":"+17075550102"}`)
	}))
	app.HandleFunc("/", slow(func(http.ResponseWriter, *http.Request) {}))
	srv := httptest.NewServer(app)
	defer srv.Close()

	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"})
	status, m := restCall(t, "POST", e.base+"/v1/Services", "tok-1", url.Values{"UniqueName": {"svc"},
		"OutOfSessionCallbackUrl": {srv.URL + "/out-of-session"}, "InterceptCallbackUrl": {srv.URL + "/intercept"}, "CallbackUrl": {srv.URL + "/status"}})
	require.Equal(t, 201, status, "%v", m)
	status, _ = restCall(t, "POST", e.base+"/v1/Services/"+m["sid"].(string)+"/PhoneNumbers", "tok-1", url.Values{"PhoneNumber": {"+14155550100"}})
	require.Equal(t, 201, status)
	start := time.Now()
	resp, err := http.Post(e.base+"/emulator/inbound", "application/json",
		strings.NewReader(`{"channel":"sms","from":"+19515550101","to":"+14155550100","body":"hi"}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	var res map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&res), "an empty answer")
	assert.Equal(t, "created", res["outcome"], "%v", res)
	assert.Empty(t, res["codes"], "%v", res)
	assert.Greater(t, time.Since(start), 3*250*time.Millisecond, "the three webhooks were waited for")
	assert.Equal(t, exitOK, e.wait(t))
}

// --allow-host adds a name requests may give as their Host; other names
// are refused. A --start past year 9999 is a usage error.
func TestEmulateHostsAndStart(t *testing.T) {
	e := startEmulate(t, map[string]string{"TWILIO_AUTH_TOKEN": "tok-1"}, "--allow-host", "emulator")
	get := func(host string) int {
		req, _ := http.NewRequest("GET", e.base+"/emulator/events", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 200, get("emulator:4010"))
	assert.Equal(t, 421, get("evil.example"))
	assert.Equal(t, exitOK, e.wait(t))

	code, _, errOut := cli(t, "", "emulate", "--start", "9999-12-31T23:59:59-23:59")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is not from year 1 to 9999")
}

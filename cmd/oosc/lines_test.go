package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/internal/term"
)

// BenchmarkContactLines is a routed contact through the control API's
// handler, quiet and with its line (formatted and queued; one goroutine
// writes the queue to io.Discard), to show what the lines cost a contact.
func BenchmarkContactLines(b *testing.B) {
	for _, quiet := range []bool{true, false} {
		name := "lines"
		if quiet {
			name = "quiet"
		}
		b.Run(name, func(b *testing.B) {
			var lines *liveLines
			opts := &emulator.Options{}
			if !quiet {
				lines = newLiveLines(io.Discard, term.Palette{}, func(s string) string { return s })
				opts.OnEvent, opts.OnContact = lines.event, lines.contact
				opts.OnWebhook = func(x emulator.Exchange) { lines.webhook(x.Webhook) }
				lines.start()
				defer lines.close(0)
			}
			p := emulator.New(opts)
			defer p.Close()
			svc, _ := p.CreateService(emulator.ServiceConfig{UniqueName: "rides"})
			p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})
			if _, err := p.CreateSession(svc.Sid, emulator.NewSession{UniqueName: "ride-1",
				Participants: []emulator.NewParticipant{{Identifier: "+19515550101"}, {Identifier: "+17075550102"}}}); err != nil {
				b.Fatal(err)
			}
			h := emulator.NewServer(p, &emulator.ServerOptions{OpenControl: true})
			const body = `{"channel":"sms","from":"+19515550101","to":"+14155550100","body":"hi"}`
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:4010/emulator/inbound", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}

// FuzzOneLine: whatever a callback answers or a request names, its line
// is one line of printable text (no line break, no escape sequence),
// valid UTF-8, cut to its length.
func FuzzOneLine(f *testing.F) {
	f.Add("<Response>\n  <Say>hi</Say>\r\n</Response>", 100)
	f.Add("\x1b[2J\x1b[31mred\u202egnp.exe", 10)
	f.Add("\xff\xfe  spaced   out\t", 0)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(n, 0) % 200
		got := oneLine(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("not UTF-8: %q", got)
		}
		for _, r := range got {
			if !unicode.IsPrint(r) && r != ' ' {
				t.Fatalf("%q holds %U", got, r)
			}
		}
		if n > 0 && utf8.RuneCountInString(got) > n+1 {
			t.Fatalf("%q is over %d runes", got, n)
		}
	})
}

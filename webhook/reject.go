package webhook

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/oosc-dev/oosc/internal/redact"
)

// DefaultRejectionLogInterval is the default of Options.RejectionLogInterval.
const DefaultRejectionLogInterval = 10 * time.Second

// Reject answers a request refused with err, and reports it. The answer
// is the status of err ([Status]), with Allow: POST for a 405, and a short
// fixed text with http.Error's header discipline: no detail of the failure
// reaches the client. The report goes to the Logger (at WARN at most once
// per RejectionLogInterval, at DEBUG otherwise, counted in the next WARN
// record), then to OnReject.
//
// Every request refused in the Verifier's name is reported here: by its
// Middleware, and by a callback.Handler or debugger handler it guards. A
// handler of your own that calls [Verifier.ReadBody] and [Verifier.Verify]
// answers their errors with Reject.
func (v *Verifier) Reject(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	h := w.Header()
	if status == http.StatusMethodNotAllowed {
		h.Set("Allow", http.MethodPost)
	}
	h.Del("Content-Length")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status)+"\n")
	v.report(r, err, status)
}

// report passes a rejection to the Logger, then to OnReject. A panic in
// either is logged with slog's default logger, not passed on: the answer
// is out, and the caller (a callback.Handler) still has its own reporting
// to do.
func (v *Verifier) report(r *http.Request, err error, status int) {
	v.log(r, err, status)
	if v.onRej != nil {
		defer survive("webhook: Options.OnReject panicked")
		v.onRej(r, err)
	}
}

// log writes the record of a rejection, at WARN at most once per interval.
func (v *Verifier) log(r *http.Request, err error, status int) {
	if v.logger == nil {
		return
	}
	defer survive("webhook: the handler of Options.Logger panicked")
	level := slog.LevelDebug
	warn, suppressed := v.rejects.warn(time.Now())
	if warn {
		level = slog.LevelWarn
	}
	ctx := context.WithoutCancel(r.Context())
	if !v.logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{slog.Int("status", status), slog.String("reason", redact.Text(err.Error()))}
	if suppressed > 0 {
		attrs = append(attrs, slog.Int64("rejections_logged_at_debug", suppressed))
	}
	v.logger.LogAttrs(ctx, level, "webhook: request rejected", attrs...)
}

// survive, deferred, stops a panic and logs it with slog's default logger,
// its value masked.
func survive(msg string) {
	if p := recover(); p != nil {
		slog.Error(msg, slog.String("panic", redact.Text(fmt.Sprint(p))))
	}
}

// rejectLog decides which rejections are logged at WARN: at most one per
// interval; the others are logged at DEBUG and counted in the next WARN
// record, so that unauthenticated traffic cannot flood the log.
type rejectLog struct {
	interval   time.Duration // 0: DefaultRejectionLogInterval
	next       atomic.Int64  // UnixNano before which rejections are logged at DEBUG
	suppressed atomic.Int64  // rejections logged at DEBUG since the last WARN
}

// warn reports whether a rejection at now is logged at WARN and, if so,
// how many were logged at DEBUG since the last WARN.
func (l *rejectLog) warn(now time.Time) (bool, int64) {
	interval := l.interval
	if interval <= 0 {
		interval = DefaultRejectionLogInterval
	}
	n := now.UnixNano()
	next := l.next.Load()
	if n >= next && l.next.CompareAndSwap(next, n+int64(interval)) {
		return true, l.suppressed.Swap(0)
	}
	l.suppressed.Add(1)
	return false, 0
}

package callback

import "github.com/oosc-dev/oosc/internal/redact"

// RedactPhoneNumbers masks every phone number in s as the handler's logs
// do: each number keeps only its last two digits, whether written in
// E.164 (+14155550123), with separators (+1 415-555-0123, 415/555/0123,
// 415_555_0123, 415.555.0123, with tabs or no-break spaces), in a channel
// address (whatsapp:+14155550123), or percent-encoded in a URL or form
// (%2B14155550123). Twilio SIDs, error codes such as 80905, sizes and
// counts, dates and IPv4 addresses are left alone. Use it on what an
// [Outcome] holds (its Err, Problems, Request) before writing it
// anywhere: the Outcome itself is not masked.
func RedactPhoneNumbers(s string) string { return redact.Text(s) }

func redactText(s string) string { return redact.Text(s) }

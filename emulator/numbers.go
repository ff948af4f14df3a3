package emulator

import (
	"net/http"
	"strings"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/internal/numbering"
)

// The phone numbers of the emulated account: Twilio's IncomingPhoneNumbers,
// each with its PN SID. A number joins a Service's pool by its SID or by
// the number itself, and keeps its SID in every pool it joins, as on
// Twilio.

// AccountNumber is a phone number of the emulated account.
type AccountNumber struct {
	Sid    string `json:"sid"` // PN...
	Number string `json:"number"`
}

// accountNumbers are the account's numbers, in the order they were added.
type accountNumbers struct {
	list     []AccountNumber
	bySid    map[string]string // PN -> number
	byNumber map[string]string // number -> PN
}

func (a *accountNumbers) reset() {
	*a = accountNumbers{bySid: map[string]string{}, byNumber: map[string]string{}}
}

func (a *accountNumbers) add(n AccountNumber) {
	a.list = append(a.list, n)
	a.bySid[n.Sid], a.byNumber[n.Number] = n.Number, n.Sid
}

// AddAccountNumber gives the emulated account a phone number (E.164, or a
// channel address such as whatsapp:+14155550100), as buying it on Twilio
// does, so that a Service can add it to its pool by its SID. A number the
// account has already keeps its SID; created reports whether it is new.
func (p *Proxy) AddAccountNumber(number string) (n AccountNumber, created bool, err error) {
	defer p.edit()()
	if _, err := autocreate.ParseIdentifier(number); err != nil {
		return AccountNumber{}, false, fail(oosc.CodeBadParameters, "phone number %q is neither E.164 nor a channel address", clip(number))
	}
	if sid := p.numbers.byNumber[number]; sid != "" {
		return AccountNumber{Sid: sid, Number: number}, false, nil
	}
	n = AccountNumber{Sid: p.sid("PN"), Number: number}
	p.numbers.add(n)
	return n, true, nil
}

// AccountNumbers returns the emulated account's numbers, in the order
// they were added: those given by AddAccountNumber, and those a Service
// added to its pool by number.
func (p *Proxy) AccountNumbers() []AccountNumber {
	p.lock()
	defer p.mu.Unlock()
	return append([]AccountNumber(nil), p.numbers.list...)
}

// accountNumber resolves a number to add to a pool: by SID, a number of
// the account (20404 when the account has none with that SID); by
// number, the account's number, or a new one (Sid "") that joins the
// account, as though bought, once the pool takes it.
func (p *Proxy) accountNumber(np NewPhoneNumber) (AccountNumber, error) {
	if np.Sid != "" {
		number := p.numbers.bySid[np.Sid]
		switch {
		case number == "":
			return AccountNumber{}, fail(oosc.CodeNotFound, "The requested resource /IncomingPhoneNumbers/%s was not found", clip(np.Sid))
		case np.Number != "" && np.Number != number:
			return AccountNumber{}, fail(oosc.CodeBadParameters, "Sid %s is %s, not PhoneNumber %s", np.Sid, number, clip(np.Number))
		}
		return AccountNumber{Sid: np.Sid, Number: number}, nil
	}
	if _, err := autocreate.ParseIdentifier(np.Number); err != nil {
		return AccountNumber{}, fail(oosc.CodeBadParameters, "phone number %q is neither E.164 nor a channel address", clip(np.Number))
	}
	return AccountNumber{Sid: p.numbers.byNumber[np.Number], Number: np.Number}, nil
}

// isoCountry is the ISO country of a pool number, by its digits (the
// E.164 part of a channel address); "" when they do not tell.
func isoCountry(number string) string {
	if _, rest, ok := strings.Cut(number, ":"); ok {
		number = rest
	}
	return numbering.Country(number)
}

// accountNumberRequest is the body of POST /emulator/numbers.
type accountNumberRequest struct {
	Number string `json:"number"`
}

func (s *server) addAccountNumber(_ *http.Request, body []byte) (int, any, error) {
	var in accountNumberRequest
	if err := decodeControl(body, &in, "number"); err != nil {
		return 0, nil, err
	}
	if in.Number == "" {
		return 0, nil, badRequest("give number, such as {\"number\": \"+14155550100\"}")
	}
	n, created, err := s.p.AddAccountNumber(in.Number)
	if err != nil {
		return 0, nil, err
	}
	if !created {
		return http.StatusOK, n, nil
	}
	return http.StatusCreated, n, nil
}

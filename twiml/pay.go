package twiml

// This file builds <Pay> and its <Prompt>s.

// PayAttrs are the attributes of <Pay>.
type PayAttrs struct {
	Input                string // dtmf
	Action               string
	BankAccountType      string // consumer-checking, consumer-savings, commercial-checking
	StatusCallback       string
	StatusCallbackMethod Method
	Timeout              *int // seconds to wait for each digit
	MaxAttempts          *int
	SecurityCode         *bool
	PostalCode           string // true, false, or the postal code itself
	MinPostalCodeLength  *int
	PaymentConnector     string
	PaymentMethod        string // credit-card or ach-debit
	TokenType            string // one-time, reusable, payment-method
	ChargeAmount         string // such as 10.00; none for a tokenization
	Currency             string // such as usd
	Description          string
	ValidCardTypes       []string // visa, mastercard, amex, ...
	Language             string
	Extra                []Attr
}

func (a *PayAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("input", a.Input)
	t.str("action", a.Action)
	t.str("bankAccountType", a.BankAccountType)
	t.str("statusCallback", a.StatusCallback)
	t.method("statusCallbackMethod", a.StatusCallbackMethod)
	t.int("timeout", a.Timeout)
	t.int("maxAttempts", a.MaxAttempts)
	t.bool("securityCode", a.SecurityCode)
	t.str("postalCode", a.PostalCode)
	t.int("minPostalCodeLength", a.MinPostalCodeLength)
	t.str("paymentConnector", a.PaymentConnector)
	t.str("paymentMethod", a.PaymentMethod)
	t.str("tokenType", a.TokenType)
	t.str("chargeAmount", a.ChargeAmount)
	t.str("currency", a.Currency)
	t.str("description", a.Description)
	t.list("validCardTypes", a.ValidCardTypes)
	t.str("language", a.Language)
	return t, a.Extra
}

// Pay is a <Pay>: add prompts and parameters on it.
type Pay struct{ node }

// Pay collects a card or bank payment by keypad.
func (r *VoiceResponse) Pay(a *PayAttrs) *Pay {
	t, x := a.typed()
	return &Pay{r.top().add("Pay", t, x, "")}
}

// PromptAttrs are the attributes of <Prompt>.
type PromptAttrs struct {
	For                   string   // what is asked: payment-card-number, bank-routing-number, ...
	ErrorType             []string // the errors it answers: timeout, invalid-card-number, invalid-bank-routing-number, ...
	CardType              []string
	Attempt               []string // attempt numbers, such as 1 2
	RequireMatchingInputs *bool
	Extra                 []Attr
}

func (a *PromptAttrs) typed() (t attrs, extra []Attr) {
	if a == nil {
		return nil, nil
	}
	t.str("for", a.For)
	t.list("errorType", a.ErrorType)
	t.list("cardType", a.CardType)
	t.list("attempt", a.Attempt)
	t.bool("requireMatchingInputs", a.RequireMatchingInputs)
	return t, a.Extra
}

// Prompt is a <Prompt>: say or play it with its methods.
type Prompt struct{ node }

// Prompt replaces what <Pay> says for one step.
func (p *Pay) Prompt(a *PromptAttrs) *Prompt {
	t, x := a.typed()
	return &Prompt{p.add("Prompt", t, x, "")}
}

// Parameter passes a custom parameter to the payment connector.
func (p *Pay) Parameter(name, value string) *Parameter { return p.parameter(name, value) }

// Say speaks the prompt.
func (p *Prompt) Say(text string, a *SayAttrs) *Say { return p.say(text, a) }

// Play plays an audio prompt.
func (p *Prompt) Play(url string, a *PlayAttrs) *Play { return p.play(url, a) }

// Pause waits silently.
func (p *Prompt) Pause(a *PauseAttrs) *Pause { return p.pause(a) }

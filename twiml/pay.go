package twiml

// This file builds <Pay> and its <Prompt>s.

// PayAttrs are the attributes of <Pay>.
type PayAttrs struct {
	Input                string   `twiml:"input"` // dtmf
	Action               string   `twiml:"action"`
	BankAccountType      string   `twiml:"bankAccountType"` // consumer-checking, consumer-savings, commercial-checking
	StatusCallback       string   `twiml:"statusCallback"`
	StatusCallbackMethod Method   `twiml:"statusCallbackMethod"`
	Timeout              *int     `twiml:"timeout"` // seconds to wait for each digit
	MaxAttempts          *int     `twiml:"maxAttempts"`
	SecurityCode         *bool    `twiml:"securityCode"`
	PostalCode           string   `twiml:"postalCode"` // true, false, or the postal code itself
	MinPostalCodeLength  *int     `twiml:"minPostalCodeLength"`
	PaymentConnector     string   `twiml:"paymentConnector"`
	PaymentMethod        string   `twiml:"paymentMethod"` // credit-card or ach-debit
	TokenType            string   `twiml:"tokenType"`     // one-time, reusable, payment-method
	ChargeAmount         string   `twiml:"chargeAmount"`  // such as 10.00; none for a tokenization
	Currency             string   `twiml:"currency"`      // such as usd
	Description          string   `twiml:"description"`
	ValidCardTypes       []string `twiml:"validCardTypes"` // visa, mastercard, amex, ...
	Language             string   `twiml:"language"`
	Extra                []Attr
}

// Pay is a <Pay>: add prompts and parameters on it.
type Pay struct{ node }

// Pay collects a card or bank payment by keypad.
func (r *VoiceResponse) Pay(a *PayAttrs) *Pay {
	return &Pay{r.top().add("Pay", a, "")}
}

// PromptAttrs are the attributes of <Prompt>.
type PromptAttrs struct {
	For                   string   `twiml:"for"`       // what is asked: payment-card-number, bank-routing-number, ...
	ErrorType             []string `twiml:"errorType"` // the errors it answers: timeout, invalid-card-number, invalid-bank-routing-number, ...
	CardType              []string `twiml:"cardType"`
	Attempt               []string `twiml:"attempt"` // attempt numbers, such as 1 2
	RequireMatchingInputs *bool    `twiml:"requireMatchingInputs"`
	Extra                 []Attr
}

// Prompt is a <Prompt>: say or play it with its methods.
type Prompt struct{ node }

// Prompt replaces what <Pay> says for one step.
func (p *Pay) Prompt(a *PromptAttrs) *Prompt {
	return &Prompt{p.add("Prompt", a, "")}
}

// Parameter passes a custom parameter to the payment connector.
func (p *Pay) Parameter(name, value string) *Parameter { return p.parameter(name, value) }

// Say speaks the prompt.
func (p *Prompt) Say(text string, a *SayAttrs) *Say { return p.say(text, a) }

// Play plays an audio prompt.
func (p *Prompt) Play(url string, a *PlayAttrs) *Play { return p.play(url, a) }

// Pause waits silently.
func (p *Prompt) Pause(a *PauseAttrs) *Pause { return p.pause(a) }

package oosc

// AnswerKind is the kind of an answer to the out-of-session callback: TwiML
// or an auto-create session. The handler, the judge and the emulator all
// say which kind an answer is with it.
type AnswerKind string

// The two kinds of answer Proxy accepts.
const (
	TwiMLAnswer      AnswerKind = "twiml"       // TwiML, served as application/xml
	AutoCreateAnswer AnswerKind = "auto-create" // an auto-create session, served as application/json
)

// ContentType returns the media type of the kind, the only one Proxy
// takes it with: application/xml for TwiML, application/json for
// auto-create; "" for another kind.
func (k AnswerKind) ContentType() string {
	switch k {
	case TwiMLAnswer:
		return "application/xml"
	case AutoCreateAnswer:
		return "application/json"
	}
	return ""
}

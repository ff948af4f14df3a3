// Package autocreate builds, parses and validates the auto-create session
// answer of a Twilio Proxy out-of-session callback: a JSON object, served as
// application/json, that makes Proxy create a Session between the sender and
// the participant it names and route the interaction into it.
//
// Six fields exist, named exactly as Proxy names them: uniqueName, mode,
// ttl, dateExpiry, participantIdentifier (required) and
// participantProxyIdentifier. [Session] writes them in that order, omits the
// unset ones, and always gives the same bytes for the same value. [Parse]
// is strict: anything Proxy might ignore or misread (an unknown or misspelt
// key, a key in another case, a duplicate key, a wrong JSON type, trailing
// data, bytes that are not UTF-8) is an error naming the field.
// [Session.ValidateFor] and [ValidateBytes] check a Session against the
// interaction it answers ([oosc.Inbound]): not the sender, a mode that
// carries the call or message. Every problem is an [oosc.Problem] with its
// rule (the Rule constants of this package) and, where Proxy names one,
// the Twilio code it causes.
//
// The shortest use:
//
//	b, err := json.Marshal(autocreate.Session{Mode: autocreate.VoiceAndMessage, TTL: time.Hour, ParticipantIdentifier: "+14155550123"})
//	// {"mode":"voice-and-message","ttl":3600,"participantIdentifier":"+14155550123"}
package autocreate

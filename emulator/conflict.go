package emulator

import "github.com/oosc-dev/oosc"

// Participant conflicts on an account that allows them
// (Options.AllowParticipantConflict): the request succeeds, the pair is
// active in two Sessions, and Proxy logs what happened.
const (
	codeCreateConflict = oosc.CodeCreatePairConflict // a create
	codeReopenConflict = oosc.CodeReopenPairConflict // a reopen
)

// logConflict logs that q's pair is active in its Session and in
// other's.
func (svc *service) logConflict(code oosc.Code, q, other *participant) {
	svc.p.log(Event{At: svc.p.now, Code: code, Service: svc.sid, Session: q.s.name(), To: q.proxy.value,
		Detail: q.identifier + " holds " + q.proxy.value + " in Session " + q.s.name() + " and in Session " + other.s.name() +
			"; contacts of the pair go to the Participant that took it last"})
}

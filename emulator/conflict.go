package emulator

import (
	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
)

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
	svc.p.log(debugger.Event{Time: svc.p.now, Code: code, ServiceSid: svc.sid, ResourceSid: q.s.sid, Session: q.s.name(),
		From: q.identifier, To: q.proxy.value,
		Text: q.identifier + " holds " + q.proxy.value + " in Session " + q.s.name() + " and in Session " + other.s.name() +
			"; contacts of the pair go to the Participant that took it last"}, nil)
}

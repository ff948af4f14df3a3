package emulator

import (
	"context"
	"strconv"
	"time"

	"github.com/oosc-dev/oosc"
)

// EndCall ends a routed call after duration: both legs of its
// Interaction are completed, and its data gives the duration in whole
// seconds ({"duration": "42"}), as Proxy's Interaction resource shows a
// call's duration when it is known. The Service's status callback is
// told, as of any change of an Interaction's status. An Interaction that
// is not a routed call, or a call that has ended, is 20001.
func (p *Proxy) EndCall(ctx context.Context, service, session, interaction string, duration time.Duration) (Interaction, error) {
	if duration < 0 {
		return Interaction{}, fail(oosc.CodeBadParameters, "a call's duration is 0 or more, not %v", duration)
	}
	c := &contact{}
	var view Interaction
	var next *call
	err := func() error {
		defer p.edit()()
		svc, s, err := p.session(service, session)
		if err != nil {
			return err
		}
		c.svc, c.epoch = svc, p.epoch
		var it *Interaction
		for _, x := range s.interactions {
			if x.Sid == interaction {
				it = x
			}
		}
		switch {
		case it == nil:
			return notFound("Interaction", interaction)
		case it.Type != InteractionVoice || it.InboundParticipantSid == "":
			return fail(oosc.CodeBadParameters, "Interaction %s is not a routed call", interaction)
		case it.InboundResourceStatus == ResourceCompleted:
			return fail(oosc.CodeBadParameters, "the call of Interaction %s has ended already", interaction)
		}
		it.InboundResourceStatus, it.OutboundResourceStatus = ResourceCompleted, ResourceCompleted
		it.Data = `{"duration":"` + strconv.FormatInt(int64(duration/time.Second), 10) + `"}`
		it.Updated = p.now
		view = *it
		next = p.statusCallback(svc, it)
		return nil
	}()
	if err != nil {
		return Interaction{}, err
	}
	if next != nil {
		p.send(ctx, c, next)
	}
	return view, nil
}

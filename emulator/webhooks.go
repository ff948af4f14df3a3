package emulator

import (
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/internal/proxyform"
)

// hookInteraction is an Interaction of svc as the webhooks report it.
func (p *Proxy) hookInteraction(svc *service, it Interaction) proxyform.Interaction {
	return proxyform.Interaction{Sid: it.Sid, SessionSid: it.SessionSid, ServiceSid: svc.sid, AccountSid: p.o.AccountSid,
		Type: string(it.Type), Data: it.Data, Created: it.Created, Updated: it.Updated,
		Inbound: proxyform.Leg{ParticipantSid: it.InboundParticipantSid, ResourceSid: it.InboundResourceSid,
			ResourceStatus: string(it.InboundResourceStatus)},
		Outbound: proxyform.Leg{ParticipantSid: it.OutboundParticipantSid, ResourceSid: it.OutboundResourceSid,
			ResourceStatus: string(it.OutboundResourceStatus)}}
}

// intercept returns the intercept callback to ask about an Interaction
// about to be made; its caller sets what follows the answer: a 403
// blocks it, any other answer, or none, lets it go on, as Proxy's
// Webhooks page says. It is called with the lock held.
func (p *Proxy) intercept(svc *service, it Interaction) *call {
	return p.call(svc, debugger.WebhookIntercept, svc.cfg.InterceptCallbackURL, p.hookInteraction(svc, it).InterceptForm())
}

package check

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oosc-dev/oosc/internal/spell"

	"github.com/oosc-dev/oosc"
)

// checkTree runs the schema checks over a parsed document's root.
func (c *checker) checkTree(root *node) {
	if root == nil {
		c.add(RuleEmpty, "", "", 0, "document has no root element; an empty answer is <Response/>")
		return
	}
	name := root.name
	if name != "Response" {
		hint := ""
		if strings.EqualFold(name, "Response") {
			hint = "; names are case-sensitive"
		}
		c.add(RuleRoot, "/"+name, "", int(root.line), "root element is <%s>; it must be <Response>%s", name, hint)
		return
	}
	c.checkElement(root, c.s.elements["Response"], "")
}

func (c *checker) checkElement(el *node, spec *elemSpec, parent string) {
	path := el
	line := int(el.line)
	if spec.deprecated && c.room(RuleDeprecated) {
		c.addAt(RuleDeprecated, path, "", line, "<%s> is deprecated", spec.name)
	}
	c.checkAttrs(el, spec, path, parent, line)
	c.children(el, spec)
	c.checkText(el, spec, path, line, el.kids != nil)
	c.checkConstraints(el, spec, path, parent, line)
}

// children checks each child element's place, numbers it among its
// siblings of its name, sets its spec and recurses into it. The per-name
// counts live on a stack in the checker while the element is checked.
func (c *checker) children(el *node, spec *elemSpec) {
	if el.kids == nil {
		return
	}
	from := len(c.countStack)
	var counts childCounts
	for child := el.kids; child != nil; child = child.next {
		name := child.name
		child.nth = int32(counts.next(&c.countStack, from, name))
		if key, ok := spec.children[name]; ok {
			child.spec = c.s.elements[key]
		} else {
			child.spec = c.misfit(child, spec, name)
		}
		if child.spec != nil {
			c.checkElement(child, child.spec, spec.name)
		}
	}
	c.countStack = c.countStack[:from]
}

type nameCount struct {
	name string
	n    int
}

// childCounts numbers an element's children by name in time linear in
// their number: the counts live on the checker's stack while the names are
// few, and in a map once they are many (a hostile document of thousands
// of distinct names would otherwise cost a scan of the stack per child).
type childCounts struct{ many map[string]int }

// next returns the place of one more child named name among its siblings
// of that name, from 1; the element's counts start at (*stack)[from], and
// nothing is above them.
func (cc *childCounts) next(stack *[]nameCount, from int, name string) int {
	if cc.many != nil {
		cc.many[name]++
		return cc.many[name]
	}
	s := *stack
	for i := from; i < len(s); i++ {
		if s[i].name == name {
			s[i].n++
			return s[i].n
		}
	}
	s = append(s, nameCount{name, 1})
	if len(s)-from > 32 {
		cc.many = make(map[string]int, 64)
		for _, nc := range s[from:] {
			cc.many[nc.name] = nc.n
		}
		s = s[:from]
	}
	*stack = s
	return 1
}

// misfit reports a child its parent does not allow and returns the spec to
// check it against further, if it is an element of this channel.
func (c *checker) misfit(child *node, parent *elemSpec, name string) *elemSpec {
	path := child
	line := int(child.line)
	if known := c.s.byName[name]; known != nil {
		if c.room(RuleMisplacedElement) {
			c.addAt(RuleMisplacedElement, path, "", line, "<%s> is not allowed in <%s>; %s", name, parent.name, takes(parent))
		}
		return known
	}
	if _, ok := c.other.byName[name]; ok {
		if c.room(RuleWrongChannel) {
			c.addAt(RuleWrongChannel, path, "", line, "<%s> is %s TwiML, not %s; %s", name, article(other(c.ch)), article(c.ch), takes(parent))
		}
		return nil
	}
	folded := lower(name)
	if fixed, ok := c.s.byFold[folded]; ok {
		if c.room(RuleElementCase) {
			c.addAt(RuleElementCase, path, "", line, "<%s> must be written <%s>; names are case-sensitive", name, fixed)
		}
		if _, allowed := parent.children[fixed]; allowed {
			return c.s.elements[parent.children[fixed]]
		}
		return c.s.byName[fixed]
	}
	if fixed, ok := c.other.byFold[folded]; ok {
		if c.room(RuleWrongChannel) {
			c.addAt(RuleWrongChannel, path, "", line, "<%s> (<%s>) is %s TwiML, not %s; %s", name, fixed, article(other(c.ch)), article(c.ch), takes(parent))
		}
		return nil
	}
	if !c.room(RuleUnknownElement) {
		return nil
	}
	if what, ok := notAnswers[name]; ok {
		c.addAt(RuleUnknownElement, path, "", line, "<%s> %s; %s", name, what, takes(parent))
		return nil
	}
	c.addAt(RuleUnknownElement, path, "", line, "<%s> is not a TwiML element%s; %s", name, suggest(name, parent.childNames, "<", ">"), takes(parent))
	return nil
}

// notAnswers are elements of no voice or messaging answer, each named for
// what it is rather than as an unknown element: the TwiML of another
// product, or of a product Twilio retired (twiml-schema.json's
// discrepancies give the sources).
var notAnswers = map[string]string{
	"Receive":   "is fax TwiML, not valid in a voice or messaging answer", // Programmable Fax: <Response><Receive action=...>
	"Autopilot": "connected the call to Twilio Autopilot, which Twilio shut down on August 25, 2023: connect it to <ConversationRelay> or <VirtualAgent> instead",
	"Assistant": "connected the call to a Twilio AI Assistant; AI Assistants retired in July 2026: connect it to <ConversationRelay> instead",
}

// article names the TwiML of a channel in messages: voice or messaging.
func article(ch oosc.Channel) string {
	if ch == oosc.Voice {
		return "voice"
	}
	return "messaging"
}

func takes(parent *elemSpec) string {
	if len(parent.childNames) == 0 {
		return "<" + parent.name + "> takes no child elements"
	}
	return "<" + parent.name + "> takes " + list(parent.childNames, "<", ">")
}

// checkAttrs checks the attributes of el, which holds each name once: the
// parsers report a repeated attribute (and keep the first), and the
// builders refuse one.
func (c *checker) checkAttrs(el *node, spec *elemSpec, path *node, parent string, line int) {
	for i := range el.attrs {
		a := &el.attrs[i]
		name := a.name
		as, ok := spec.attrs[name]
		if !ok {
			c.unknownAttr(spec, path, name, line)
			continue
		}
		for _, f := range spec.forbiddenIn[parent] {
			if f == name && c.room(RuleAttributeNotAllowed) {
				c.addAt(RuleAttributeNotAllowed, path, name, line, "attribute %s is not allowed on <%s> inside <%s>", name, spec.name, parent)
			}
		}
		if as.deprecated && c.room(RuleDeprecated) {
			c.addAt(RuleDeprecated, path, name, line, "attribute %s of <%s> is deprecated", name, spec.name)
		}
		c.checkValue(as, a.value, spec, path, name, line)
	}
	for _, name := range spec.required {
		if !el.has(name) && c.room(RuleMissingAttribute) {
			c.addAt(RuleMissingAttribute, path, name, line, "<%s> needs the attribute %s", spec.name, name)
		}
	}
}

// match reports whether re matches v, remembering the answer for the rest
// of the document: the same voice, language or number comes back on
// element after element, and a regular expression costs more than a
// lookup.
func (c *checker) match(re *regexp.Regexp, v string) bool {
	k := matchKey{re, v}
	if m, ok := c.matches[k]; ok {
		return m
	}
	m := re.MatchString(v)
	if c.matches == nil {
		c.matches = map[matchKey]bool{}
	}
	if len(c.matches) < maxMatches {
		c.matches[k] = m
	}
	return m
}

type matchKey struct {
	re *regexp.Regexp
	v  string
}

// maxMatches bounds the answers remembered for one document.
const maxMatches = 256

func (c *checker) unknownAttr(spec *elemSpec, path *node, name string, line int) {
	for _, known := range spec.attrNames {
		if strings.EqualFold(known, name) {
			if c.room(RuleAttributeCase) {
				c.addAt(RuleAttributeCase, path, name, line, "attribute %s of <%s> must be written %s; names are case-sensitive", name, spec.name, known)
			}
			return
		}
	}
	if !c.room(RuleUnknownAttribute) {
		return
	}
	allowed := "<" + spec.name + "> takes no attributes"
	if len(spec.attrNames) > 0 {
		allowed = "<" + spec.name + "> takes " + list(spec.attrNames, "", "")
	}
	c.addAt(RuleUnknownAttribute, path, name, line, "<%s> has no attribute %s%s; %s", spec.name, name, suggest(name, spec.attrNames, "", ""), allowed)
}

// checkValue checks one attribute value against its spec.
func (c *checker) checkValue(as *attrSpec, v string, spec *elemSpec, path *node, name string, line int) {
	if v == "" {
		switch {
		case as.allowEmpty: // documented: Conference waitUrl="" plays no wait music (13233)
			return
		case as.typ == attrEnum && contains(as.values, ""):
		case as.typ == attrString:
			if c.room(RuleEmptyAttribute) {
				c.addAt(RuleEmptyAttribute, path, name, line, "attribute %s is empty; remove it or give it a value", name)
			}
			return
		default:
			if c.room(RuleInvalidValue) {
				c.addAt(RuleInvalidValue, path, name, line, "attribute %s is empty; %s", name, expect(as))
			}
			return
		}
	}
	switch as.typ {
	case attrEnum:
		switch {
		case contains(as.values, v):
		case as.boolean && (v == "1" || v == "0"):
			// Twilio's schema validation (an XML Schema xs:boolean, by its
			// 12200 messages) takes 1 and 0; its documents say true or false.
			if c.room(RuleBooleanDigit) {
				c.addAt(RuleBooleanDigit, path, name, line, "%s=%q is an XML Schema boolean, which Twilio's schema check accepts, but Twilio documents only true and false; write %s",
					name, v, map[string]string{"1": "true", "0": "false"}[v])
			}
		default:
			if c.room(RuleInvalidValue) {
				c.addAt(RuleInvalidValue, path, name, line, "%s=%q is not allowed; %s", name, v, expect(as))
			}
		}
	case attrEnumList:
		for _, part := range strings.Split(v, " ") {
			if !contains(as.values, part) {
				if c.room(RuleInvalidValue) {
					c.addAt(RuleInvalidValue, path, name, line, "%s=%q: %q is not allowed; %s", name, v, part, expect(as))
				}
				break
			}
		}
	case attrInteger:
		c.checkInteger(as, v, path, name, line)
	case attrPattern:
		if !c.match(as.pattern, v) && c.room(RuleInvalidValue) {
			c.addAt(RuleInvalidValue, path, name, line, "%s=%q is not allowed; %s", name, v, expect(as))
		}
	case attrURL:
		if msg := checkURL(v, "http", "https"); msg != "" && c.room(RuleInvalidValue) {
			c.addAt(RuleInvalidValue, path, name, line, "%s=%q %s", name, v, msg)
		}
	case attrWSURL:
		// Twilio streams to wss:// only: 31922 for <Stream> (a relative
		// URL would take the document's http(s) scheme).
		var code oosc.Code
		if path.name == "Stream" {
			code = oosc.CodeStreamURLScheme
		}
		if msg := checkURL(v, "wss"); msg != "" {
			if c.room(RuleInvalidValue) {
				c.addCodeAt(code, RuleInvalidValue, path, name, line, "%s=%q %s", name, v, strings.Replace(msg, ", or a relative one", "", 1))
			}
		} else if u, _ := url.Parse(v); u.Scheme == "" {
			if c.room(RuleInvalidValue) {
				c.addCodeAt(code, RuleInvalidValue, path, name, line, "%s=%q must be an absolute wss:// URL", name, v)
			}
		}
	case attrPhone:
		c.checkPhone(v, path, name, line)
	case attrSIPURI:
		c.checkSIP(v, path, name, line)
	case attrSID:
		c.checkSID(v, as.sidPrefix, path, name, line)
	case attrJSON:
		if !json.Valid([]byte(v)) && c.room(RuleInvalidValue) {
			c.addAt(RuleInvalidValue, path, name, line, "%s is not valid JSON", name)
		}
	}
	n := utf8.RuneCountInString(v)
	if as.maxLen > 0 && n > as.maxLen && c.room(RuleTooLong) {
		c.addAt(RuleTooLong, path, name, line, "%s is %d characters; at most %d are allowed", name, n, as.maxLen)
	}
	if as.minLen > 0 && n < as.minLen && c.room(RuleTooShort) {
		c.addAt(RuleTooShort, path, name, line, "%s is %d characters; at least %d are needed", name, n, as.minLen)
	}
}

func (c *checker) checkInteger(as *attrSpec, v string, path *node, name string, line int) {
	if as.pattern != nil && !c.match(as.pattern, v) {
		if c.room(RuleInvalidValue) {
			c.addAt(RuleInvalidValue, path, name, line, "%s=%q is not a whole number; %s", name, v, expect(as))
		}
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		if c.room(RuleOutOfRange) {
			c.addAt(RuleOutOfRange, path, name, line, "%s=%q is too large; %s", name, v, expect(as))
		}
		return
	}
	switch {
	case as.hasMin && n < as.min && as.minSoft:
		if c.room(RuleBelowSoftMin) {
			c.addAt(RuleBelowSoftMin, path, name, line, "%s=%d is below the documented minimum %d; Twilio may fall back to its default", name, n, as.min)
		}
	case as.hasMin && n < as.min, as.hasMax && n > as.max:
		if c.room(RuleOutOfRange) {
			c.addAt(RuleOutOfRange, path, name, line, "%s=%d is out of range; %s", name, n, expect(as))
		}
	}
}

var (
	reE164         = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	rePhoneLenient = regexp.MustCompile(`^[+0-9()\-. ]{3,}$`)
	reAddress      = regexp.MustCompile(`^[a-z]+:[^\s]+$`)
	reSID          = regexp.MustCompile(`^[A-Z]{2}[0-9a-fA-F]{32}$`)
)

func (c *checker) checkPhone(v string, path *node, name string, line int) {
	var r oosc.Rule
	var format string
	switch {
	case c.match(reE164, v):
		return
	case rePhoneLenient.MatchString(v) && strings.ContainsAny(v, "0123456789"):
		r, format = RuleNotE164, "%s is not E.164 (+ and 2 to 15 digits); Twilio guesses the country"
	case reAddress.MatchString(v):
		r, format = RuleUnconfirmedForm, "%s is a channel address; whether Twilio accepts it here is unconfirmed"
	default:
		r, format = RuleInvalidValue, "%s is not a phone number; use E.164 such as +14155550123"
	}
	if !c.room(r) {
		return
	}
	what := "text"
	if name != "" {
		what = name + "=" + strconv.Quote(v)
	}
	c.addAt(r, path, name, line, format, what)
}

func (c *checker) checkSIP(v string, path *node, name string, line int) {
	what := "text"
	if name != "" {
		what = name
	}
	// sip:host, sip:user@host, sips:…, or user@host as Twilio's own <Sip>
	// samples write it (Twilio adds the scheme); anything else, such as a
	// bare name, is 13243.
	rest, scheme := strings.CutPrefix(v, "sip:")
	if !scheme {
		rest, scheme = strings.CutPrefix(v, "sips:")
	}
	if user, host, at := strings.Cut(rest, "@"); rest == "" || strings.ContainsAny(rest, " \t\r\n") ||
		(!scheme && (!at || user == "" || host == "")) || (at && host == "") {
		if c.room(RuleInvalidValue) {
			c.addCodeAt(oosc.CodeInvalidSIPURI, RuleInvalidValue, path, name, line, "%s %q is not a SIP URI; write sip:user@host", what, clip(v))
		}
	}
	if n := utf8.RuneCountInString(v); n >= 255 && c.room(RuleTooLong) {
		c.addAt(RuleTooLong, path, name, line, "%s is %d characters; a SIP URI must be under 255", what, n)
	}
}

func isSID(v, prefix string) bool {
	return reSID.MatchString(v) && (prefix == "" || strings.HasPrefix(v, prefix))
}

var rePlaceholderSID = regexp.MustCompile(`^[A-Z]{2}[xX]{32}$`)

// checkSID checks a SID-typed value, an attribute's (name != "") or an
// element's text, with one message for every kind of SID.
func (c *checker) checkSID(v, prefix string, path *node, name string, line int) {
	if isSID(v, prefix) || !c.room(RuleInvalidValue) {
		return
	}
	what := "text " + strconv.Quote(clip(v))
	if name != "" {
		what = name + "=" + strconv.Quote(clip(v))
	}
	kind, shape := "a SID", "two capital letters and 32 hex digits"
	if prefix != "" {
		kind, shape = "a SID starting with "+prefix, prefix+" and 32 hex digits"
	}
	if rePlaceholderSID.MatchString(v) {
		c.addAt(RuleInvalidValue, path, name, line, "%s is a placeholder, not a real SID: put in %s (%s)", what, kind, shape)
		return
	}
	c.addAt(RuleInvalidValue, path, name, line, "%s is not %s (%s)", what, kind, shape)
}

// checkURL returns "" for an absolute URL with one of schemes or a relative
// URL, else what is wrong. White space anywhere in it, XML's or any other
// Unicode space (U+00A0, U+2028, ...), is refused: a URL has none.
func checkURL(v string, schemes ...string) string {
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		return "contains white space; encode a space as %20"
	}
	u, err := url.Parse(v)
	if err != nil {
		return "is not a URL"
	}
	if u.Scheme == "" {
		return ""
	}
	if !contains(schemes, lower(u.Scheme)) {
		return "must be a " + strings.Join(schemes, " or ") + " URL, or a relative one"
	}
	if u.Host == "" {
		return "has no host"
	}
	if strings.Contains(u.Hostname(), "_") {
		return "has an underscore in its host name, which Twilio does not allow"
	}
	return ""
}

func (c *checker) checkText(el *node, spec *elemSpec, path *node, line int, hasKids bool) {
	text := el.directText()
	ts := spec.text
	if !ts.allowed {
		if text != "" && c.room(RuleTextNotAllowed) {
			c.addAt(RuleTextNotAllowed, path, "", line, "<%s> takes no text, found %q", spec.name, clip(text))
		}
		return
	}
	if ts.required && !hasKids && text == "" {
		if spec.name == "Redirect" { // an empty relative URL is the current document
			if c.room(RuleEmptyRedirect) {
				c.addAt(RuleEmptyRedirect, path, "", line, "<Redirect/> without a URL requests the current document again; Twilio's queue tutorial uses it, but a URL says what is meant")
			}
			return
		}
		if c.room(RuleMissingText) {
			c.addCodeAt(missingTextCode(spec), RuleMissingText, path, "", line, "<%s> needs %s", spec.name, textMeaning(spec))
		}
		return
	}
	if ts.required && hasKids && text == "" && spec.kind != "noun" && el.fullText() == "" {
		if c.room(RuleMissingText) {
			c.addCodeAt(missingTextCode(spec), RuleMissingText, path, "", line, "<%s> needs %s", spec.name, textMeaning(spec))
		}
		return
	}
	if text == "" {
		return
	}
	switch ts.format {
	case "url":
		if msg := checkURL(text, "http", "https"); msg != "" && c.room(RuleInvalidValue) {
			c.addAt(RuleInvalidValue, path, "", line, "text %q %s", clip(text), msg)
		}
	case "phone_number":
		c.checkPhone(text, path, "", line)
	case "sip_uri":
		c.checkSIP(text, path, "", line)
	case "sid":
		c.checkSID(text, ts.sidPrefix, path, "", line)
	case "json":
		if !json.Valid([]byte(text)) && c.room(RuleInvalidValue) {
			c.addAt(RuleInvalidValue, path, "", line, "<%s> text is not valid JSON", spec.name)
		}
	}
	if n := utf8.RuneCountInString(text); ts.maxLen > 0 && n >= ts.maxLen*9/10 || ts.minLen > 0 && n < ts.minLen {
		c.checkLength(n, ts.minLen, ts.maxLen, "<"+spec.name+"> text", path, line)
	}
}

// checkLength reports a length over max (an error) or within 10% of it (a warning), or under min.
func (c *checker) checkLength(n, min, max int, what string, path *node, line int) {
	switch {
	case max > 0 && n > max:
		if c.room(RuleTooLong) {
			c.addAt(RuleTooLong, path, "", line, "%s is %d characters; at most %d are allowed", what, n, max)
		}
	case max > 0 && n >= max*9/10:
		if c.room(RuleNearLimit) {
			c.addAt(RuleNearLimit, path, "", line, "%s is %d characters, near the limit of %d", what, n, max)
		}
	}
	if min > 0 && n < min && c.room(RuleTooShort) {
		c.addAt(RuleTooShort, path, "", line, "%s is %d characters; at least %d are needed", what, n, min)
	}
}

// missingTextCode is the Twilio code of an element that lacks its text.
func missingTextCode(spec *elemSpec) oosc.Code {
	if spec.name == "Say" {
		return oosc.CodeSayInvalidText
	}
	return 0
}

func textMeaning(spec *elemSpec) string {
	switch spec.text.format {
	case "url":
		return "a URL as its text"
	case "phone_number":
		return "a phone number as its text"
	case "sip_uri":
		return "a SIP URI as its text"
	}
	if spec.name == "Say" {
		return "text to speak"
	}
	return "text"
}

// expect says what an attribute accepts.
func expect(as *attrSpec) string {
	switch as.typ {
	case attrEnum:
		if as.boolean {
			return "use true or false"
		}
		return "use one of " + list(as.values, "", "")
	case attrEnumList:
		return "use one or more of " + list(as.values, "", "") + ", separated by single spaces"
	case attrInteger:
		switch {
		case as.hasMin && as.hasMax:
			return "use a whole number from " + strconv.Itoa(as.min) + " to " + strconv.Itoa(as.max)
		case as.hasMin:
			return "use a whole number of at least " + strconv.Itoa(as.min)
		}
		return "use a whole number"
	case attrPattern:
		if d, ok := patternDescriptions[as.pattern.String()]; ok {
			return "use " + d
		}
		return "the value must match " + as.pattern.String()
	case attrURL:
		return "use an http(s) URL or a relative one"
	case attrWSURL:
		return "use a wss:// URL"
	case attrSID:
		if as.sidPrefix != "" {
			return "use " + as.sidPrefix + " followed by 32 hex digits"
		}
		return "use two capital letters followed by 32 hex digits"
	case attrPhone:
		return "use an E.164 number such as +14155550123"
	}
	return "give a value"
}

// patternDescriptions says in words what the schema's patterns accept.
var patternDescriptions = map[string]string{
	`^[0-9]+$`:                         "a whole number",
	`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`: "a language tag such as en-US",
	`^([1-9][0-9]*|auto)$`:             "a positive whole number or auto",
	`^[0-9A-DwW#*]+$`:                  "DTMF digits: 0-9, A-D, #, *, and w or W for a pause",
	`^[0-9]+( [0-9]+)*$`:               "whole numbers separated by single spaces",
	`^[0-9#*]*$`:                       "keys from 0-9, # and *",
	`^(man|woman|alice|Polly\.\p{L}+(-[A-Za-z0-9]+)*|Google\.[a-z]{2,3}(-[A-Za-z0-9]+)+)$`: "man, woman, Polly.<Name>[-Neural|-Generative] or Google.<locale>-<model>-<variant>",
	`^[0-9]+(\.[0-9]+)?(s|ms)$`:                                                 "a time such as 500ms or 2s",
	`^(default|x-low|low|medium|high|x-high|[+-][0-9]+%)$`:                      "default, x-low, low, medium, high, x-high or a relative change such as +10%",
	`^(x-slow|slow|medium|fast|x-fast|[0-9]+%)$`:                                "x-slow, slow, medium, fast, x-fast or a percentage such as 90%",
	`^(default|silent|x-soft|soft|medium|loud|x-loud|[+-][0-9]+(\.[0-9]+)?dB)$`: "default, silent, x-soft, soft, medium, loud, x-loud or a change such as +6dB",
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// list formats names for a message, shortening long lists.
func list(names []string, pre, post string) string {
	const max = 24
	var b strings.Builder
	for i, n := range names {
		if i == max {
			b.WriteString(", and " + strconv.Itoa(len(names)-max) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if n == "" {
			b.WriteString(`""`)
			continue
		}
		b.WriteString(pre + n + post)
	}
	return b.String()
}

// suggest returns " (did you mean X?)" for the known name closest to name,
// when it is close enough to be a misspelling.
func suggest(name string, known []string, pre, post string) string {
	best := spell.Closest(name, known, 2)
	if best == "" {
		return ""
	}
	return " (did you mean " + pre + best + post + "?)"
}

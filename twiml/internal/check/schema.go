package check

import (
	"regexp"
	"sort"
	"strings"

	"github.com/oosc-dev/oosc"
)

// The schema table (schema_table.go) is generated from the project's TwiML
// schema, twiml-schema.json; these are the types it is written in.

type attrType int

const (
	attrString   attrType = iota // free text; only lengths are checked
	attrURL                      // absolute http(s) or relative URL
	attrWSURL                    // absolute ws(s) URL
	attrEnum                     // one of values
	attrEnumList                 // values separated by single spaces
	attrInteger                  // decimal integer, with min/max
	attrPhone                    // phone number; E.164 recommended
	attrSIPURI                   // sip: or sips: URI
	attrSID                      // Twilio SID: prefix + 32 hex digits
	attrJSON                     // a JSON document
	attrPattern                  // must match pattern
)

type attrSpec struct {
	typ        attrType
	boolean    bool // an enum of "true" and "false"
	values     []string
	pattern    *regexp.Regexp
	min, max   int
	hasMin     bool
	hasMax     bool
	minSoft    bool // below min is a warning only
	minLen     int
	maxLen     int
	required   bool
	sidPrefix  string
	deprecated bool
	allowEmpty bool // "" is a documented value (Conference waitUrl="")
}

type textSpec struct {
	allowed   bool
	required  bool
	format    string // "", "url", "phone_number", "sip_uri", "sid", "json"
	sidPrefix string // for format "sid": the two letters it starts with, "" for any
	minLen    int
	maxLen    int
}

type flowKind int

const (
	flowContinue           flowKind = iota
	flowTerminal                    // later verbs are never reached
	flowTerminalWithAction          // later verbs are never reached when action is set
)

type elemSpec struct {
	key         string            // table key; "Sip@Refer" is <Sip> inside <Refer>
	name        string            // XML name
	kind        string            // root, verb, noun, ssml
	children    map[string]string // child XML name -> table key
	text        textSpec
	attrs       map[string]*attrSpec
	forbiddenIn map[string][]string // parent name -> attributes not allowed there
	flow        flowKind
	deprecated  bool

	// Filled by newChannelSchema, for messages and a fixed order.
	attrNames  []string // sorted
	childNames []string // sorted
	required   []string // sorted names of required attributes
}

// channelSchema is the table of one channel.
type channelSchema struct {
	channel  oosc.Channel
	elements map[string]*elemSpec
	// byName indexes elements by XML name (the first key wins for names
	// used twice, such as Sip and Sip@Refer); byFold by lower-cased name.
	byName map[string]*elemSpec
	byFold map[string]string
}

var schemas = map[oosc.Channel]*channelSchema{
	oosc.Voice: newChannelSchema(oosc.Voice, voiceElements),
	oosc.SMS:   newChannelSchema(oosc.SMS, messagingElements),
}

func newChannelSchema(ch oosc.Channel, elems map[string]*elemSpec) *channelSchema {
	s := &channelSchema{channel: ch, elements: elems, byName: map[string]*elemSpec{}, byFold: map[string]string{}}
	for key, e := range elems {
		e.attrNames = sortedKeys(e.attrs)
		e.childNames = sortedKeys(e.children)
		for _, n := range e.attrNames {
			if e.attrs[n].required {
				e.required = append(e.required, n)
			}
		}
		if prev, ok := s.byName[e.name]; !ok || key < prev.key {
			s.byName[e.name] = e
		}
		s.byFold[lower(e.name)] = e.name
	}
	return s
}

// lower returns s with ASCII capitals made small, s itself when it has
// none.
func lower(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' }) < 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package spell

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosest(t *testing.T) {
	fields := []string{"uniqueName", "participantIdentifier", "ttl"}
	tests := []struct{ name, want string }{
		{"participantIdentifer", "participantIdentifier"},
		{"uniquename", "uniqueName"},
		{"TTL", "ttl"},
		{"color", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Closest(tt.name, fields, 3), tt.name)
	}
	assert.Equal(t, 3, Distance("kitten", "sitting"))
	assert.Equal(t, 64, Distance(string(make([]byte, 65)), "a"))
	assert.Equal(t, 3, Distance("TTL", "ttl"), "Distance is case-sensitive")
	assert.Equal(t, 0, distance("TTL", "ttl", true))
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { Closest("Bogus12", fields, 2) }), "Closest allocates")
}

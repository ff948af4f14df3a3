// Package spell finds the known name a misspelt one was meant to be, for
// "did you mean" hints in validation messages.
package spell

// Closest returns the name in known nearest to name (ignoring ASCII case)
// when it is within maxDist edits, else "".
func Closest(name string, known []string, maxDist int) string {
	best, bestD := "", maxDist+1
	for _, k := range known {
		if d := distance(name, k, true); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// maxLen is the longest input Distance compares.
const maxLen = 64

// Distance is the Levenshtein distance between a and b, in bytes. Inputs
// longer than 64 bytes are not compared: the result is 64.
func Distance(a, b string) int { return distance(a, b, false) }

// distance is Distance, with ASCII letters of either case equal when fold
// is set. It allocates nothing: its two rows live on the stack.
func distance(a, b string, fold bool) int {
	if len(a) > maxLen || len(b) > maxLen {
		return maxLen
	}
	var rows [2][maxLen + 1]int
	prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if x, y := a[i-1], b[j-1]; x == y || fold && lower(x) == lower(y) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

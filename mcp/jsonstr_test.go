package mcp

import "testing"

func TestHasLoneSurrogate(t *testing.T) {
	for _, tc := range []struct {
		json string
		want bool
	}{
		{`{"a":"plain"}`, false},
		{`{"a":"\u00e9\u2028"}`, false},
		{`{"a":"\ud83d\ude00"}`, false}, // a pair: 😀
		{`{"a":"\uD83D\uDE00"}`, false},
		{`{"a":"\ud800"}`, true},
		{`{"a":"\udfff"}`, true},                   // a low half alone
		{`{"a":"\ud800\u0041"}`, true},             // a high half and no low one
		{`{"a":"\ud800\\ude00"}`, true},            // an escaped backslash, not an escape
		{`{"a":"\\ud800"}`, false},                 // the text \ud800, not an escape
		{`{"\ud800":1}`, true},                     // keys count too
		{`{"a":"x","b":"\"\ud800"}`, true},         // after an escaped quote
		{`{"a":"\ud800\udc00\ud800"}`, true},       // a pair, then a lone one
		{`["\ud83d\ude00","\ud83d\ude00"]`, false}, // two pairs
	} {
		if got := hasLoneSurrogate([]byte(tc.json)); got != tc.want {
			t.Errorf("hasLoneSurrogate(%s) = %v, want %v", tc.json, got, tc.want)
		}
	}
}

package mcp

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// message is one validated JSON-RPC 2.0 line from a client.
type message struct {
	id       json.RawMessage // nil for a notification
	method   string
	params   json.RawMessage // nil when absent
	response bool            // a reply to a server-initiated request
}

func (m message) isRequest() bool { return m.id != nil }

// rejection is a line refused before it reaches any handler.
type rejection struct {
	id  json.RawMessage // nil answers with id null
	err *wireError
	// silent: the line was a notification or response, so JSON-RPC forbids
	// an answer; it is only logged.
	silent bool
}

func reject(id json.RawMessage, code int, msg string) *rejection {
	return &rejection{id: id, err: &wireError{Code: code, Message: msg}}
}

// parseMessage validates the framing rules the agent enforces on every line
// (R2, R4): valid UTF-8, valid JSON, one object (no batch), jsonrpc "2.0",
// an id that is a string or a number, params that are an object when given.
func parseMessage(line []byte) (message, *rejection) {
	if !utf8.Valid(line) {
		return message{}, reject(nil, codeParseError, "parse error: the message is not valid UTF-8")
	}
	if !json.Valid(line) {
		return message{}, reject(nil, codeParseError, "parse error: the message is not valid JSON")
	}
	if hasLoneSurrogate(line) {
		// encoding/json would quietly turn it into U+FFFD: a name or a
		// command would then be stored or run other than it was sent (R4).
		return message{}, reject(nil, codeParseError, "parse error: the message escapes a lone UTF-16 surrogate (\\uD800-\\uDFFF), which is not a character")
	}
	line = trimSpace(line)
	switch line[0] {
	case '[':
		return message{}, reject(nil, codeInvalidRequest, "batch requests are not supported: send one message per line")
	case '{':
	default:
		return message{}, reject(nil, codeInvalidRequest, "invalid request: a message must be a JSON object")
	}
	var env struct {
		JSONRPC json.RawMessage `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  json.RawMessage `json:"method"`
		Params  json.RawMessage `json:"params"`
		Result  json.RawMessage `json:"result"`
		Error   json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(line, &env); err != nil {
		return message{}, reject(nil, codeInvalidRequest, "invalid request: a message must be a JSON object")
	}
	var m message
	if env.ID != nil {
		if !validID(env.ID) {
			return message{}, reject(nil, codeInvalidRequest, "invalid request: id must be a string or a number")
		}
		m.id = env.ID
	}
	if string(env.JSONRPC) != `"2.0"` {
		return message{}, reject(m.id, codeInvalidRequest, `invalid request: "jsonrpc" must be "2.0"`)
	}
	if env.Method == nil {
		if env.Result != nil || env.Error != nil {
			m.response = true
			return m, nil
		}
		return message{}, reject(m.id, codeInvalidRequest, "invalid request: no method")
	}
	if err := json.Unmarshal(env.Method, &m.method); err != nil || m.method == "" {
		return message{}, reject(m.id, codeInvalidRequest, "invalid request: method must be a non-empty string")
	}
	if env.Params != nil && !bytes.Equal(env.Params, []byte("null")) {
		if env.Params[0] != '{' {
			r := reject(m.id, codeInvalidParams, "invalid params: params must be an object")
			r.silent = m.id == nil
			return message{}, r
		}
		m.params = env.Params
	}
	return m, nil
}

// validID accepts a JSON string or number. null is refused: a request with
// id null cannot be told apart from the error replies that carry id null.
func validID(raw json.RawMessage) bool {
	switch c := raw[0]; {
	case c == '"':
		return true
	case c == '-' || ('0' <= c && c <= '9'):
		return true
	}
	return false
}

// idKey is a canonical form of a request id, so that a cancellation naming
// 7 finds the request sent as 7.0.
func idKey(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return "s:" + s
		}
		return ""
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return ""
	}
	return "n:" + strconv.FormatFloat(f, 'g', -1, 64)
}

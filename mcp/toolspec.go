package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"

	mcplib "github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

// paramType is the JSON type of one tool parameter.
type paramType int

const (
	typeString paramType = iota
	typeStringArray
	typeNumber
)

func (t paramType) String() string {
	return [...]string{"a string", "an array of strings", "a number"}[t]
}

type toolParam struct {
	name     string
	typ      paramType
	required bool
	desc     string
}

// toolSpec is one MCP tool: its schema, annotations and handler. The same
// spec builds the advertised schema and the validation that runs before
// mcp-go sees a tools/call, so the two cannot drift apart.
type toolSpec struct {
	name, title, desc                            string
	params                                       []toolParam
	readOnly, destructive, idempotent, openWorld bool
	handle                                       func(ctx context.Context, c *conn, args map[string]any) *mcplib.CallToolResult
}

func (t toolSpec) tool() mcplib.Tool {
	opts := []mcplib.ToolOption{
		mcplib.WithDescription(t.desc),
		mcplib.WithToolAnnotation(mcplib.ToolAnnotation{
			Title:           t.title,
			ReadOnlyHint:    mcplib.ToBoolPtr(t.readOnly),
			DestructiveHint: mcplib.ToBoolPtr(t.destructive),
			IdempotentHint:  mcplib.ToBoolPtr(t.idempotent),
			OpenWorldHint:   mcplib.ToBoolPtr(t.openWorld),
		}),
	}
	for _, p := range t.params {
		popts := []mcplib.PropertyOption{mcplib.Description(p.desc)}
		if p.required {
			popts = append(popts, mcplib.Required())
		}
		switch p.typ {
		case typeString:
			opts = append(opts, mcplib.WithString(p.name, popts...))
		case typeStringArray:
			opts = append(opts, mcplib.WithArray(p.name, append(popts, mcplib.WithStringItems())...))
		case typeNumber:
			opts = append(opts, mcplib.WithNumber(p.name, popts...))
		}
	}
	return mcplib.NewTool(t.name, opts...)
}

func (t toolSpec) serverTool() mcpserver.ServerTool {
	return mcpserver.ServerTool{
		Tool: t.tool(),
		Handler: func(ctx context.Context, req mcplib.CallToolRequest) (res *mcplib.CallToolResult, _ error) {
			c := connFromContext(ctx)
			defer func() {
				if p := recover(); p != nil {
					// The panic value is not logged: it might quote a value.
					c.srv.logf("mcp: %s: panic (%T) in tool %s\n%s", c.id, p, t.name, debug.Stack())
					res = mcplib.NewToolResultError("internal error in the agent; its log has the details")
				}
			}()
			if c == nil {
				return mcplib.NewToolResultError("internal error: no connection"), nil
			}
			c.claimFromRequest(ctx)
			args, _ := req.Params.Arguments.(map[string]any)
			return t.handle(ctx, c, args), nil
		},
	}
}

func findTool(name string) (toolSpec, bool) {
	for _, t := range toolSpecs {
		if t.name == name {
			return t, true
		}
	}
	return toolSpec{}, false
}

// validateToolCall checks tools/call params against the tool's spec (R1):
// params an object with a known tool name, arguments an object (absent or
// null means {}, as some clients send null for "no arguments"), required
// arguments present and every known argument of the right type. Unknown arguments are ignored. Messages name the rule broken,
// never the value.
func validateToolCall(params json.RawMessage) *wireError {
	invalid := func(format string, a ...any) *wireError {
		return &wireError{Code: codeInvalidParams, Message: "invalid params: " + fmt.Sprintf(format, a...)}
	}
	if params == nil {
		return invalid(`tools/call needs params {"name": ..., "arguments": {...}}`)
	}
	var p struct {
		Name      json.RawMessage `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	}
	if json.Unmarshal(params, &p) != nil {
		return invalid("params must be an object")
	}
	var name string
	if p.Name == nil || json.Unmarshal(p.Name, &name) != nil {
		return invalid(`"name" must be a string naming a tool`)
	}
	spec, ok := findTool(name)
	if !ok {
		return invalid("no tool named %q; call tools/list", truncate(name, 64))
	}
	args := map[string]json.RawMessage{}
	if p.Arguments != nil && string(p.Arguments) != "null" {
		if p.Arguments[0] != '{' {
			return invalid(`"arguments" must be an object`)
		}
		if json.Unmarshal(p.Arguments, &args) != nil {
			return invalid(`"arguments" must be an object`)
		}
	}
	for _, tp := range spec.params {
		raw, present := args[tp.name]
		if !present || string(raw) == "null" {
			if tp.required {
				return invalid("%s needs %q (%s)", spec.name, tp.name, tp.typ)
			}
			continue
		}
		if !hasType(raw, tp.typ) {
			return invalid("%s: %q must be %s", spec.name, tp.name, tp.typ)
		}
	}
	return nil
}

// hasType reports whether raw is a JSON value of type t. null is no
// string and no number (encoding/json would read it as "" or 0).
func hasType(raw json.RawMessage, t paramType) bool {
	switch t {
	case typeString:
		var s string
		return raw[0] == '"' && json.Unmarshal(raw, &s) == nil
	case typeStringArray:
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			return false
		}
		for _, it := range items {
			if !hasType(it, typeString) {
				return false
			}
		}
		return true
	case typeNumber:
		var f float64
		return raw[0] != 'n' && json.Unmarshal(raw, &f) == nil
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

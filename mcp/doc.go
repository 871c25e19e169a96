// Package mcp serves the agent to its clients over a local Unix socket.
//
// One [Server] listens on the socket ([Listen], [DefaultSocketPath]), checks
// each connection's peer credentials with the kernel, and gives every
// connection its own session. AI clients speak MCP (newline-delimited
// JSON-RPC 2.0) through the stdio [Bridge] (`sciorex-secrets mcp`); the CLI
// speaks the same framing with the sciorex/* control methods through a
// [Client]. The five MCP tools are a contract: see tools.go.
//
// The reader is hardened: a line is capped at [MaxMessage], batches,
// malformed JSON, invalid UTF-8 and malformed tools/call params get JSON-RPC
// errors, a panic in one request answers -32603 and never stops the others.
// No secret value ever reaches a log line, an error or (except a `reveal`
// answer and the CLI's release) a response. This package talks to package
// session only.
package mcp

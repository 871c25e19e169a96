// Package audit keeps the tamper-evident audit trail of sciorex-secrets: an
// append-only JSON Lines file beside the vault, with one [Record] per event
// (a request, an approval, a release, a run, a change to the vault...).
// A record holds names of secrets, never a value: [Record] has no field
// that could carry one.
//
// [Open] a [Log], give it the MAC key with [Log.SetKey] once the vault is
// unlocked (nil again when it locks), and [Log.Append] every event before
// acting on it. Append writes the line and fsyncs before it returns; if it
// fails (disk full, file removed or replaced, another writer), the error
// wraps [ErrWrite] and the caller must deny the access it was recording.
// [Verify] checks a log; [ReadLast], [Format] and [Follow] serve
// "sciorex-secrets audit tail".
//
// # Format
//
// Each line is one record, encoded exactly as [Record.MarshalJSON] does:
// keys in the order time, seq, event, session, agent, verified, project,
// secrets, command, request, exit_code, masked, detail, prev, mac; empty
// optional fields left out; time in UTC as RFC 3339 with milliseconds
// ("2026-05-01T12:03:41.120Z"); no spaces; then "\n". A verifier re-encodes
// every record it parses and rejects a line whose bytes differ, so one
// record has exactly one line.
//
//   - seq starts at 1 and grows by one per record, without gaps, across
//     rotated files.
//   - prev is the lowercase hex SHA-256 of the previous line without its
//     newline, or 64 zeros for record 1.
//   - mac, when present, is the lowercase hex HMAC-SHA256 under the audit
//     key of the line of this record as it would be encoded without mac.
//     The caller derives the key from the vault's data key with HKDF, for
//     this use alone; this package never sees the data key.
//
// The mac covers prev, and prev covers the whole previous line including
// its mac, so every sealed record vouches for all the records before it.
//
// # Records written while the vault is locked
//
// With no key (the vault is locked: failed unlocks, refused connections),
// records are written with prev but without mac: they are unsealed. The
// next sealed record seals them: its mac covers its prev, which is the hash
// of the last unsealed line, whose prev is the hash of the line before, and
// so on back to the previous sealed record. To rewrite, insert or delete
// an unsealed record without being seen, someone would have to change the
// prev of the next sealed record too, which breaks its mac, or find other
// lines with the same SHA-256, which is not feasible.
//
// The limit: unsealed records after the last sealed one (Report.UnsealedTail)
// are protected by nothing but the hash chain, which anyone can recompute.
// They can be rewritten, and forged unsealed records can be appended, until
// the next sealed record commits to them. The caller should append a
// sealed "unlock" record as soon as it has set the key, so that this
// window is the locked period itself.
//
// # What the chain cannot show
//
// Cutting records off the end leaves a valid, shorter log, and removing
// every mac from some record on (turning them into an unsealed tail) also
// verifies. Neither can be seen from the file alone. [Log.Head] gives the
// seq and mac of the last record so the vault (encrypted and authenticated
// on its own) can keep a checkpoint; [VerifyWith] then requires the log to
// reach that record with that mac. Without the key, only the hash chain is
// checked: anyone who can write the file can rewrite it and recompute
// every prev.
//
// # The vault's checkpoint
//
// The agent stores the head in the vault (vault/FORMAT.md, "Audit
// checkpoint") when the head is a sealed record: after every idle tick in
// which the log grew (15 s by default), and before the vault locks, which
// includes the agent stopping. The checkpoint never moves backwards. At
// unlock the agent runs [VerifyWith] on the whole trail against it; a
// mismatch does not refuse the unlock but is recorded as an "error" event
// and shown to the user. "sciorex-secrets audit verify" checks the same
// when given the password, and says which record it checked against.
//
// The limit: records written after the last checkpoint can still be cut
// off, or stripped of their macs, without notice: while unlocked, at most
// one idle tick's worth; while locked (failed unlocks, refused
// connections), everything since the lock. Putting back an older vault
// file puts back its older checkpoint too.
//
// # Failures and crashes
//
// A failed write is cut back, so no partial line stays in the file; if that
// cut or an fsync fails, the Log refuses every further Append until it is
// reopened. A crash in the middle of a write can still leave an incomplete
// last line: [Verify] reports it as torn, and [Open] cuts it off (it was
// never reported as written) and appends an "error" record saying so.
// Before every write the Log checks that the path still names the file it
// opened and that the file has not grown or shrunk under it: a removed,
// replaced or shared file makes Append fail rather than start a new chain.
//
// # Rotation
//
// Once the file has grown past [Options.MaxSize] (10 MiB by default), the
// next Append renames it to "<name>.<first seq>-<last seq>" and starts a
// new file whose first record's prev is the hash of the rotated file's
// last line. Verify follows the chain through the rotated files in seq
// order, then the current file, and checks each rotated file's name
// against the records it holds. Rotated files are never deleted by this
// package; deleting the oldest ones makes Verify report the missing
// records.
package audit

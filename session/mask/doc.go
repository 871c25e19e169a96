// Package mask hides secret values in a command's output as it streams.
//
// [Compile] turns the secrets injected into a child process into a [Set] of
// byte patterns; [Set.NewWriter] wraps the child's stdout or stderr so that
// every occurrence of a pattern is replaced by "[masked:NAME]".
//
// # What is caught
//
// For every secret of at least [MinLen] bytes, the Set masks:
//   - the raw value, and for a multi-line value its LF and CRLF forms and
//     each line of at least MinLen bytes on its own (a line is the text
//     between line breaks, without the spaces or tabs at its ends);
//   - hex, lower and upper case;
//   - base64 in the standard and URL alphabets, padded or not, at the three
//     alignments a value can take inside a longer base64 stream: the
//     pattern is the run of characters that depends on the value alone, so
//     "echo $TOKEN | base64" (value plus newline) is caught too;
//   - URL percent-encoding as common encoders write it (Go QueryEscape and
//     PathEscape, JavaScript encodeURIComponent and encodeURI, Python quote),
//     with "%20" or "+" for a space and upper or lower case hex digits;
//   - JSON string escaping as Go, JavaScript, Python and PHP write it
//     (optional HTML escaping, \u escapes for non-ASCII, escaped "/");
//   - base64 wrapped into lines as "base64" (76 columns) and PEM or
//     "openssl base64" (64 columns) write a value that starts their input:
//     each line of 16 characters or more is masked on its own.
//
// A value longer than [MaxEncodedLen] is masked as its raw bytes and its
// lines only: its encodings would cost memory many times its size.
//
// # What is not caught
//
// Masking is a net, not a wall: a child that wants to leak a value can.
// Compressed, encrypted, hashed, reversed, sliced, re-cased or otherwise
// transformed values are not caught, nor base64 wrapped from a value that
// starts inside the wrapped stream, nor other encodings (base32,
// quoted-printable, shell quoting), nor a value interleaved with other
// output such as terminal escape sequences. A value shorter than [MinLen]
// bytes is not masked at all (masking "a" would destroy the output), and
// [Compile] says so in a warning. The few characters at either end of a
// base64 pattern that mix value bits with neighbouring bytes stay visible,
// as does a last line of wrapped base64 shorter than 16 characters.
//
// # Streaming
//
// A [Writer] holds back only the bytes that could still be the start of a
// pattern (at most the longest pattern minus one byte) and writes every
// other byte through at once, so a value split across Write calls is still
// masked and ordinary output is not delayed. A stream that ends with the
// first [MinTailLen] bytes or more of a pattern (a child that died halfway
// through printing a value) has that end masked too. When matches of different
// patterns overlap, the longest match at the earliest position wins, and
// a match that overlaps it and reaches further extends the masked run, so
// no byte of a matched pattern is ever printed.
package mask

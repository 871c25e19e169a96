#!/usr/bin/env bash
# bench/compare.sh: whole-process comparison of sciorex-secrets with the tools
# users would pick instead (pass, gopass, keepassxc-cli, secret-tool), on the
# same machine in one run. Writes BENCHMARKS.md at the repository root.
#
# Usage: bench/compare.sh [GO_BENCH_OUTPUT]
#   GO_BENCH_OUTPUT  a file with `go test -bench` output to include (make bench
#                    passes it); without it the Go section says so.
# Environment:
#   BENCH_SIZES="10 1000 10000"   secret counts
#   BENCH_RUNS=9                  timed rounds per figure (median of these)
#   BENCH_SECRET_TOOL_MAX=1000    largest N given to secret-tool (see below)
#   BENCH_OUT=BENCHMARKS.md       output file
#   BENCH_NO_INSTALL=1            do not apt-get install missing peers
#
# Each figure is the median of BENCH_RUNS rounds; a round runs every tool's
# command once, in turn (interleaved A/B), so load on this shared machine
# hits every tool alike. Times are wall clock from bash's $EPOCHREALTIME
# around the command (no extra process is started to read the clock).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${BENCH_SIZES:-"10 1000 10000"}
RUNS=${BENCH_RUNS:-9}
SECRET_TOOL_MAX=${BENCH_SECRET_TOOL_MAX:-1000}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
GO_RESULTS=${1:-}
[ -n "$GO_RESULTS" ] && GO_RESULTS=$(cd "$(dirname "$GO_RESULTS")" && pwd)/$(basename "$GO_RESULTS")

# secret-tool needs a session bus with gnome-keyring-daemon on it: run the
# whole script inside a private one so every tool is timed in the same loop.
if [ -z "${SX_BENCH_IN_DBUS:-}" ] && command -v dbus-run-session >/dev/null; then
	export SX_BENCH_IN_DBUS=1
	exec dbus-run-session -- "$0" "$@"
fi

say() { printf 'compare: %s\n' "$*" >&2; }

install_peers() {
	local want=()
	command -v pass >/dev/null || want+=(pass)
	command -v gopass >/dev/null || want+=(gopass)
	command -v keepassxc-cli >/dev/null || want+=(keepassxc)
	command -v secret-tool >/dev/null || want+=(libsecret-tools)
	command -v gnome-keyring-daemon >/dev/null || want+=(gnome-keyring)
	command -v gpg >/dev/null || want+=(gnupg)
	[ ${#want[@]} -eq 0 ] && return 0
	if [ -n "${BENCH_NO_INSTALL:-}" ]; then
		say "missing ${want[*]}; BENCH_NO_INSTALL set, those peers are skipped"
		return 0
	fi
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo -n"
	say "installing ${want[*]} from Debian packages"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${want[@]}" >&2 || say "apt-get failed: the missing peers are skipped"
}
install_peers

W=$(mktemp -d /tmp/sx-compare-XXXXXX)
AGENT_PID=""
cleanup() {
	[ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
	command -v gpgconf >/dev/null && GNUPGHOME=$W/gnupg gpgconf --kill all 2>/dev/null
	[ -n "${KEYRING_PID:-}" ] && kill "$KEYRING_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

# Every tool keeps its state under $W, never in the user's home.
export HOME=$W/home XDG_CONFIG_HOME=$W/home/.config XDG_DATA_HOME=$W/home/.local/share XDG_RUNTIME_DIR=$W/xdg
export GNUPGHOME=$W/gnupg PASSWORD_STORE_DIR=$W/pass
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$GNUPGHOME"
chmod 700 "$XDG_RUNTIME_DIR" "$GNUPGHOME"
PW="bench master password"
printf '%s\n' "$PW" >"$W/pw"

value_of() { printf 'v%05d-0123456789abcdef0123456789abcdef' "$1"; }

# ---------------------------------------------------------------- timing
# timeit KEY CMD...: run CMD once, append its wall time in microseconds to
# $W/t/KEY; a failure is counted in $W/t/KEY.fail and not timed.
mkdir -p "$W/t"
timeit() {
	local key=$1 t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	if "$@" >/dev/null 2>"$W/stderr"; then
		t1=${EPOCHREALTIME/./}
		echo $((t1 - t0)) >>"$W/t/$key"
	else
		{ echo "$key: $*"; head -5 "$W/stderr"; } >>"$W/errors.log"
		echo x >>"$W/t/$key.fail"
	fi
}

# stats KEY: "median min max q1 q3 count" in ms, or nothing.
stats() {
	[ -s "$W/t/$1" ] || return 0
	sort -n "$W/t/$1" | awk '{v[NR]=$1} END {
		n=NR; med=(n%2)?v[(n+1)/2]:(v[n/2]+v[n/2+1])/2
		q1=v[int((n+3)/4)]; q3=v[int((3*n+1)/4)]
		printf "%.3f %.3f %.3f %.3f %.3f %d\n", med/1000, v[1]/1000, v[n]/1000, q1/1000, q3/1000, n }'
}

# ---------------------------------------------------------------- peers
TOOLS=()
SX=$W/bin/sciorex-secrets
say "building sciorex-secrets and the vault filler"
(cd "$ROOT" && go build -o "$SX" ./cmd/sciorex-secrets && go build -o "$W/bin/fillvault" ./bench/fillvault)
TOOLS+=(sciorex)

setup_gpg() {
	gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'sx bench <bench@invalid>' default default never 2>/dev/null
	GPG_KEY=$(gpg --list-keys --with-colons 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
	[ -n "$GPG_KEY" ]
}
HAVE_GPG=""
if command -v gpg >/dev/null && setup_gpg; then HAVE_GPG=1; fi
if [ -n "$HAVE_GPG" ] && command -v pass >/dev/null; then TOOLS+=(pass); fi
if [ -n "$HAVE_GPG" ] && command -v gopass >/dev/null; then TOOLS+=(gopass); fi
command -v keepassxc-cli >/dev/null && TOOLS+=(keepassxc)
if command -v secret-tool >/dev/null && command -v gnome-keyring-daemon >/dev/null && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	# --unlock creates and unlocks the login keyring with this password.
	eval "$(printf '%s' "$PW" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
	KEYRING_PID=${GNOME_KEYRING_PID:-}
	if printf x | secret-tool store --label=probe sxbench probe 2>>"$W/errors.log"; then
		TOOLS+=(secrettool)
	else
		say "gnome-keyring-daemon did not come up: secret-tool skipped"
	fi
fi
say "tools: ${TOOLS[*]}"

# fill_TOOL N: a fresh store of N secrets for that tool.
fill_sciorex() {
	local n=$1 d=$W/sx-$1
	mkdir -p "$d"
	[ -n "$AGENT_PID" ] && { kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null || true; AGENT_PID=""; }
	"$W/bin/fillvault" -n "$n" -out "$d/vault.sxv" <"$W/pw"
	export SCIOREX_VAULT=$d/vault.sxv SCIOREX_SOCKET=$W/xdg/sx-$n/agent.sock SCIOREX_CONFIG=$d/config.json
	# The approval program is /bin/true: it approves at once, so approval
	# costs one exec of /bin/true inside the agent (timed apart, subtracted
	# for the run overhead).
	export SCIOREX_ASKPASS=/bin/true
	echo '{}' >"$d/config.json"
	"$SX" agent --no-tray --password-stdin <"$W/pw" >"$d/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 200); do
		"$SX" status 2>/dev/null | grep -q "vault unlocked" && return 0
		sleep 0.05
	done
	say "the agent did not come up:"; cat "$d/agent.log" >&2
	return 1
}

fill_pass() {
	local n=$1 i plain
	rm -rf "$PASSWORD_STORE_DIR"
	pass init "$GPG_KEY" >/dev/null
	# One gpg process encrypts every file (--multifile); pass reads the
	# same NAME.gpg layout it would have written.
	plain=$W/plain
	rm -rf "$plain"
	mkdir -p "$plain"
	for ((i = 0; i < n; i++)); do value_of "$i" >"$plain/$(printf 'secret-%05d' "$i")"; done
	(cd "$plain" && find . -type f -print0 | xargs -0 -n 2000 gpg --batch --yes --quiet -r "$GPG_KEY" --multifile --encrypt)
	mv "$plain"/*.gpg "$PASSWORD_STORE_DIR"/ 2>/dev/null || find "$plain" -name '*.gpg' -exec mv -t "$PASSWORD_STORE_DIR" {} +
	rm -rf "$plain"
}

fill_gopass() {
	# Debian's gopass (aviau/gopass 1.5.0, a small Go rewrite of pass, not
	# gopasspw/gopass) reads the pass store of fill_pass: same layout, same key.
	[ -n "${ACTIVE[pass]:-}" ] && [ -f "$PASSWORD_STORE_DIR/.gpg-id" ]
}

fill_keepassxc() {
	local n=$1 i x=$W/kp.xml
	rm -f "$W/kp.kdbx"
	{
		echo '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
		echo '<KeePassFile><Meta><Generator>sx-bench</Generator></Meta><Root><Group><Name>Root</Name>'
		for ((i = 0; i < n; i++)); do
			printf '<Entry><String><Key>Title</Key><Value>secret-%05d</Value></String><String><Key>Password</Key><Value ProtectInMemory="True">%s</Value></String></Entry>\n' "$i" "$(value_of "$i")"
		done
		echo '</Group></Root></KeePassFile>'
	} >"$x"
	# import asks for the new database password twice.
	printf '%s\n%s\n' "$PW" "$PW" | keepassxc-cli import -q -p "$x" "$W/kp.kdbx" >/dev/null 2>&1 || return 1
	rm -f "$x"
}

fill_secrettool() {
	local n=$1 i
	[ "$n" -gt "$SECRET_TOOL_MAX" ] && return 1
	# A fresh set per N: clear the previous one (one call per item).
	secret-tool clear sxbench set 2>/dev/null || true
	for ((i = 0; i < n; i++)); do
		value_of "$i" | secret-tool store --label="$(printf 'secret-%05d' "$i")" sxbench set name "$(printf 'secret-%05d' "$i")"
	done
}

# ---------------------------------------------------------------- operations
# op_OPERATION_TOOL ROUND: one operation as a user would run it.
# read: the value of one secret reaches a child process (printenv).
op_read_sciorex() { "$SX" run --secret secret-00007 -- printenv SECRET_00007; }
op_read_pass() { local v; v=$(pass show secret-00007) && V=$v printenv V; }
op_read_gopass() { local v; v=$(gopass show secret-00007) && V=$v printenv V; }
op_read_keepassxc() { local v; v=$(keepassxc-cli show -q -s -a Password "$W/kp.kdbx" secret-00007 <"$W/pw") && V=$v printenv V; }
op_read_secrettool() { local v; v=$(secret-tool lookup sxbench set name secret-00007) && V=$v printenv V; }
# list: every name.
op_list_sciorex() { "$SX" list; }
op_list_pass() { pass ls; }
op_list_gopass() { gopass ls; }
op_list_keepassxc() { keepassxc-cli ls -q "$W/kp.kdbx" <"$W/pw"; }
op_list_secrettool() { secret-tool search --all sxbench set; }
# search: names containing secret-0000 (10 hits at every N). secret-tool can
# only match a whole attribute value, so it looks up one exact name.
op_search_sciorex() { "$SX" list --search secret-0000; }
op_search_pass() { pass find secret-0000; }
op_search_gopass() { gopass find secret-0000; }
op_search_keepassxc() { keepassxc-cli search -q "$W/kp.kdbx" secret-0000 <"$W/pw"; }
op_search_secrettool() { secret-tool search --all sxbench set name secret-00007; }
# write: one new secret, durable.
op_write_sciorex() { printf 'new-value-%s' "$1" | "$SX" set "new-$1" --value-stdin; }
op_write_pass() { printf 'new-value-%s' "$1" | pass insert -m -f "new-$1"; }
# gopass 1.5.0 stores an empty value when stdin is not a terminal: its
# write is not timed (see BENCHMARKS.md).
op_write_keepassxc() { printf '%s\nnew-value-%s\n' "$PW" "$1" | keepassxc-cli add -q -p "$W/kp.kdbx" "new-$1"; }
op_write_secrettool() { printf 'new-value-%s' "$1" | secret-tool store --label="new-$1" sxbench set name "new-$1"; }
# sciorex-only figures.
op_plain_exec() { printenv HOME; }
op_askpass_exec() { /bin/true; }
op_unlock_sciorex() { "$SX" unlock --password-stdin <"$W/pw"; }

OPS=(read list search write)
declare -A ACTIVE RSS
for n in $SIZES; do
	say "N=$n: filling the stores"
	for tool in "${TOOLS[@]}"; do
		ACTIVE[$tool]=""
		if "fill_$tool" "$n" >/dev/null 2>>"$W/errors.log"; then ACTIVE[$tool]=1; else say "  $tool: no store at N=$n"; fi
	done
	if [ -n "$AGENT_PID" ]; then
		RSS[$n]=$(awk '/^VmRSS/ {print $2}' "/proc/$AGENT_PID/status")
	fi
	say "N=$n: $RUNS interleaved rounds"
	for ((r = 1; r <= RUNS; r++)); do
		for op in "${OPS[@]}"; do
			for tool in "${TOOLS[@]}"; do
				[ -n "${ACTIVE[$tool]}" ] || continue
				declare -F "op_${op}_$tool" >/dev/null || continue
				timeit "$op.$n.$tool" "op_${op}_$tool" "$n-$r-$tool"
			done
		done
		timeit "plain.$n" op_plain_exec
		timeit "askpass.$n" op_askpass_exec
		if [ -n "${ACTIVE[sciorex]}" ]; then
			"$SX" lock >/dev/null 2>&1 || true
			timeit "unlock.$n.sciorex" op_unlock_sciorex
		fi
	done
	if [ -n "$AGENT_PID" ]; then
		RSS[$n]="${RSS[$n]} $(awk '/^VmRSS/ {print $2}' "/proc/$AGENT_PID/status") $(awk '/^VmHWM/ {print $2}' "/proc/$AGENT_PID/status")"
	fi
done

# ---------------------------------------------------------------- report
source "$ROOT/bench/report.sh"
write_report >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
if [ -s "$W/errors.log" ]; then
	say "some commands failed; the first lines of the error log:"
	head -20 "$W/errors.log" >&2
fi
say "wrote $OUT"

package dialogs

import (
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// unreachableDisplay says why no display named by the environment answers,
// or nil when one does or when it cannot tell. zenity exits as if the human
// had pressed Cancel when it cannot open its display (a stale DISPLAY in an
// SSH session, a desktop that has ended); this tells that failure apart
// from a human "no". Tests replace it.
var unreachableDisplay = probeDisplays

// x11SocketDir is where local X servers listen; tests replace it.
var x11SocketDir = "/tmp/.X11-unix"

// displayProbeTimeout bounds one connection attempt to a display.
const displayProbeTimeout = 2 * time.Second

// probeDisplays connects to the socket of WAYLAND_DISPLAY and of DISPLAY
// (without speaking either protocol, so an X server does not count it as a
// client). It reports an error only when every display that is set is
// understood and refuses the connection. macOS and Windows have no such
// variables to check.
func probeDisplays(getenv func(string) string) error {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return nil
	}
	var tried []string
	if name := getenv("WAYLAND_DISPLAY"); name != "" {
		path := name
		if !filepath.IsAbs(path) {
			dir := getenv("XDG_RUNTIME_DIR")
			if dir == "" {
				return nil
			}
			path = filepath.Join(dir, name)
		}
		if dialable("unix", path) {
			return nil
		}
		tried = append(tried, "WAYLAND_DISPLAY="+Sanitize(name, NameMax))
	}
	if d := getenv("DISPLAY"); d != "" {
		network, addrs, ok := x11Addresses(d)
		if !ok {
			return nil
		}
		for _, addr := range addrs {
			if dialable(network, addr) {
				return nil
			}
		}
		tried = append(tried, "DISPLAY="+Sanitize(d, NameMax))
	}
	if len(tried) == 0 {
		return nil
	}
	return fmt.Errorf("the display cannot be reached (%s): is the desktop session still running?", strings.Join(tried, ", "))
}

func dialable(network, addr string) bool {
	c, err := net.DialTimeout(network, addr, displayProbeTimeout)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// x11Addresses turns DISPLAY ([protocol/][host]:number[.screen]) into the
// addresses an X client would try: the local socket (also in Linux's
// abstract namespace), a socket path (XQuartz style), or TCP port
// 6000+number on host. ok is false for a value it does not understand.
func x11Addresses(display string) (network string, addrs []string, ok bool) {
	i := strings.LastIndex(display, ":")
	if i < 0 {
		return "", nil, false
	}
	host, rest := display[:i], display[i+1:]
	number, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(number)
	if err != nil || n < 0 || n > 65535-6000 {
		return "", nil, false
	}
	switch {
	case strings.HasPrefix(host, "/"):
		return "unix", []string{host + ":" + number}, true
	case host == "" || host == "unix" || host == "unix/":
		path := filepath.Join(x11SocketDir, "X"+number)
		addrs = []string{path}
		if runtime.GOOS == "linux" {
			addrs = append(addrs, "@"+path)
		}
		return "unix", addrs, true
	}
	host = strings.TrimPrefix(host, "tcp/")
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" || strings.IndexFunc(host, notHostRune) >= 0 {
		return "", nil, false
	}
	return "tcp", []string{net.JoinHostPort(host, strconv.Itoa(6000+n))}, true
}

// notHostRune reports a rune that has no place in a host name or address.
func notHostRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_:", r))
}

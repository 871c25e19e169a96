//go:build !linux

package dialogs

import (
	"os"
	"runtime"
)

// echoOff refuses: hidden input is implemented on Linux only.
func echoOff(f *os.File) (restore func(), err error) {
	return nil, noApprover("hidden input on the terminal is not supported on %s; set SCIOREX_ASKPASS", runtime.GOOS)
}

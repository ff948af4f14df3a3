package term

import (
	"os"
	"syscall"
)

// enableVirtualTerminalProcessing is the console mode flag under which a
// Windows console interprets ANSI escape sequences.
const enableVirtualTerminalProcessing = 0x0004

func isTerminal(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	var mode uint32
	var modeErr error
	if err := rc.Control(func(fd uintptr) { modeErr = syscall.GetConsoleMode(syscall.Handle(fd), &mode) }); err != nil {
		return false
	}
	return modeErr == nil && mode&enableVirtualTerminalProcessing != 0
}

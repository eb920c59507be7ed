package packagelevel

import (
	"os"
	"time"
)

// Package-level values live as long as the program.
var (
	traceFile, _ = os.Create(os.DevNull)
	heartbeat    = time.NewTicker(time.Hour)
)

func trace(msg string) {
	_, _ = traceFile.WriteString(msg)
	<-heartbeat.C
}

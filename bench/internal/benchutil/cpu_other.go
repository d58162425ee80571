//go:build !unix

package benchutil

import "time"

// ProcessCPU is not measured on this system.
func ProcessCPU() time.Duration { return 0 }

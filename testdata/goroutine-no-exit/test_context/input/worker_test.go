package worker

import "testing"

func TestStartWorker(t *testing.T) {
	startWorker("test")
}

func BenchmarkStartWorker(b *testing.B) {
	for b.Loop() {
		startWorker("bench")
	}
}

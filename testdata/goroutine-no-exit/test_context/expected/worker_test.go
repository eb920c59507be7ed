package worker

import "testing"

func TestStartWorker(t *testing.T) {
	startWorker(t.Context(), "test")
}

func BenchmarkStartWorker(b *testing.B) {
	for b.Loop() {
		startWorker(b.Context(), "bench")
	}
}

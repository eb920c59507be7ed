package failing

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
)

// Each call here is made to see it fail: when it succeeds, the test fails (or panics) already.

func TestOpenMissing(t *testing.T) {
	_, err := os.Open("testdata/missing")
	if err == nil {
		t.Fatal("opened a file that does not exist")
	}
}

func checkGetAfterClose(t *testing.T, url string) {
	res, err := http.Get(url)
	if err == nil {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("unexpected response after close: %s", body)
	}
}

func checkDeadline(t *testing.T, c *http.Client, url string) {
	_, err := c.Get(url)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("got %v, want ErrDeadlineExceeded", err)
	}
}

func TestNotExist(t *testing.T) {
	if _, err := os.Open("testdata/missing"); err == nil || !os.IsNotExist(err) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}

func TestDialMessage(t *testing.T) {
	_, err := net.Dial("tcp", "256.0.0.1:80")
	if got := err.Error(); got == "" {
		t.Fatal("empty error message")
	}
}

func TestTimeoutError(t *testing.T) {
	_, errF := os.Open("testdata/missing")
	timeout := errF.(interface{ Timeout() bool })
	if timeout.Timeout() {
		t.Error("a missing file is not a timeout")
	}
}

func Example() {
	if _, err := os.Open("testdata/missing"); err != nil {
		fmt.Println("file does not exist")
	}
	// Output:
	// file does not exist
}

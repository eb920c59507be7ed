package firstresponse

// First asks every replica and returns the first answer.
func First(replicas []string, query func(string) string) string {
	answers := make(chan string) // want "`answers` .*goroutines started in a loop send, but only one value is received"
	for _, r := range replicas {
		go func() {
			answers <- query(r)
		}()
	}
	return <-answers
}

package rangefield

// Cluster is a set of peers.
type Cluster struct {
	peers []string
}

// Ping pings every peer and returns the first error.
func (c *Cluster) Ping(ping func(string) error) error {
	errc := make(chan error) // want "`errc` .*the loop receiving on line 14 can stop early"
	for _, p := range c.peers {
		go func() { errc <- ping(p) }()
	}
	for range c.peers {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

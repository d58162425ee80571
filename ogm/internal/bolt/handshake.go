package bolt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"time"
)

// NotBolt is the error of Dial when the server at the address is not a
// Bolt server: it answered the handshake with something else, closed the
// connection, or did not answer at all. (The driver waits for a handshake
// answer as long as the context allows, so an HTTP server, which waits for
// a line the handshake never sends, would hang Dial.)
type NotBolt struct{ Why string }

func (e *NotBolt) Error() string { return "not a Bolt server: " + e.Why }

// handshake is Bolt's magic preamble and four version proposals (5.0 and
// 4.4 down to 4.2; any Bolt server answers one, or zeros).
var handshake = []byte{0x60, 0x60, 0xB0, 0x17, 0, 0, 0, 5, 0, 2, 4, 4, 0, 0, 0, 4, 0, 0, 0, 3}

// probe checks that the server at target (a plain bolt:// or neo4j://
// address) answers the Bolt handshake within timeout. A server that cannot
// be reached is left for the driver to report; TLS addresses are not
// probed (the driver's TLS handshake fails fast against a plain server).
func probe(ctx context.Context, target string, timeout time.Duration) error {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "bolt" && u.Scheme != "neo4j") {
		return nil
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "7687")
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil
	}
	defer conn.Close()
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write(handshake); err != nil {
		return nil
	}
	answer := make([]byte, 4)
	_, err = io.ReadFull(conn, answer)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &NotBolt{Why: "no answer to the Bolt handshake within " + timeout.String() + " (is this the server's Bolt port, usually 7687?)"}
	case err != nil:
		return &NotBolt{Why: "the server closed the connection at the Bolt handshake (is this the server's Bolt port, usually 7687?)"}
	case bytes.Equal(answer, []byte("HTTP")):
		return &NotBolt{Why: "the server answered in HTTP (the Neo4j Browser and HTTP API port is usually 7474, Bolt 7687)"}
	case answer[0] != 0 || answer[1] != 0:
		return &NotBolt{Why: "the server's answer to the Bolt handshake is not a Bolt version"}
	}
	return nil
}

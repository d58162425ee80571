package ogm_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"
)

// selfSignedListener is a TLS server on 127.0.0.1 with a self-signed
// certificate no system trusts. It reports, for each connection, whether
// the TLS handshake completed and whether the client then spoke Bolt (its
// magic preamble 0x6060B017) over it; it answers nothing.
type selfSignedListener struct {
	addr    string
	results chan handshake
}

type handshake struct {
	err  error // the handshake's error, nil when it completed
	bolt bool  // the client sent the Bolt preamble after the handshake
}

func newSelfSignedListener(t *testing.T) *selfSignedListener {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := &selfSignedListener{addr: ln.Addr().String(), results: make(chan handshake, 100)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				tc := c.(*tls.Conn)
				if err := tc.Handshake(); err != nil {
					l.results <- handshake{err: err}
					return
				}
				magic := make([]byte, 4)
				_, err := io.ReadFull(tc, magic)
				l.results <- handshake{bolt: err == nil && bytes.Equal(magic, []byte{0x60, 0x60, 0xB0, 0x17})}
			}()
		}
	}()
	return l
}

// next returns the outcome of the next connection.
func (l *selfSignedListener) next(t *testing.T) handshake {
	t.Helper()
	select {
	case h := <-l.results:
		return h
	case <-time.After(10 * time.Second):
		t.Fatal("no connection reached the TLS listener")
		return handshake{}
	}
}

// TestTLSRefusesUntrustedCertificate: bolt+s:// and neo4j+s:// verify the
// server's certificate, so they refuse a self-signed one (the client aborts
// the TLS handshake); bolt+ssc:// and neo4j+ssc:// accept it and go on to
// speak Bolt over the encrypted connection. The server here is a TLS
// listener in the test, not Neo4j (the test server has no TLS): what is
// tested is the client's side of the handshake. Open fails in every case,
// the listener speaking no Bolt, with a typed error.
func TestTLSRefusesUntrustedCertificate(t *testing.T) {
	for _, c := range []struct {
		scheme  string
		trusted bool // whether the handshake must complete
	}{
		{"bolt+s", false},
		{"neo4j+s", false},
		{"bolt+ssc", true},
		{"neo4j+ssc", true},
	} {
		t.Run(c.scheme, func(t *testing.T) {
			l := newSelfSignedListener(t) // one each: the driver may retry
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := ogm.Open(ctx, c.scheme+"://neo4j:tls-secret-pw@"+l.addr)
			if err == nil {
				t.Fatal("Open succeeded against a server that speaks no Bolt")
			}
			var oe *ogm.Error
			if !errors.As(err, &oe) {
				t.Errorf("untyped error %T: %v", err, err)
			}
			if strings.Contains(err.Error(), "tls-secret-pw") {
				t.Errorf("password in the error: %v", err)
			}
			h := l.next(t)
			switch {
			case !c.trusted && h.err == nil:
				t.Errorf("the client completed the TLS handshake with an untrusted certificate (then sent Bolt: %v)", h.bolt)
			case !c.trusted:
				t.Logf("refused: server saw %q; Open: %v", h.err, err)
				if !strings.Contains(err.Error(), "certificate") {
					t.Errorf("the error does not say the certificate was refused: %v", err)
				}
			case h.err != nil:
				t.Errorf("%s refused the self-signed certificate: %v (Open: %v)", c.scheme, h.err, err)
			case !h.bolt:
				t.Error("handshake completed, but the client sent no Bolt preamble over it")
			}
		})
	}
}

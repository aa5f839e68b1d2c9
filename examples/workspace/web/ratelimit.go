package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// A loginLimiter slows down password guessing on the admin sign-in: after
// freeAttempts wrong passwords from one client address, each further attempt must
// wait twice as long as the one before (1 s, 2 s, 4 s … up to maxBackoff). A right
// password clears the address's record. It is kept per process.
type loginLimiter struct {
	mu      sync.Mutex
	clients map[string]*loginAttempts
	now     func() time.Time
}

type loginAttempts struct {
	failures int
	until    time.Time // no attempt before this
}

const (
	freeAttempts  = 5
	maxBackoff    = 15 * time.Minute
	maxLoginsKept = 10000 // addresses remembered, bounding memory
)

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{clients: map[string]*loginAttempts{}, now: time.Now}
}

// clientAddress is the address the limiter counts a request under: the peer's IP.
// (Behind a proxy, the proxy should limit, or this should read its header.)
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// wait returns how long the client must wait before it may try again; 0: now.
func (l *loginLimiter) wait(client string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if a := l.clients[client]; a != nil {
		if d := a.until.Sub(l.now()); d > 0 {
			return d
		}
	}
	return 0
}

// failed records a wrong password.
func (l *loginLimiter) failed(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.clients[client]
	if a == nil {
		if len(l.clients) >= maxLoginsKept {
			now := l.now()
			for k, v := range l.clients {
				if now.Sub(v.until) > maxBackoff {
					delete(l.clients, k)
				}
			}
		}
		a = &loginAttempts{}
		l.clients[client] = a
	}
	a.failures++
	if n := a.failures - freeAttempts; n >= 0 {
		d := maxBackoff
		if n < 20 {
			d = min(time.Second<<n, maxBackoff)
		}
		a.until = l.now().Add(d)
	}
}

// succeeded clears the client's record.
func (l *loginLimiter) succeeded(client string) {
	l.mu.Lock()
	delete(l.clients, client)
	l.mu.Unlock()
}

package server

import (
	"math"
	"sync"
	"time"
)

// sessionCookie is the browser session's cookie.
const sessionCookie = "bo_session"

// session is a browser session: the token it logged in with (by hash, so
// a revoked token ends it) and its CSRF token.
type session struct {
	token   [32]byte
	csrf    string
	expires time.Time
}

// sessions keeps browser sessions in memory: a restart logs everyone
// out, which is the safe failure.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
	ttl time.Duration
}

func newSessions(now func() time.Time, ttl time.Duration) *sessions {
	return &sessions{m: map[string]*session{}, now: now, ttl: ttl}
}

// start creates a session for the token with hash h and returns its ID.
func (s *sessions) start(h [32]byte) (string, *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id, x := range s.m { // drop expired sessions as new ones come
		if now.After(x.expires) {
			delete(s.m, id)
		}
	}
	id := randomID()
	x := &session{token: h, csrf: randomID(), expires: now.Add(s.ttl)}
	s.m[id] = x
	return id, x
}

// get returns a live session and extends it.
func (s *sessions) get(id string) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.m[id]
	if !ok {
		return nil, false
	}
	now := s.now()
	if now.After(x.expires) {
		delete(s.m, id)
		return nil, false
	}
	x.expires = now.Add(s.ttl)
	return x, true
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// limiter is a token bucket per key (a token's name, a client address).
type limiter struct {
	mu      sync.Mutex
	now     func() time.Time
	rate    float64 // per second
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(now func() time.Time, rate float64, burst int) *limiter {
	return &limiter{now: now, rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// allow takes one request from key's bucket, or says how long to wait.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) > 100000 { // bounded memory under a flood of keys
			l.buckets = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// Package load is a small, bounded HTTP/1.1 load generator for servers on the
// loopback interface.
//
// [Run] opens a fixed number of keep-alive connections to one address and has
// each send requests back to back (a closed loop: one request in flight per
// connection) until a time limit or a request limit is reached, then reports
// requests per second and latency percentiles ([Result]). It speaks HTTP/1.1
// directly on the TCP connections rather than through net/http's client, so
// that the client's own cost stays small next to the server's: the point is to
// compare servers, and client overhead would dilute every difference.
//
// Run refuses any address that is not a loopback address: it is a
// measurement tool, not a traffic generator.
package load

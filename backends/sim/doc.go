// Package sim runs a simulated mirror fleet — an origin and N mirrors, each a
// real HTTP/1.1 server on its own 127.0.0.1 port — for `warroom demo`, probe
// tests and benchmarks. Faults (down, blackhole, delay, flapping, lag, drift)
// are switched per node at run time.
//
// # Time and the sync model
//
// All simulated time comes from Options.Clock; nothing runs in the background.
// The origin publishes state k = floor((now − start)/SyncEvery), where start is
// the clock's time at Start truncated to the second. State k has the beacon
// start + k·SyncEvery (origin clock), the serial base + k with base =
// YYYYMMDD00 of start (Debian-style, "-ish": NN passes 99 after 100 syncs),
// the version label "1.0.k" and a manifest that is a pure function of the
// serial. A mirror holds the state as of (now − lag-behind), or as of
// (frozen-at − lag-behind) while frozen. Default lag-behind is 1–5 s per
// mirror, drawn from Seed; the origin's is 0.
//
// # Delays and fake clocks
//
// SetDelay, SetJitter and the demo's slow phases wait on Clock.NewTimer before
// answering. With a real clock that is a real timer; with a clockwork fake
// clock the request is held until the test advances the clock past the delay
// (use FakeClock.BlockUntilContext to know the timer is waiting). The response
// is computed after the wait, so it reflects the advanced time. Flapping and
// syncing phases are read from the clock when a request arrives.
//
// # Failure modes
//
//   - SetDown(true): the listener and every open connection are closed, so new
//     connections are refused; SetDown(false) listens again on the same port.
//   - SetBlackhole(true): requests are read but never answered until the
//     blackhole is switched off (held requests then proceed), the node goes
//     down, the client gives up, or the fleet closes.
//   - Flapping: healthy for the first part of each cycle, then failing. Failing
//     phases alternate by cycle: even cycles reset the connection (TCP RST),
//     odd cycles answer 503 on every path.
//   - SetStatus: only "/" and "/health" answer that status.
//
// # Paths (GET and HEAD; other methods get 405)
//
//	/, /health                      "ok\n"
//	/lastsync                       beacon epoch seconds + "\n", Last-Modified = beacon
//	/project/trace/master           Debian trace of the beacon and serial
//	/version.json                   {"time":RFC3339,"serial":N,"version":"1.0.k"}
//	/manifest                       "sha256  path" lines, a function of the serial
//	/Archive-Update-in-Progress     200 while syncing, else 404
//	/Archive-Update-in-Progress-<name>.sim.invalid   the same (ftpsync's name)
//
// Every sync path carries Last-Modified = the beacon the node holds.
//
// # The demo scenario (ApplyDemo, Animate)
//
// Mirrors are addressed by index in Fleet.Mirrors(); names depend on Seed.
// Every mirror gets a base latency of 2–12 ms plus 5–25 ms of jitter. Then:
//
//	mirror 0  flaps: up 40 s, down 20 s; first failure 15 s after the start
//	          (a connection reset), the next one a 503, and so on
//	mirror 1  frozen from the start: its lag grows by SyncEvery each sync
//	mirror 2  serves a drifted manifest (same serial, one line differs)
//	mirror 3  syncs late (lag-behind 0.4·SyncEvery) and shows the
//	          Archive-Update-in-Progress marker for SyncEvery/3 before each
//	          of its updates
//	mirror 4  slow: +400 ms (plus 0–200 ms jitter) for 30 s of every 90 s,
//	          first from 30 s after the start; fast otherwise, so a
//	          latency-baseline check sees it degrade and recover
//	others    healthy
//
// A fleet with fewer mirrors gets the first roles only.
package sim

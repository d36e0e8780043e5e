-- wrk script for benchmarks/catalog/run.py: at the end of a run, print one line
-- "WRK_JSON {...}" (requests, duration, errors, latency percentiles in microseconds) that
-- run.py parses. It defines no request() function, so wrk sends its prebuilt static request:
-- the load generator costs as little as it can, which matters most for the cheap reference.

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f,"stdev":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, latency.stdev))
end

-- wrk script of the benchmark suite (bench/run.py).
--
-- Each thread stops after its share of WRK_MAX_REQUESTS responses (WRK_THREADS threads), or
-- at wrk's own -d time cap, whichever comes first. wrk's main thread sleeps the whole -d
-- even when the threads stopped early, so its duration and Requests/sec would be wrong:
-- each thread notes the monotonic clock when it starts and at its last response, and the
-- throughput is computed from those. done() prints one line "BENCH {json}".

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

local limit = math.ceil(tonumber(os.getenv("WRK_MAX_REQUESTS") or "1000")
  / tonumber(os.getenv("WRK_THREADS") or "1"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  seen = 0
  t_first = now_us()
  t_last = t_first
end

function response(status, headers, body)
  seen = seen + 1
  t_last = now_us()
  if seen >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first, last = math.huge, 0
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("t_first"))
    last = math.max(last, thread:get("t_last"))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"busy_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,'
      .. '"write":%d,"status":%d,"timeout":%d},"p50_us":%d,"p90_us":%d,"p95_us":%d,'
      .. '"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, last - first, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max))
end

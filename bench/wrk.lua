-- wrk script of the benchmark suite (bench/load.py, wrk_slice).
--
-- wrk runs for its fixed duration (-d) with one connection per thread (-t equal to -c), and
-- no thread stops early. (The former script stopped each thread at a quota of responses:
-- the stopped thread's connection stayed open without a request, and a sync worker of the
-- server waited on it for seconds.) All threads run to the end of -d, then wrk exits,
-- which closes every connection.
--
-- wrk's own latency distribution is not used: before done() sees it, wrk "corrects" it for
-- coordinated omission, adding synthetic samples for every response slower than twice the
-- mean interval, which turns a few stalls into a p95 that never happened. Each thread here
-- times its own requests instead: with one connection per thread, request() and
-- response() alternate, so the latency of a response is the time since the thread's last
-- request(). Each thread also notes the monotonic clock at its first request and at its
-- last response: its connection was busy all that time with the requests answered, so
-- answers / (last response - first request) is the connection's rate, and the sum over
-- the threads the throughput. Neither the start (no answer yet) nor the requests still
-- running at the end of -d (never answered) dilute it, which matters for a slow page:
-- 16 connections at a second per answer give a 3-second run only some 40 answers.
--
-- done() prints one line "BENCH {json}": wrk's counts (requests, duration, bytes, errors),
-- the answers by status, that throughput, wrk's corrected p95 (to compare only) and every
-- latency in microseconds. bench.measure computes the percentiles from them.

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

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  latencies = {}
  statuses = {}
  sent_at = nil
  first_sent = 0
  last_at = 0
  answered = 0
end

function request()
  -- Also called once in wrk's main state to check the script, before any init().
  request_text = request_text or wrk.format()
  sent_at = now_us()
  if first_sent == 0 then
    first_sent = sent_at
  end
  return request_text
end

function response(status, headers, body)
  local now = now_us()
  if sent_at ~= nil then
    latencies[#latencies + 1] = math.floor(now - sent_at + 0.5)
    sent_at = nil
  end
  last_at = now
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  local counted = {}
  local rate = 0
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("latencies")) do
      all[#all + 1] = value
    end
    for status, n in pairs(thread:get("statuses")) do
      counted[status] = (counted[status] or 0) + n
    end
    local n = thread:get("answered")
    local busy = thread:get("last_at") - thread:get("first_sent")
    if n > 0 and busy > 0 then
      rate = rate + n / (busy / 1e6)
    end
  end
  local parts = {}
  for status, n in pairs(counted) do
    parts[#parts + 1] = string.format('"%s":%d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"rate":%.3f,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"statuses":{%s},"wrk_corrected_p95_us":%d,"latencies_us":[%s]}\n',
    summary.requests, summary.duration, rate, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, table.concat(parts, ","), latency:percentile(95),
    table.concat(all, ",")))
end

-- wrk script: each wrk thread drives one connection that saves its own unit's 公共2表 draft,
-- carrying the version the server returned (so every save is a real versioned write, not a 409).
-- Run with as many threads as connections: tools/bench/http-wrk.sh does.
--
-- Two ways to load the server:
--   closed loop (default): each connection sends its next save as soon as the last one is answered,
--     which measures the most saves per second; latency is then mostly time spent queueing.
--   fixed rate (DRS_RATE=2000): the connections together send DRS_RATE saves per second on a fixed
--     schedule, and each latency is counted from when its save was due, not from when it went out,
--     so a stalled server cannot hide its stall by delaying the requests behind it ("coordinated
--     omission"). This is how a latency target at a given throughput is measured.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } drs_timespec;
  int clock_gettime(int clk_id, drs_timespec *tp);
]]
local ts = ffi.new("drs_timespec")
local function now()   -- seconds, CLOCK_MONOTONIC
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local sessions = {}
for line in io.lines(os.getenv("DRS_SESSIONS")) do
  -- cookie, CSRF token, save path, and the version after the server's warm-up save
  local cookie, csrf, path, version = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t(%d+)")
  if cookie then table.insert(sessions, { cookie = cookie, csrf = csrf, path = path, version = tonumber(version) }) end
end
local rate = tonumber(os.getenv("DRS_RATE") or "")

local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  thread:set("count", #sessions)
  table.insert(threads, thread)
end

function init(args)
  me = sessions[id]
  version = me.version
  n = 0
  latencies = {}
  if rate then
    period = count / rate                          -- seconds between this connection's saves
    start = now() + period * (id - 1) / count + 0.05   -- connections spread over one period
  end
end

local function due(k) return start + (k - 1) * period end

function delay()
  if not rate then return 0 end
  local wait = due(n + 1) - now()
  -- wrk's timer counts whole milliseconds: round up, so no save leaves early (a late one counts
  -- its lateness in its latency).
  return wait > 0 and math.ceil(wait * 1000) or 0
end

function request()
  n = n + 1
  if rate then sent_due = due(n) end
  local v = 1000 + n
  local body = string.format('{"version":%d,"values":{"01":{"cum":"%d","cur":"%d"},"02":{"cum":"%d"},"03":{"cum":"300"},"05":{"cum":"%d"}}}',
    version, v + 300, v, v, v)
  return wrk.format("PUT", me.path, { ["Content-Type"] = "application/json", ["Cookie"] = me.cookie, ["X-CSRF-Token"] = me.csrf }, body)
end

function response(status, headers, body)
  local v = body:match('"version":(%d+)')
  if v then version = tonumber(v) end
  if rate and status == 200 then latencies[#latencies + 1] = (now() - sent_due) * 1000 end
end

function done(summary, latency, requests)
  if not rate then return end
  local all = {}
  for _, t in ipairs(threads) do
    for _, l in ipairs(t:get("latencies")) do all[#all + 1] = l end
  end
  table.sort(all)
  local function pct(p) return all[math.max(1, math.ceil(#all * p))] or 0 end
  io.write(string.format("fixed rate %d saves/s: %d answered in %.1f s (%.0f/s); latency from when due: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    rate, #all, summary.duration / 1e6, #all / (summary.duration / 1e6), pct(0.5), pct(0.9), pct(0.99), all[#all] or 0))
end

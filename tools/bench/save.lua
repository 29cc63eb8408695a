-- wrk script: each wrk thread drives one connection that saves its own unit's 公共2表 draft,
-- carrying the version the server returned (so every save is a real versioned write, not a 409).
-- Run with as many threads as connections: tools/bench/http-wrk.sh does.
local sessions = {}
for line in io.lines(os.getenv("DRS_SESSIONS")) do
  local cookie, csrf, path = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
  if cookie then table.insert(sessions, { cookie = cookie, csrf = csrf, path = path }) end
end

local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

function init(args)
  me = sessions[id]
  version = 0
  n = 0
end

function request()
  n = n + 1
  local v = 1000 + n
  local body = string.format('{"version":%d,"values":{"01":{"cum":"%d","cur":"%d"},"02":{"cum":"%d"},"03":{"cum":"300"},"05":{"cum":"%d"}}}',
    version, v + 300, v, v, v)
  return wrk.format("PUT", me.path, { ["Content-Type"] = "application/json", ["Cookie"] = me.cookie, ["X-CSRF-Token"] = me.csrf }, body)
end

function response(status, headers, body)
  local v = body:match('"version":(%d+)')
  if v then version = tonumber(v) end
end

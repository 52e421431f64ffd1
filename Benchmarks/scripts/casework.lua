-- wrk script of Benchmarks/scripts/casework.sh: case creation or steps through the JSON API
-- with the session cookie and the CSRF header. Environment:
--   CASE_MODE   create | step
--   CASE_IDS    file of case ids (one a line) in state "received", for step mode; each id is
--               assigned once (threads take disjoint slices)
--   THINK_MS    think time per user between two requests (0 = saturate)
--   SESSION, CSRF
local mode = os.getenv("CASE_MODE") or "create"
local think = tonumber(os.getenv("THINK_MS") or "0")
local session = os.getenv("SESSION")
local csrf = os.getenv("CSRF")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Cookie"] = "eduledger_session=" .. session
  wrk.headers["X-CSRF-Token"] = csrf
  wrk.headers["Content-Type"] = "application/json"
  ids = {}
  if mode == "step" then
    local n = 0
    for line in io.lines(os.getenv("CASE_IDS")) do
      n = n + 1
      -- Thread k of T takes every T-th id, so no id is assigned twice.
      if (n % tonumber(os.getenv("THREADS") or "2")) == (index - 1) then table.insert(ids, line) end
    end
  end
  nextID = 1
  sequence = 0
  exhausted = 0
  statuses = {}
  refused = ""
end

-- Every answer that is not 2xx, by status, with the first message of each: the benchmark
-- must say why a request failed, not only that it did.
function response(status, headers, body)
  if status >= 200 and status < 300 then return end
  local key = tostring(status)
  if statuses[key] == nil then
    statuses[key] = 0
    refused = refused .. " " .. key .. ":" .. string.sub(body or "", 1, 160)
  end
  statuses[key] = statuses[key] + 1
  local text = ""
  for k, n in pairs(statuses) do text = text .. k .. "×" .. n .. " " end
  counts = text
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if c ~= nil then io.write("    » non-2xx by status: " .. c .. "\n    »   first of each:" .. t:get("refused") .. "\n") end
    local e = t:get("exhausted")
    if e ~= nil and e > 0 then io.write("    » out of fresh cases: " .. e .. " reads instead of steps\n") end
  end
end

function request()
  sequence = sequence + 1
  if mode == "step" then
    local id = ids[nextID]
    nextID = nextID + 1
    if id == nil then
      -- Out of fresh cases: a read instead of assigning a case twice (counted in done()).
      exhausted = exhausted + 1
      return wrk.format("GET", "/api/v1/cases/" .. ids[#ids])
    end
    return wrk.format("POST", "/api/v1/cases/" .. id .. "/steps", nil,
      '{"action":"assign","fields":{"section":"basicEducation"}}')
  end
  return wrk.format("POST", "/api/v1/cases", nil,
    '{"kind":"petition","fields":{"petitioner":"压测' .. index .. '-' .. sequence .. '","channel":"来信","summary":"性能测试"}}')
end

function delay()
  if think > 0 then return math.random(math.floor(think / 2), think + math.floor(think / 2)) end
  return 0
end

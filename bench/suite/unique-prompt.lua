-- wrk script: every request carries a NEW ~250-character prompt (thread id + counter + varied words),
-- so no cache anywhere can answer it. MODEL and STREAM come from the environment.
local model = os.getenv("BENCH_MODEL") or "bench-model"
local stream = os.getenv("BENCH_STREAM") == "1"
local extra = os.getenv("BENCH_HEADERS") or ""
local words = {"patient", "contract", "interest", "function", "integral", "enzyme", "poem", "river",
  "dosage", "liability", "portfolio", "compiler", "matrix", "orbit", "empire", "recipe", "symptom",
  "statute", "equity", "recursion", "theorem", "molecule", "novel", "weather"}
local counter = 0
local tid = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  math.randomseed(os.time() * 1000 + tid)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer sk-router-demo"
  if stream then wrk.headers["Accept"] = "text/event-stream" end
  for pair in string.gmatch(extra, "[^;]+") do
    local k, v = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
    if k then wrk.headers[k] = v end
  end
end

local function prompt()
  counter = counter + 1
  local parts = {"Request " .. tid .. "-" .. counter .. ": please explain"}
  local len = #parts[1]
  while len < 250 do
    local w = words[math.random(#words)] .. " " .. math.random(100000)
    table.insert(parts, w)
    len = len + #w + 1
  end
  return table.concat(parts, " ")
end

function request()
  local body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"' .. prompt() .. '"}]'
  if stream then body = body .. ',"stream":true' end
  body = body .. '}'
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local non200 = summary.errors.status
  io.write(string.format('BENCHJSON {"requests":%d,"duration_us":%d,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,"errors_connect":%d,"errors_read":%d,"errors_timeout":%d,"non_2xx":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.timeout, non200))
end

-- wrk script: every request POSTs a distinct, valid response to /api/v1/responses with its own
-- Idempotency-Key. The criteria IDs come as arguments (`wrk ... -- MC-01 MC-02 ...`). Each response rates
-- every criterion and comments on one in six: the same rows bare-sqlite.swift commits. The requests' Accept-Language
-- rotates over English, French, a regional French and a German browser that accepts French, so the responses
-- are negotiated and stored in several languages (bench.sh prints how many in each).
local thread_count = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local criteria = {}
local languages = {"en-GB,en;q=0.9", "fr-FR,fr;q=0.9", "fr-BE", "de-DE,de;q=0.9,fr;q=0.5"}
local counter = 0
rejected = 0  -- a global, so done() can read it from each thread

function init(args)
  for i, c in ipairs(args) do criteria[i] = c end
end

function request()
  counter = counter + 1
  local key = "bench-" .. thread_id .. "-" .. counter
  local parts = {}
  for i, c in ipairs(criteria) do
    local rating = (counter + i) % 5 + 1
    if i % 6 == 0 then
      parts[#parts + 1] = string.format('"%s":{"rating":%d,"comment":"Response %s: the wording of %s could be clearer for recognition officers."}', c, rating, key, c)
    else
      parts[#parts + 1] = string.format('"%s":{"rating":%d}', c, rating)
    end
  end
  local body = '{"profile":{"capacity":"individual","stakeholderGroup":"academic",'
    .. '"country":"http://publications.europa.eu/resource/authority/country/BEL","familiarity":' .. (counter % 5 + 1) .. '},'
    .. '"answers":{' .. table.concat(parts, ",") .. '},"consent":{"privacyVersion":"1","given":true}}'
  local language = languages[counter % #languages + 1]
  return wrk.format("POST", "/api/v1/responses",
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = key, ["Accept-Language"] = language}, body)
end

function response(status, headers, body)
  if status ~= 201 then rejected = rejected + 1 end
end

function done(summary, latency, requests)
  local total_rejected = 0
  for _, t in ipairs(threads) do total_rejected = total_rejected + t:get("rejected") end
  io.write(string.format("RESULT requests=%d rejected=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d\n",
    summary.requests, total_rejected, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

-- wrk script for scripts/bench.sh: every request uploads the same JPEG as multipart/form-data.
-- BENCH_FILE: the JPEG; BENCH_TARGET: "app" (POST /api/users/{id}/avatar, ids BENCH_FIRST_USER ..
-- BENCH_FIRST_USER + BENCH_USERS - 1 in turn) or "nginx" (POST /upload). BENCH_COOKIE and BENCH_XSRF: a
-- signed-in admin's session and CSRF token (see upload.sh), sent to both targets alike.
local file = assert(io.open(os.getenv("BENCH_FILE"), "rb"))
local jpeg = file:read("*a")
file:close()

local boundary = "----avatars-bench"
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
if os.getenv("BENCH_COOKIE") then
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.headers["X-XSRF-TOKEN"] = os.getenv("BENCH_XSRF")
end
wrk.body = "--" .. boundary .. "\r\n"
  .. "Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
  .. "Content-Type: image/jpeg\r\n\r\n" .. jpeg .. "\r\n--" .. boundary .. "--\r\n"

local target = os.getenv("BENCH_TARGET")
local first = tonumber(os.getenv("BENCH_FIRST_USER") or "1")
local users = tonumber(os.getenv("BENCH_USERS") or "1")
local stride = tonumber(os.getenv("BENCH_THREADS") or "2")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  accepted = 0
  refused = 0
end

function request()
  sent = sent + 1
  if target == "nginx" then
    return wrk.format(nil, "/upload")
  end
  -- Threads take interleaved users (each thread's Lua state knows only its own id, so the thread count
  -- comes from BENCH_THREADS): uploads spread over all users instead of queueing on one user's row lock.
  local user = first + ((sent * stride + id) % users)
  return wrk.format(nil, "/api/users/" .. user .. "/avatar")
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("accepted")
    bad = bad + thread:get("refused")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT upload target=%s requests=%d req_per_s=%.1f p50_ms=%.1f p99_ms=%.1f "
    .. "accepted_202=%d other_status=%d socket_errors=%d\n", target, summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    ok, bad, errors))
end

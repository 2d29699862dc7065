-- Each request PATCHes one active session of the partner CPO (DE-ABC) as its CPO would while
-- charging: the kWh so far and one charging period appended, a later last_updated each time.
-- run.sh sets `auth` and `objects` (how many sessions are seeded) above these lines.
local counter = 0
local thread_id = 0
function setup(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
function init(args) counter = 0 end
request = function()
  counter = counter + 1
  local index = (tid * 5003 + counter) % objects
  local stamp = os.date("!%Y-%m-%dT%H:%M:%SZ", 1706745600 + counter * 2 + tid)
  local body = string.format([[{"kwh":%d.5,"charging_periods":[{"start_date_time":"%s","dimensions":[{"type":"ENERGY","volume":1.0}]}],"last_updated":"%s"}]], counter % 80 + 2, stamp, stamp)
  local path = string.format("/ocpi/2.2.1/emsp/sessions/DE/ABC/S%d", index)
  return wrk.format("PATCH", path, {["Content-Type"]="application/json", ["Authorization"]=auth}, body)
end

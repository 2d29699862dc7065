-- Each request PATCHes the status of one EVSE of the partner CPO (DE-ABC) as its CPO would:
-- a different location each time, a later last_updated each time.
-- run.sh sets `auth` and `objects` (how many locations are seeded) above these lines.
local counter = 0
local thread_id = 0
local statuses = {"CHARGING", "AVAILABLE"}
function setup(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
function init(args) counter = 0 end
request = function()
  counter = counter + 1
  local index = (tid * 5003 + counter) % objects
  local stamp = os.date("!%Y-%m-%dT%H:%M:%SZ", 1706745600 + counter * 2 + tid)
  local body = string.format([[{"status":"%s","last_updated":"%s"}]], statuses[counter % 2 + 1], stamp)
  local path = string.format("/ocpi/2.2.1/emsp/locations/DE/ABC/LOC%d/E%d-1", index, index)
  return wrk.format("PATCH", path, {["Content-Type"]="application/json", ["Authorization"]=auth}, body)
end

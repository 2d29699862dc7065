-- Each request POSTs a distinct, complete OCPI 2.2.1 CDR of the partner's CPO (DE-ABC).
local counter = 0
local thread_id = 0
function setup(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
function init(args) counter = 0 end
request = function()
  counter = counter + 1
  local body = string.format([[{"country_code":"DE","party_id":"ABC","id":"B%d-%d-%d","start_date_time":"2024-01-01T10:00:00Z","end_date_time":"2024-01-01T11:00:00Z","cdr_token":{"country_code":"NL","party_id":"TME","uid":"012345678","type":"RFID","contract_id":"NL-TME-C12345678-X"},"auth_method":"WHITELIST","cdr_location":{"id":"LOC1","address":"Main street 1","city":"Utrecht","country":"NLD","coordinates":{"latitude":"52.090737","longitude":"5.121420"},"evse_uid":"E1-1","evse_id":"DE*ABC*E1*1","connector_id":"1","connector_standard":"IEC_62196_T2","connector_format":"SOCKET","connector_power_type":"AC_3_PHASE"},"currency":"EUR","tariffs":[{"country_code":"DE","party_id":"ABC","id":"T1","currency":"EUR","elements":[{"price_components":[{"type":"ENERGY","price":0.25,"vat":21.0,"step_size":1}]}],"last_updated":"2024-01-01T00:00:00Z"}],"charging_periods":[{"start_date_time":"2024-01-01T10:00:00Z","dimensions":[{"type":"ENERGY","volume":12.5}],"tariff_id":"T1"}],"total_cost":{"excl_vat":3.125,"incl_vat":3.7813},"total_energy":12.5,"total_energy_cost":{"excl_vat":3.125,"incl_vat":3.7813},"total_time":1.0,"last_updated":"2024-01-01T11:00:00Z"}]], tid, counter, math.random(1e9))
  return wrk.format("POST", "/ocpi/2.2.1/emsp/cdrs", {["Content-Type"]="application/json", ["Authorization"]=auth}, body)
end

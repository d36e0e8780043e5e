-- wrk script for the product detail benchmark: `-- PREFIX IDS_FILE` makes each request go to
-- PREFIX .. <a random line of IDS_FILE>, so the load spreads over the whole catalog instead of
-- one hot row. The end-of-run report is wrk_report.lua's, loaded from beside this file.

local here = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

local prefix = nil
local ids = {}

function init(args)
  prefix = args[1]
  for line in io.lines(args[2]) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  -- Each wrk thread has its own Lua state; a table's address differs from state to state.
  local salt = tonumber(string.match(tostring({}), "0x(%x+)") or "0", 16) or 0
  math.randomseed(os.time() + salt % 1000003)
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end

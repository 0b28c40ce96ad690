#!/usr/bin/env bash
# Drives `eccoe lsp` through Neovim (0.7 from Debian in CI), set up word for word as Editors/neovim/README.md
# says: eccoe.lua copied to ~/.config/nvim/lua/, the README's line in init.lua, `eccoe` on PATH. On a .jsonld
# credential it checks what a user sees: the filetype and the server attached; diagnostics, with the
# severity override of init.lua applied by the server; completion by label through the omnifunc (<C-x><C-o>
# after typing `soft` inserts the ISCED-F 0613 IRI) and of a property name typed after `"`; a quick fix
# chosen from vim.lsp.buf.code_action(); a plain .json file's syntax errors at the right columns after é😀;
# an agreement's link to the learning opportunity it references (textDocument/documentLink, which Neovim 0.7 has
# no command for: asked with vim.lsp.buf_request_sync); the server gone once Neovim quits.
# Every wait is on an event with a deadline. Prints one line per step, then "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
eccoe=${ECCOE_BINARY:-$root/.build/debug/eccoe}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/config/nvim/lua" "$work/bin" "$work/docs"
# The set-up, as the README says.
cp "$root/Editors/neovim/eccoe.lua" "$work/config/nvim/lua/eccoe.lua"
sed -n '/^```lua$/,/^```$/p' "$root/Editors/neovim/README.md" | sed '1d;$d' > "$work/config/nvim/init.lua"
ln -s "$eccoe" "$work/bin/eccoe"
cp "$root/Schemas/examples/credential-MC-07-no-workload.jsonld" "$work/docs/credential.jsonld"
printf '{\n  "title": tru,\n  "é😀": [1,]\n}\n' > "$work/docs/doc.json"
cp "$root/Schemas/examples/good.agreement.json" "$root/Schemas/examples/good-learning-opportunity.jsonld" "$work/docs/"

cat > "$work/drive.lua" <<'LUA'
local results = io.open(os.getenv("ECCOE_RESULTS"), "w")
local function report(ok, step, detail)
  results:write((ok and "ok   " or "FAIL ") .. step .. (detail and (": " .. detail) or "") .. "\n")
  results:flush()
end
local function line_of(pattern)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, true)) do
    if l:find(pattern, 1, true) then return i end
  end
end
local function get_line(n) return vim.api.nvim_buf_get_lines(0, n - 1, n, true)[1] end
local function keys(k) vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(k, true, false, true), "x", false) end
local function code(d) return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) end
-- The version of the latest diagnostics the server published, to wait until they describe the buffer as it is.
local published = -1
local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  publish(err, result, ctx, config)
  if result and result.version then published = result.version end
end
local function settled()
  local bufnr = vim.api.nvim_get_current_buf()
  return vim.wait(20000, function() return published == vim.lsp.util.buf_versions[bufnr] end, 10)
end
local function steps()
  -- 1. Filetype and attachment.
  report(vim.bo.filetype == "jsonld", "filetype of a .jsonld file", vim.bo.filetype)
  local attached = vim.wait(15000, function() return #vim.lsp.buf_get_clients(0) > 0 end, 10)
  report(attached, "eccoe attached")
  if not attached then return end
  -- 2. Diagnostics; MC-07 (mandatory: an error by default) shown as a warning, as init.lua asks.
  report(vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 10), "diagnostics shown")
  local mc07
  for _, d in ipairs(vim.diagnostic.get(0)) do if code(d) == "MC-07" then mc07 = d end end
  report(mc07 ~= nil, "MC-07 reported", mc07 and mc07.message)
  report(mc07 ~= nil and mc07.severity == vim.diagnostic.severity.WARN, "severity override reached the server",
         mc07 and ("severity " .. mc07.severity))
  -- 3. Completion by label: `soft` then <C-x><C-o> inside the field-of-education IRI's string.
  local n = line_of("isced-f/0322")
  local typed = get_line(n):gsub("http://data%.europa%.eu/snb/isced%-f/0322", "soft")
  vim.api.nvim_buf_set_lines(0, n - 1, n, true, { typed })
  vim.api.nvim_win_set_cursor(0, { n, typed:find("soft", 1, true) + 2 })
  keys("a<C-x><C-o><Esc>")
  local want = typed:gsub("soft", "http://data.europa.eu/snb/isced-f/0613")
  report(vim.wait(3000, function() return get_line(n) == want end, 10), "soft + <C-x><C-o> inserts the 0613 IRI", get_line(n))
  -- 4. A property name typed after a quote: `"volumeOf` then <C-x><C-o>, then the value.
  local id = line_of('"id": "urn:epass:qualification:rdm",')
  vim.api.nvim_win_set_cursor(0, { id, 0 })
  keys('o"volumeOf<C-x><C-o><Esc>')
  report(vim.wait(3000, function() return get_line(id + 1):match('^%s*"volumeOfLearning": $') ~= nil end, 10),
         'a property name after " completes to "volumeOfLearning": ', get_line(id + 1))
  keys('A"PT60H",<Esc>')
  local syntax = {}
  if settled() then
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if not tostring(code(d)):match("^[A-Z][A-Z]%-%d%d$") then table.insert(syntax, d.message) end
    end
  end
  report(settled() and #syntax == 0, "the completed member is valid JSON", table.concat(syntax, "; "))
  -- 5. A quick fix: an unknown field of education, fixed from vim.lsp.buf.code_action().
  local m = line_of("isced-f/0688")
  local wrong = get_line(m):gsub("http://data%.europa%.eu/snb/isced%-f/0688", "softw")
  vim.api.nvim_buf_set_lines(0, m - 1, m, true, { wrong })
  local flagged = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(0)) do if d.lnum == m - 1 then return true end end
    return false
  end, 10)
  report(flagged, "an unknown field of education is flagged")
  vim.api.nvim_win_set_cursor(0, { m, (wrong:find("softw", 1, true)) })
  local offered = {}
  vim.ui.select = function(items, opts, choice)
    local chosen
    for _, item in ipairs(items) do
      local title = opts.format_item(item)
      table.insert(offered, title)
      if not chosen and title:find("0613", 1, true) then chosen = item end
    end
    choice(chosen)
  end
  vim.lsp.buf.code_action()
  local fixed = wrong:gsub("softw", "http://data.europa.eu/snb/isced-f/0613")
  report(vim.wait(5000, function() return get_line(m) == fixed end, 10), "the quick fix replaces it with 0613",
         table.concat(offered, " | "))
  local left = {}
  if settled() then
    for _, d in ipairs(vim.diagnostic.get(0)) do if d.lnum == m - 1 then table.insert(left, d.message) end end
  end
  report(settled() and #left == 0, "the fixed line has no diagnostic", table.concat(left, "; "))
  -- 6. A plain .json file: syntax errors where they are, after é and 😀 (UTF-16 positions on the wire).
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("ECCOE_JSON")))
  local found = {}
  vim.wait(20000, function() return #vim.diagnostic.get(0) >= 2 end, 10)
  for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(found, string.format("%d:%d %s", d.lnum, d.col, code(d))) end
  table.sort(found)
  report(table.concat(found, ", ") == "1:11 invalid-literal, 2:14 trailing-comma", "a .json file's syntax errors, columns after é😀",
         table.concat(found, ", "))
  -- 7. An agreement: its reference to the learning opportunity is a link to that file, at the `path` string.
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("ECCOE_AGREEMENT")))
  vim.wait(15000, function() return #vim.lsp.buf_get_clients(0) > 0 end, 10)
  local answers = vim.lsp.buf_request_sync(0, "textDocument/documentLink", { textDocument = vim.lsp.util.make_text_document_params() }, 20000)
  local links = {}
  for _, answer in pairs(answers or {}) do
    for _, link in ipairs(answer.result or {}) do
      local text = get_line(link.range.start.line + 1):sub(link.range.start.character + 1, link.range["end"].character)
      table.insert(links, text .. " -> " .. vim.uri_to_fname(link.target):gsub("^.*/", ""))
    end
  end
  report(table.concat(links, ", ") == '"good-learning-opportunity.jsonld" -> good-learning-opportunity.jsonld',
         "an agreement links to the learning opportunity it references", table.concat(links, ", "))
end
local ok, err = pcall(steps)
if not ok then report(false, "driver", tostring(err)) end
local clients = vim.lsp.buf_get_clients(0)
for _, c in pairs(clients) do
  local pidfile = io.open(os.getenv("ECCOE_RESULTS") .. ".pid", "w")
  pidfile:write(tostring(c.rpc.pid))
  pidfile:close()
end
results:close()
vim.cmd("qa!")
LUA

cd "$work/docs"
ECCOE_RESULTS="$work/results.txt" ECCOE_JSON="$work/docs/doc.json" ECCOE_AGREEMENT="$work/docs/good.agreement.json" PATH="$work/bin:$PATH" HOME="$work" XDG_CONFIG_HOME="$work/config" \
  XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" \
  timeout 120 nvim --headless credential.jsonld -S "$work/drive.lua" >/dev/null 2>"$work/nvim.err"
status=$?
[ "$status" -eq 0 ] || echo "FAIL nvim exited with status $status: $(cat "$work/nvim.err")" >> "$work/results.txt"
# The server exits with Neovim (shutdown and exit on VimLeavePre); give it up to 5 s.
pid=$(cat "$work/results.txt.pid" 2>/dev/null)
if [ -z "$pid" ]; then
  echo "FAIL the server's process id was not found" >> "$work/results.txt"
else
  # Its end is an event (a pidfd becomes readable); 5 s is only a bound to fail by.
  if ! python3 "$root/Tests/Editors/process-ended.py" "$pid" 5; then
    echo "FAIL the server (pid $pid) still runs 5 s after Neovim quit" >> "$work/results.txt"
  else echo "ok   the server exited with Neovim" >> "$work/results.txt"; fi
fi
echo "Neovim $(nvim --version | head -1)"
cat "$work/results.txt"
passed=$(grep -c '^ok' "$work/results.txt")
failed=$(grep -c '^FAIL' "$work/results.txt")
[ "$passed" -eq 14 ] || { echo "FAIL expected 14 passing steps"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

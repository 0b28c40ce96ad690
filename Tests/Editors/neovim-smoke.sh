#!/usr/bin/env bash
# Drives `eccoe lsp` with a real client: headless Neovim (0.7 from Debian) using Editors/neovim/eccoe.lua.
# Opens a document with an error, waits for its diagnostics, quits, and checks the server exited.
# Prints "1 passed, 0 failed" or "0 passed, 1 failed" and exits accordingly.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
eccoe=${ECCOE_BINARY:-$root/.build/debug/eccoe}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '{\n  "title": tru,\n  "é😀": [1,]\n}\n' > "$work/doc.json"
cat > "$work/init.lua" <<LUA
package.path = "$root/Editors/neovim/?.lua;" .. package.path
require("eccoe").setup({ path = "$eccoe" })
local received = false
-- Keep the latest publication: the server may publish a document again (after indexing, for example).
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(_, result, ctx)
  local out = io.open("$work/out.txt", "w")
  for _, d in ipairs(result.diagnostics) do
    out:write(string.format("%d:%d %s %s\n", d.range.start.line, d.range.start.character, d.code or "-", d.message))
  end
  out:close()
  received = #result.diagnostics > 0
end
vim.api.nvim_create_autocmd("VimEnter", { callback = function()
  if not vim.wait(20000, function() return received end, 50) then
    local out = io.open("$work/out.txt", "a")
    out:write("TIMEOUT\n")
    out:close()
  end
  local clients = vim.lsp.get_active_clients()
  local pidfile = io.open("$work/pid.txt", "w")
  pidfile:write(tostring(clients[1] and clients[1].rpc and clients[1].rpc.pid or ""))
  pidfile:close()
  vim.cmd("qa!")
end })
LUA
timeout 60 nvim --headless -u "$work/init.lua" "$work/doc.json" >/dev/null 2>"$work/nvim.err"
status=$?
for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; [ -n "$(cat "$work/pid.txt" 2>/dev/null)" ] && ! kill -0 "$(cat "$work/pid.txt")" 2>/dev/null && break; done
failed=0
expected=$'1:11 invalid-literal unexpected `tru`\n2:11 trailing-comma trailing comma: JSON allows no comma before `]`'
actual=$(cat "$work/out.txt" 2>/dev/null)
if [ "$status" -ne 0 ]; then echo "nvim exited with $status"; cat "$work/nvim.err"; failed=1; fi
if [ "$actual" != "$expected" ]; then printf 'diagnostics differ:\n--- expected\n%s\n--- actual\n%s\n' "$expected" "$actual"; failed=1; fi
pid=$(cat "$work/pid.txt" 2>/dev/null)
if [ -z "$pid" ]; then echo "could not learn the server's process id from Neovim"; failed=1
elif kill -0 "$pid" 2>/dev/null; then echo "the server (pid $pid) is still running after Neovim quit"; failed=1; fi
if [ "$failed" -eq 0 ]; then echo "neovim smoke: diagnostics received in UTF-16 columns, clean exit"; echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $failed

-- ECCOE language server for Neovim 0.7 and later. Put this file on your runtimepath (for example
-- ~/.config/nvim/lua/eccoe.lua) and call require("eccoe").setup() from init.lua; see README.md.
--
-- What it does:
--   * gives *.jsonld files the filetype `jsonld`, highlighted as JSON (Neovim 0.7 reads vim.filetype.add only
--     with vim.g.do_filetype_lua set, so there it uses an autocommand);
--   * starts `eccoe lsp --stdio` for json, jsonc and jsonld buffers (vim.lsp.config/vim.lsp.enable on 0.11+,
--     vim.lsp.start_client before) and sends the settings at start-up as initializationOptions, because
--     Neovim before 0.11 neither sends workspace/didChangeConfiguration nor answers workspace/configuration;
--   * sets the buffer's omnifunc (<C-x><C-o>) to one that filters the server's items by their filterText,
--     so "soft" finds "0613 Software and applications development and analysis" and inserts its IRI.
--     (Neovim 0.7's own vim.lsp.omnifunc keeps only items whose inserted text starts with the typed word.)
local M = {}

local filetypes = { "json", "jsonc", "jsonld" }

local function root_dir(bufname)
  local dir = vim.fn.fnamemodify(bufname, ":p:h")
  local marker = vim.fn.finddir(".git", dir .. ";")
  if marker ~= "" then
    return vim.fn.fnamemodify(marker, ":p:h:h")
  end
  return dir
end

-- The eccoe client attached to a buffer, if any.
local function client_of(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr, name = "eccoe" })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == "eccoe" then
      return client
    end
  end
end

-- Byte offset in `line` of an LSP character offset in `encoding` ("utf-8", "utf-16" or "utf-32").
local function byte_index(line, character, encoding)
  if encoding == "utf-8" then
    return math.min(character, #line)
  end
  local units, i = 0, 1
  while i <= #line and units < character do
    local b = line:byte(i)
    local n = b < 0x80 and 1 or b < 0xE0 and 2 or b < 0xF0 and 3 or 4
    units = units + ((encoding == "utf-16" and n == 4) and 2 or 1)
    i = i + n
  end
  return i - 1
end

local pending = {}

-- An omnifunc (`:help complete-functions`) asking the server synchronously. The word the items are filtered
-- by runs from the start of their edit range to the cursor, as the protocol says; each item inserts the
-- edit's text, and the part of the edit's range after the cursor (a closing quote) goes once it is chosen.
function M.omnifunc(findstart, base)
  local bufnr = vim.api.nvim_get_current_buf()
  if findstart == 0 then
    return { words = pending[bufnr] or {}, refresh = "always" }
  end
  pending[bufnr] = {}
  local client = client_of(bufnr)
  if not client then
    return -3
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local line = vim.api.nvim_get_current_line()
  local encoding = client.offset_encoding or "utf-16"
  local params = vim.lsp.util.make_position_params(0, encoding)
  local response = client.request_sync("textDocument/completion", params, 2000, bufnr)
  local result = response and response.result
  local items = result and (result.items or result) or {}
  local start = col
  for _, item in ipairs(items) do
    if item.textEdit and item.textEdit.range then
      start = math.min(start, byte_index(line, item.textEdit.range.start.character, encoding))
      break
    end
  end
  local word = line:sub(start + 1, col)
  local matches = {}
  for _, item in ipairs(items) do
    local filter = item.filterText or item.label
    if filter:sub(1, #word) == word or filter:sub(1, #word):lower() == word:lower() then
      local edit = item.textEdit
      local text = edit and edit.newText or item.insertText or item.label
      local tail = 0
      if edit and edit.range and edit.range["end"].line == row - 1 then
        tail = math.max(0, byte_index(line, edit.range["end"].character, encoding) - col)
      end
      local doc = item.documentation
      local info = type(doc) == "table" and doc.value or doc
      table.insert(matches, {
        word = text,
        abbr = item.label,
        menu = item.detail or "",
        info = info or "",
        icase = 1,
        dup = 1,
        empty = 1,
        user_data = { eccoe = { tail = tail } },
        sort = item.sortText or item.label,
      })
    end
  end
  table.sort(matches, function(a, b) return a.sort < b.sort end)
  for _, m in ipairs(matches) do
    m.sort = nil
  end
  pending[bufnr] = matches
  return start
end

-- Once an item is chosen, remove the rest of its edit's range after the cursor (the closing quote of a key
-- the item completes with `": `).
local function complete_done()
  local item = vim.v.completed_item
  local data = type(item) == "table" and type(item.user_data) == "table" and item.user_data.eccoe
  if not data or (data.tail or 0) <= 0 then
    return
  end
  local tail = data.tail
  vim.schedule(function()
    local row, col = unpack(vim.api.nvim_win_get_cursor(0))
    local line = vim.api.nvim_get_current_line()
    vim.api.nvim_buf_set_text(0, row - 1, col, row - 1, math.min(#line, col + tail), {})
  end)
end

local function attach(bufnr)
  vim.api.nvim_buf_set_option(bufnr, "omnifunc", "v:lua.require'eccoe'.omnifunc")
  vim.api.nvim_create_autocmd("CompleteDone", { buffer = bufnr, callback = complete_done })
end

function M.setup(opts)
  opts = opts or {}
  local cmd = { opts.path or "eccoe", "lsp", "--stdio" }
  local settings = { eccoe = opts.settings or {} }

  if vim.fn.has("nvim-0.8") == 1 then
    vim.filetype.add({ extension = { jsonld = "jsonld" } })
  else
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, { pattern = "*.jsonld", command = "setfiletype jsonld" })
  end
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "jsonld",
    callback = function(args)
      vim.api.nvim_buf_set_option(args.buf, "syntax", "json")
    end,
  })

  if vim.lsp.config and vim.lsp.enable then
    -- Neovim 0.11 and later.
    vim.lsp.config("eccoe", {
      cmd = cmd,
      filetypes = filetypes,
      root_markers = { ".git" },
      settings = settings,
      init_options = settings,
      on_attach = function(_, bufnr) attach(bufnr) end,
    })
    vim.lsp.enable("eccoe")
    return
  end

  -- Neovim 0.7 to 0.10: start one client and attach every matching buffer to it.
  local client_id
  vim.api.nvim_create_autocmd("FileType", {
    pattern = filetypes,
    callback = function(args)
      if not client_id or not vim.lsp.get_client_by_id(client_id) then
        client_id = vim.lsp.start_client({
          name = "eccoe",
          cmd = cmd,
          root_dir = root_dir(vim.api.nvim_buf_get_name(args.buf)),
          settings = settings,
          init_options = settings,
        })
      end
      if client_id and vim.lsp.buf_attach_client(args.buf, client_id) then
        attach(args.buf)
      end
    end,
  })
end

return M

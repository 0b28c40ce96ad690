-- ECCOE language server for Neovim. Put this file on your runtimepath (e.g. ~/.config/nvim/lua/eccoe.lua)
-- and call require("eccoe").setup() from init.lua. Works with Neovim 0.7 (vim.lsp.start_client) and with
-- 0.11+ (vim.lsp.config / vim.lsp.enable).
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

function M.setup(opts)
  opts = opts or {}
  local cmd = { opts.path or "eccoe", "lsp", "--stdio" }
  vim.filetype = vim.filetype or {}
  if vim.filetype.add then
    vim.filetype.add({ extension = { jsonld = "jsonld" } })
  else
    vim.cmd([[autocmd BufRead,BufNewFile *.jsonld setfiletype jsonld]])
  end

  if vim.lsp.config and vim.lsp.enable then
    -- Neovim 0.11 and later.
    vim.lsp.config("eccoe", {
      cmd = cmd,
      filetypes = filetypes,
      root_markers = { ".git" },
      settings = { eccoe = opts.settings or {} },
    })
    vim.lsp.enable("eccoe")
    return
  end

  -- Neovim 0.7 to 0.10: start one client and attach every matching buffer to it.
  local client_id
  vim.api.nvim_create_autocmd("FileType", {
    pattern = filetypes,
    callback = function(args)
      if not client_id then
        client_id = vim.lsp.start_client({
          name = "eccoe",
          cmd = cmd,
          root_dir = root_dir(vim.api.nvim_buf_get_name(args.buf)),
          settings = { eccoe = opts.settings or {} },
        })
      end
      if client_id then
        vim.lsp.buf_attach_client(args.buf, client_id)
      end
    end,
  })
end

return M

-- Drives Neovim 0.7 (headless) as a real floe-lsp client and writes what the editor got
-- back as JSON. It reads its job from the JSON file named by $FLOE_E2E_CONFIG:
--   cmd, root, file, output, timeout_ms: the server command, the workspace root, the
--     floe.yaml to open, where to write the result, how long to wait for each answer;
--   hovers: a list of {line, col} cursor positions (0-based line, byte column) to hover at;
--   completion: {line, col}, the cursor position to complete at;
--   edit: {line, col, end_col, text}: a replacement typed into the buffer afterwards.
-- A failed hover, completion or edit is recorded under `errors` and the session goes on;
-- only a session that cannot start (no diagnostics) fails as a whole, under `error`.
-- Diagnostics are read from vim.diagnostic (Neovim's own view: byte columns), so the
-- server's UTF-16 ranges are checked through the editor's conversion.

local config = vim.json.decode(table.concat(vim.fn.readfile(vim.env.FLOE_E2E_CONFIG), '\n'))
local result = { published = {}, errors = vim.empty_dict() }
local server_exit = nil
local client_id = nil

local function write_result()
  vim.fn.writefile({ vim.json.encode(result) }, config.output)
end

local function editor_diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, {
      line = d.lnum, col = d.col, end_line = d.end_lnum, end_col = d.end_col,
      severity = d.severity, code = d.code, message = d.message, source = d.source,
    })
  end
  return out
end

-- Waits for the diagnostics of the buffer's current version: a publication after the first
-- `after` ones whose version is at least that (or that carries no version at all).
local function wait_for_diagnostics(bufnr, after)
  local version = vim.lsp.util.buf_versions[bufnr] or 0
  local function arrived()
    for index = after + 1, #result.published do
      local published = result.published[index].version
      if published == nil or published == vim.NIL or published >= version then
        return true
      end
    end
    return false
  end
  vim.wait(config.timeout_ms, function() return arrived() or server_exit ~= nil end, 20)
  if not arrived() and server_exit then
    error(string.format('the server exited (code %d, signal %d) before the diagnostics of '
      .. 'version %d', server_exit.code, server_exit.signal, version))
  end
  if not arrived() then
    error(string.format('no diagnostics for version %d within %d ms', version, config.timeout_ms))
  end
end

local function request(bufnr, method, params)
  if not vim.lsp.get_client_by_id(client_id).supports_method(method) then
    error('the server does not offer ' .. method)
  end
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, config.timeout_ms)
  if not responses then
    error(method .. ' failed: ' .. tostring(err))
  end
  for _, response in pairs(responses) do
    if response.error then
      error(method .. ' returned an error: ' .. vim.inspect(response.error))
    end
    return response.result
  end
  return nil
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == 'string' and part or part.value)
  end
  return table.concat(parts, '\n')
end

-- Runs one step of the session; a failure is recorded under its name and the next step runs.
local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    result.errors[name] = err
  end
end

local function main()
  client_id = vim.lsp.start_client({
    name = 'floe',
    cmd = config.cmd,
    root_dir = config.root,
    on_exit = function(code, signal)
      server_exit = { code = code, signal = signal }
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, params, ctx, handler_config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, handler_config)
        table.insert(result.published, { version = params.version, count = #params.diagnostics })
      end,
    },
  })
  if not client_id then
    error('vim.lsp.start_client refused the configuration')
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(config.file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  wait_for_diagnostics(bufnr, 0)
  result.diagnostics = editor_diagnostics(bufnr)

  result.hovers = {}
  for index, position in ipairs(config.hovers) do
    result.hovers[index] = vim.NIL
    step('hover ' .. index, function()
      vim.api.nvim_win_set_cursor(0, { position.line + 1, position.col })
      local hover = request(bufnr, 'textDocument/hover', vim.lsp.util.make_position_params())
      result.hovers[index] = hover and hover_text(hover.contents) or vim.NIL
    end)
  end

  step('completion', function()
    -- Typing `job: ` leaves the cursor after the space, one past the last character, which
    -- normal mode only allows with virtualedit=onemore.
    vim.o.virtualedit = 'onemore'
    vim.api.nvim_win_set_cursor(0, { config.completion.line + 1, config.completion.col })
    local position_params = vim.lsp.util.make_position_params()
    result.completion_position = position_params.position.character
    local completion = request(bufnr, 'textDocument/completion', position_params)
    local items = completion and (completion.items or completion) or {}
    result.completion = {}
    for _, item in ipairs(items) do
      table.insert(result.completion, item.label)
    end
  end)

  step('edit', function()
    local edit = config.edit
    local before = #result.published
    vim.api.nvim_buf_set_text(bufnr, edit.line, edit.col, edit.line, edit.end_col, { edit.text })
    wait_for_diagnostics(bufnr, before)
    result.diagnostics_after_edit = editor_diagnostics(bufnr)
  end)

  vim.lsp.stop_client(client_id)
  vim.wait(config.timeout_ms, function() return vim.lsp.client_is_stopped(client_id) end, 20)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  result.error = err
end
write_result()
vim.cmd(ok and 'qall!' or 'cquit!')

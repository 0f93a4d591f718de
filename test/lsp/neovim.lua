-- Drives the Persona Review language server from Neovim (0.7 API: vim.lsp.start_client), headless, with
-- nothing but LSP: executeCommand → Diagnostics → the quick fix and "Dismiss finding" code actions.
-- Reads PR_SERVER (path of dist/server.js), PR_FILE (the file to review) and PR_OUT (where to write the JSON
-- result); ends with :qa!. Every step writes what it saw, so the Node test can assert on it.
local out = {}
local function finish()
  local f = io.open(os.getenv('PR_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end
-- A vim.diagnostic back as the LSP Diagnostic the server sent (as Neovim's own code action request builds it).
local function to_lsp(d)
  return vim.tbl_extend('keep', {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity,
    message = d.message,
    source = d.source,
    code = d.code,
  }, d.user_data and d.user_data.lsp or {})
end

local ok, err = pcall(function()
  local file = os.getenv('PR_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'persona-review',
    cmd = { 'node', os.getenv('PR_SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  out.started = id ~= nil
  vim.lsp.buf_attach_client(bufnr, id)
  local client = vim.lsp.get_client_by_id(id)
  out.initialized = vim.wait(20000, function() return client.initialized end, 50)
  local caps = client.server_capabilities or client.resolved_capabilities
  out.commands = caps.executeCommandProvider and caps.executeCommandProvider.commands or {}
  out.diagnosticsBefore = #vim.diagnostic.get(bufnr)

  local uri = vim.uri_from_bufnr(bufnr)
  local done, result, rerr = false, nil, nil
  client.request('workspace/executeCommand', { command = 'personaReview.server.reviewDocument', arguments = { uri, { 'sre' } } }, function(e, r) rerr, result, done = e, r, true end, bufnr)
  vim.wait(60000, function() return done end, 100)
  out.reviewError = rerr and rerr.message or vim.NIL
  out.reviewStatus = result and result.status or vim.NIL
  out.reviewFindings = result and result.findings or vim.NIL
  vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 100)
  local diags = vim.diagnostic.get(bufnr)
  out.diagnostics = {}
  local target
  for _, d in ipairs(diags) do
    table.insert(out.diagnostics, { lnum = d.lnum, source = d.source, code = d.code, message = d.message, severity = d.severity })
    if d.code == 'sre/missing-timeout' then target = d end
  end
  if not target then return end

  -- The code actions for the fetch's Diagnostic, as :lua vim.lsp.buf.code_action() asks for them.
  local lspd = to_lsp(target)
  local params = {
    textDocument = { uri = uri },
    range = lspd.range,
    context = { diagnostics = { lspd } },
  }
  local actions
  done = false
  client.request('textDocument/codeAction', params, function(_, r) actions, done = r, true end, bufnr)
  vim.wait(10000, function() return done end, 50)
  out.actions = {}
  local fix, dismiss
  for _, a in ipairs(actions or {}) do
    table.insert(out.actions, { title = a.title, kind = a.kind, preferred = a.isPreferred == true, hasEdit = a.edit ~= nil, command = a.command and a.command.command or vim.NIL })
    if a.isPreferred and a.edit then fix = a end
    if a.title == 'Dismiss finding' then dismiss = a end
  end
  out.lineBefore = vim.api.nvim_buf_get_lines(bufnr, lspd.range.start.line, lspd.range.start.line + 1, false)[1]
  if fix then
    -- Applying the quick fix as Neovim's code action UI does: the versioned WorkspaceEdit.
    vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
    out.lineAfter = vim.api.nvim_buf_get_lines(bufnr, lspd.range.start.line, lspd.range.start.line + 1, false)[1]
    -- The edit reaches the server as didChange; the fixed finding's Diagnostic goes.
    out.fixedGone = vim.wait(10000, function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.code == 'sre/missing-timeout' and d.lnum == target.lnum then return false end
      end
      return true
    end, 100)
  end
  out.diagnosticsAfterFix = #vim.diagnostic.get(bufnr)
  local others = vim.diagnostic.get(bufnr)
  if dismiss and #others > 0 then
    -- "Dismiss finding" on another Diagnostic: its command runs on the server (workspace/executeCommand).
    local o = to_lsp(others[1])
    done = false
    local acts
    client.request('textDocument/codeAction', { textDocument = { uri = uri }, range = o.range, context = { diagnostics = { o } } }, function(_, r) acts, done = r, true end, bufnr)
    vim.wait(10000, function() return done end, 50)
    for _, a in ipairs(acts or {}) do
      if a.title == 'Dismiss finding' then
        done = false
        client.request('workspace/executeCommand', a.command, function(e) out.dismissError = e and e.message or vim.NIL; done = true end, bufnr)
        vim.wait(10000, function() return done end, 50)
      end
    end
    out.dismissed = vim.wait(10000, function() return #vim.diagnostic.get(bufnr) == #others - 1 end, 100)
  end
  out.diagnosticsEnd = #vim.diagnostic.get(bufnr)
end)
if not ok then out.error = tostring(err) end
finish()

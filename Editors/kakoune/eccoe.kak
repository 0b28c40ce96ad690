# kakoune-lsp 18.1 and later, configured in kakrc: source this file after `eval %sh{kak-lsp}`.
# *.jsonld files are JSON to Kakoune (highlighting); every JSON buffer gets eccoe as its language server.
hook global BufCreate .*[.]jsonld %{ set-option buffer filetype json }
hook -group lsp-filetype-json global BufSetOption filetype=json %{
    set-option buffer lsp_servers %{
        [eccoe]
        root_globs = [".git", ".hg"]
        command = "eccoe"
        args = ["lsp", "--stdio"]
    }
    # To keep kakoune-lsp's standard JSON server as well, add its table here, for example:
    #   [vscode-json-language-server]
    #   root_globs = ["package.json", ".git", ".hg"]
    #   args = ["--stdio"]
}

# kak-lsp 17+: source this from kakrc after `eval %sh{kak-lsp}` and `lsp-enable`.
hook global BufCreate .*[.]jsonld %{ set-option buffer filetype json }
hook -group lsp-filetype-json global BufSetOption filetype=json %{
    set-option buffer lsp_servers %{
        [eccoe]
        root_globs = [".git"]
        command = "eccoe"
        args = ["lsp", "--stdio"]
    }
}

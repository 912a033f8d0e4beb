"""`overclaim lsp`: findings, explanations and quick fixes in the writer's editor.

A Language Server Protocol server over stdio, built on pygls. Its parts:

- `positions`:   source offsets <-> LSP positions (UTF-16 code units by default)
- `workspace`:   the config, rules and engines for a document, found as the CLI
                 finds them and reloaded when the files behind them change
- `linting`:     one document's text -> findings (or the reason it was refused)
- `diagnostics`: findings and problems -> LSP diagnostics
- `hover`:       a finding's rule explained, as `overclaim rules explain` prints it
- `actions`:     quick fixes: accept with a reason, disable the rule in config
- `server`:      the pygls wiring: debounced linting, stale runs dropped

pygls is imported only here (not by the CLI at start-up), so `overclaim --help`
stays fast and the linter works without the `lsp` extra installed.
"""

;;; eccoe.el --- ECCOE language server with eglot  -*- lexical-binding: t; -*-
;; Load with (load "/path/to/Editors/emacs/eccoe.el"). Needs eglot (built into Emacs 29; `elpa-eglot` on Debian).
(require 'eglot)

(define-derived-mode jsonld-mode js-json-mode "JSON-LD"
  "Major mode for JSON-LD documents such as European Digital Credentials.")
(add-to-list 'auto-mode-alist '("\\.jsonld\\'" . jsonld-mode))

(add-to-list 'eglot-server-programs
             '((jsonld-mode js-json-mode json-mode json-ts-mode) . ("eccoe" "lsp" "--stdio")))

(add-hook 'jsonld-mode-hook #'eglot-ensure)
(add-hook 'js-json-mode-hook #'eglot-ensure)

(provide 'eccoe)
;;; eccoe.el ends here

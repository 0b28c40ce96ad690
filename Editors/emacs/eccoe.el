;;; eccoe.el --- ECCOE language server with eglot  -*- lexical-binding: t; -*-

;; Load with (load "/path/to/Editors/emacs/eccoe.el") from your init file.  Works with Emacs 28 and the
;; `elpa-eglot' package of Debian 12 (eglot 1.9), and with Emacs 29 and later (eglot built in).
;;
;; What it does:
;; - `jsonld-mode' for *.jsonld files: JSON editing and highlighting (`js-json-mode' on Emacs 29 and later;
;;   Emacs 28 has no JSON mode, so there `js-mode', which reads JSON as JavaScript);
;; - on Emacs 28, `eccoe-json-mode' for *.json and *.jsonc (Emacs 28 opens them in `javascript-mode', which
;;   must not start a JSON server for every JavaScript file); Emacs 29 opens them in `js-json-mode';
;; - starts `eccoe lsp --stdio' through eglot in all of them;
;; - lets the server's filtering stand in their completion: the server keeps the items that match what was
;;   typed ("soft" keeps "0613 Software and applications development and analysis", which inserts an IRI),
;;   while eglot 1.9's default styles (flex, basic) match the typed text against the label again and find
;;   nothing.  Only these buffers are affected.

;;; Code:

(require 'eglot)
(require 'js)

(defalias 'eccoe--json-base-mode (if (fboundp 'js-json-mode) #'js-json-mode #'js-mode)
  "The JSON mode of this Emacs: `js-json-mode' (Emacs 29 and later), else `js-mode'.")

(define-derived-mode jsonld-mode eccoe--json-base-mode "JSON-LD"
  "Major mode for JSON-LD documents such as European Digital Credentials.")
(add-to-list 'auto-mode-alist '("\\.jsonld\\'" . jsonld-mode))

(unless (fboundp 'js-json-mode)
  (define-derived-mode eccoe-json-mode js-mode "JSON"
    "Major mode for JSON and JSONC documents on Emacs 28, which has none.")
  (add-to-list 'auto-mode-alist '("\\.jsonc?\\'" . eccoe-json-mode)))
(when (and (fboundp 'js-json-mode) (not (assoc-default "x.jsonc" auto-mode-alist #'string-match)))
  (add-to-list 'auto-mode-alist '("\\.jsonc\\'" . js-json-mode)))

(add-to-list 'eglot-server-programs
             '(((jsonld-mode :language-id "jsonld") (eccoe-json-mode :language-id "json")
                (js-json-mode :language-id "json") (json-ts-mode :language-id "json") (json-mode :language-id "json"))
               . ("eccoe" "lsp" "--stdio")))

(defun eccoe--server-candidates (table pred)
  "The candidates TABLE holds for what was typed: all that eglot's table keeps for an empty prefix.
Copies: inserting a completion strips its text properties, and eglot finds the item it completes by the
properties of the strings it keeps."
  (mapcar #'copy-sequence (all-completions "" table pred)))

(defun eccoe--server-try-completion (string table pred point)
  "Completion style: the one candidate if the server sent one, else STRING unchanged at POINT."
  (let ((all (eccoe--server-candidates table pred)))
    (cond ((null all) nil)
          ((and (null (cdr all)) (equal (car all) string)) t)
          ((null (cdr all)) (cons (car all) (length (car all))))
          (t (cons string point)))))

(defun eccoe--server-all-completions (_string table pred _point)
  "Completion style: every candidate the server sent, replacing the whole field."
  (let ((all (eccoe--server-candidates table pred)))
    (and all (nconc all 0))))

(add-to-list 'completion-styles-alist
             '(eccoe-server eccoe--server-try-completion eccoe--server-all-completions
                            "Keep the candidates the language server chose for what was typed."))

(defun eccoe--start ()
  "Use the server's completion filtering in this buffer and start eglot."
  (setq-local completion-category-overrides
              (append '((eglot (styles eccoe-server)) (eglot-capf (styles eccoe-server)))
                      completion-category-overrides))
  (eglot-ensure))

(dolist (hook '(jsonld-mode-hook eccoe-json-mode-hook js-json-mode-hook json-ts-mode-hook))
  (add-hook hook #'eccoe--start))

(provide 'eccoe)
;;; eccoe.el ends here

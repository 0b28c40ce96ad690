#!/usr/bin/env bash
# Drives `eccoe lsp` through Emacs with eglot (Emacs 28 and Debian's elpa-eglot, eglot 1.9, in CI), set up word
# for word as Editors/emacs/README.md says: its init lines in ~/.emacs.d/init.el, `eccoe` on PATH. Emacs runs
# in batch mode; opening a file runs `post-command-hook' as the command that opens it would. On a .jsonld
# credential it checks what a user sees: `jsonld-mode' and eglot managing the buffer; flymake diagnostics,
# with the README's severity override applied by the server; completion by label through eglot's
# completion-at-point (`soft' inserts the ISCED-F 0613 IRI) and of a property name typed after `"'; a .json
# file's syntax errors at the right columns after é😀; the server gone once Emacs exits.
# Every wait is on process output with a deadline. Prints one line per step, then "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
eccoe=${ECCOE_BINARY:-$root/.build/debug/eccoe}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.emacs.d" "$work/bin" "$work/docs"
# The set-up, as the README says (its elisp block, with the real path of eccoe.el).
sed -n '/^```elisp$/,/^```$/p' "$root/Editors/emacs/README.md" | sed '1d;$d' \
  | sed "s|/path/to/Editors/emacs/eccoe.el|$root/Editors/emacs/eccoe.el|" > "$work/home/.emacs.d/init.el"
ln -s "$eccoe" "$work/bin/eccoe"
cp "$root/Schemas/examples/credential-MC-07-no-workload.jsonld" "$work/docs/credential.jsonld"
printf '{\n  "title": tru,\n  "é😀": [1,]\n}\n' > "$work/docs/doc.json"

cat > "$work/drive.el" <<'ELISP'
;;; -*- lexical-binding: t; -*-
(defvar results nil)
(defun report (ok step &optional detail)
  (push (format "%s%s%s" (if ok "ok   " "FAIL ") step (if detail (format ": %s" detail) "")) results))
(defun wait-for (pred seconds)
  "Process output until PRED holds or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (funcall pred)))
(defun open (file)
  (find-file file)
  (run-hooks 'post-command-hook))
(defun current-line () (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
(defun diagnostic-code (d)
  (let ((lsp (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d))))) (plist-get lsp :code)))
(defvar server-pid nil)
(defun steps ()
  (open (getenv "ECCOE_DOC"))
  (report (eq major-mode 'jsonld-mode) "major mode of a .jsonld file" major-mode)
  (report (wait-for (lambda () (bound-and-true-p eglot--managed-mode)) 15) "eglot manages the buffer")
  (setq server-pid (process-id (jsonrpc--process (eglot-current-server))))
  (report (wait-for #'flymake-diagnostics 20) "diagnostics shown")
  (let ((warning (wait-for (lambda () (cl-find-if (lambda (d) (and (equal (diagnostic-code d) "MC-07")
                                                                   (eq (flymake-diagnostic-type d) 'eglot-warning)))
                                                  (flymake-diagnostics)))
                           20)))
    (report warning "MC-07 shown as a warning, as the severity override asks"
            (mapconcat (lambda (d) (format "%s %s" (diagnostic-code d) (flymake-diagnostic-type d))) (flymake-diagnostics) ", ")))
  ;; Completion by label: `soft' in the field of education's string, then completion-at-point.
  (goto-char (point-min))
  (search-forward "http://data.europa.eu/snb/isced-f/0322")
  (replace-match "soft")
  (let ((want (replace-regexp-in-string "soft" "http://data.europa.eu/snb/isced-f/0613" (current-line))))
    (completion-at-point)
    (report (equal (current-line) want) "soft + completion-at-point inserts the 0613 IRI" (current-line)))
  ;; A property name after a quote.
  (goto-char (point-min))
  (search-forward "\"id\": \"urn:epass:qualification:rdm\",")
  (end-of-line)
  (insert "\n      \"volumeOf")
  (completion-at-point)
  (report (string-match-p "^ *\"volumeOfLearning\": $" (current-line))
          "a property name after \" completes to \"volumeOfLearning\": " (current-line))
  ;; A .json file: syntax errors where they are, after é and 😀.
  (open (getenv "ECCOE_JSON"))
  (report (wait-for (lambda () (>= (length (flymake-diagnostics)) 2)) 20) "a .json file is checked" major-mode)
  (let ((found (sort (mapcar (lambda (d)
                               (save-excursion
                                 (goto-char (flymake-diagnostic-beg d))
                                 (format "%d:%d %s" (line-number-at-pos) (- (point) (line-beginning-position)) (diagnostic-code d))))
                             (flymake-diagnostics))
                     #'string<)))
    (report (equal found '("2:11 invalid-literal" "3:10 trailing-comma")) "its syntax errors, columns after é😀"
            (mapconcat #'identity found ", "))))
(condition-case err (steps) (error (report nil "driver" (error-message-string err))))
(with-temp-file (getenv "ECCOE_RESULTS")
  (dolist (line (reverse results)) (insert line "\n"))
  (when server-pid (insert (format "pid %d\n" server-pid))))
(kill-emacs 0)
ELISP

cd "$work/docs"
ECCOE_RESULTS="$work/results.txt" ECCOE_DOC="$work/docs/credential.jsonld" ECCOE_JSON="$work/docs/doc.json" \
  HOME="$work/home" PATH="$work/bin:$PATH" \
  timeout 120 emacs --batch -l "$work/home/.emacs.d/init.el" -l "$work/drive.el" >"$work/emacs.log" 2>&1
status=$?
[ "$status" -eq 0 ] || echo "FAIL emacs exited with status $status: $(tail -5 "$work/emacs.log")" >> "$work/results.txt"
pid=$(sed -n 's/^pid //p' "$work/results.txt")
sed -i '/^pid /d' "$work/results.txt"
if [ -z "$pid" ]; then
  echo "FAIL the server's process id was not found" >> "$work/results.txt"
else
  # Its end is an event (a pidfd becomes readable); 5 s is only a bound to fail by.
  if ! python3 "$root/Tests/Editors/process-ended.py" "$pid" 5; then
    echo "FAIL the server (pid $pid) still runs 5 s after Emacs exited" >> "$work/results.txt"
  else echo "ok   the server exited with Emacs" >> "$work/results.txt"; fi
fi
echo "$(emacs --version | head -1), eglot $(ls -d /usr/share/emacs/site-lisp/elpa/eglot-* 2>/dev/null | sed 's/.*eglot-//' | head -1)"
cat "$work/results.txt"
passed=$(grep -c '^ok' "$work/results.txt")
failed=$(grep -c '^FAIL' "$work/results.txt")
[ "$passed" -eq 9 ] || { echo "FAIL expected 9 passing steps"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

;;; emacs_driver.el --- Drive Emacs + Eglot (batch mode) as a real floe-lsp client  -*- lexical-binding: t -*-

;;; Commentary:
;; Opens a floe.yaml with Eglot, waits for the server's diagnostics, asks for a hover and
;; a completion, types an edit and waits for the new diagnostics, then writes what the
;; editor got back as JSON.  Its job comes from the JSON file named by $FLOE_E2E_CONFIG:
;;   cmd, root, file, output, timeout_ms: the server command, the workspace root, the
;;     floe.yaml to open, where to write the result, how long to wait for each answer;
;;   hovers: a list of {line, col} cursor positions (0-based line, character column);
;;   completion: {line, col}, the cursor position to complete at;
;;   edit: {line, col, end_col, text}: a replacement typed into the buffer afterwards.
;; A failed hover, completion or edit is recorded under `errors' and the session goes on;
;; only a session that cannot start (no diagnostics) fails as a whole, under `error'.
;; Diagnostics are read back from Flymake (Emacs's own view: character positions), so the
;; server's UTF-16 ranges are checked through Eglot's conversion.

;;; Code:

(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'json)
(require 'flymake)

(defvar floe-e2e-config
  (json-parse-string
   (with-temp-buffer
     (insert-file-contents (getenv "FLOE_E2E_CONFIG"))
     (buffer-string))
   :object-type 'alist :array-type 'list))

(defvar floe-e2e-published nil
  "The version of every publishDiagnostics notification so far, newest first (t: none).")

(defvar floe-e2e-errors nil "Failed steps: (NAME . MESSAGE) pairs.")

(defmacro floe-e2e-step (name &rest body)
  "Run BODY; if it fails, record the error under NAME and go on."
  (declare (indent 1))
  `(condition-case err
       (progn ,@body)
     (error (push (cons ,name (error-message-string err)) floe-e2e-errors))))

(defun floe-e2e-get (&rest keys)
  "The value at KEYS in the driver's configuration."
  (let ((value floe-e2e-config))
    (dolist (key keys value)
      (setq value (alist-get key value)))))

(defun floe-e2e-timeout ()
  "How long to wait for an answer, in seconds."
  (/ (floe-e2e-get 'timeout_ms) 1000.0))

(define-derived-mode yaml-mode prog-mode "YAML"
  "A stand-in major mode for YAML files (Eglot's languageId is taken from its name).")

(defun floe-e2e-count-publish (_server method &rest params)
  "Note the version of publishDiagnostics notifications (METHOD, PARAMS) reaching Eglot."
  (when (eq method 'textDocument/publishDiagnostics)
    (push (or (plist-get params :version) t) floe-e2e-published)))

(advice-add 'eglot-handle-notification :after #'floe-e2e-count-publish)

(defun floe-e2e-server-alive-p ()
  "Whether Eglot's server for this buffer is still running (or still starting)."
  (let ((server (eglot-current-server)))
    (or (null server) (jsonrpc-running-p server))))

(defun floe-e2e-arrived-p (after version)
  "Whether a publication after the first AFTER ones is for VERSION or newer (or unversioned)."
  (seq-some (lambda (published) (or (eq published t) (>= published version)))
            (seq-take floe-e2e-published (- (length floe-e2e-published) after))))

(defun floe-e2e-wait-for-diagnostics (after)
  "Wait for the diagnostics of the buffer's current version, published after AFTER others."
  (let ((deadline (+ (float-time) (floe-e2e-timeout)))
        (version (or eglot--versioned-identifier 0)))
    (while (and (not (floe-e2e-arrived-p after version))
                (< (float-time) deadline)
                (floe-e2e-server-alive-p))
      (accept-process-output nil 0.02))
    (unless (floe-e2e-arrived-p after version)
      (error "No diagnostics for version %d within %s ms (server running: %s)"
             version (floe-e2e-get 'timeout_ms) (floe-e2e-server-alive-p)))))

(defun floe-e2e-server-stderr ()
  "What the server wrote to its standard error, as Eglot collected it."
  (mapconcat (lambda (buffer) (with-current-buffer buffer (buffer-string)))
             (seq-filter (lambda (buffer) (string-match-p "stderr" (buffer-name buffer)))
                         (buffer-list))
             "\n"))

(defun floe-e2e-line-col (pos)
  "POS as (0-based line . character column)."
  (save-excursion
    (goto-char pos)
    (cons (1- (line-number-at-pos pos t)) (- pos (line-beginning-position)))))

(defun floe-e2e-diagnostics ()
  "The buffer's Flymake diagnostics, as Emacs sees them."
  (flymake-start)
  (vconcat
   (mapcar
    (lambda (diag)
      (let ((beg (floe-e2e-line-col (flymake-diagnostic-beg diag)))
            (end (floe-e2e-line-col (flymake-diagnostic-end diag)))
            (lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diag))))
        `((line . ,(car beg)) (col . ,(cdr beg))
          (end_line . ,(car end)) (end_col . ,(cdr end))
          (type . ,(symbol-name (flymake-diagnostic-type diag)))
          (code . ,(plist-get lsp :code))
          (message . ,(flymake-diagnostic-text diag)))))
    (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a)
                                                 (flymake-diagnostic-beg b)))))))

(defun floe-e2e-goto (position)
  "Move point to POSITION, an alist with a 0-based line and a character column."
  (goto-char (point-min))
  (forward-line (alist-get 'line position))
  (forward-char (alist-get 'col position)))

(defun floe-e2e-hover (server)
  "The hover text at point, rendered the way Eglot renders it."
  (unless (eglot--server-capable :hoverProvider)
    (error "The server does not offer textDocument/hover"))
  (let ((response (jsonrpc-request server :textDocument/hover
                                   (eglot--TextDocumentPositionParams)
                                   :timeout (floe-e2e-timeout))))
    (and response (eglot--hover-info (plist-get response :contents)))))

(defun floe-e2e-completion ()
  "The completion candidates at point, through `completion-at-point's Eglot function."
  (let ((capf (eglot-completion-at-point)))
    (unless capf (error "Eglot offers no completion at point"))
    (vconcat (mapcar #'substring-no-properties (all-completions "" (nth 2 capf))))))

(defun floe-e2e-run ()
  "Drive the session and return the result alist."
  (let* ((root (file-name-as-directory (floe-e2e-get 'root)))
         (buffer (find-file-noselect (floe-e2e-get 'file)))
         (eglot-sync-connect (floe-e2e-timeout))
         (eglot-autoreconnect nil)
         (result nil))
    (with-current-buffer buffer
      (yaml-mode)
      (eglot '(yaml-mode) (cons 'transient root) 'eglot-lsp-server (floe-e2e-get 'cmd) "yaml")
      (floe-e2e-wait-for-diagnostics 0)
      (let ((server (eglot-current-server)))
        (unless server (error "Eglot did not connect to %S" (floe-e2e-get 'cmd)))
        (push `(diagnostics . ,(floe-e2e-diagnostics)) result)
        (let ((hovers (make-vector (length (floe-e2e-get 'hovers)) nil)))
          (seq-do-indexed (lambda (position index)
                            (floe-e2e-step (format "hover %d" (1+ index))
                              (floe-e2e-goto position)
                              (aset hovers index (floe-e2e-hover server))))
                          (floe-e2e-get 'hovers))
          (push `(hovers . ,hovers) result))
        (floe-e2e-step "completion"
          (floe-e2e-goto (floe-e2e-get 'completion))
          (push `(completion_position . ,(plist-get (eglot--pos-to-lsp-position) :character))
                result)
          (push `(completion . ,(floe-e2e-completion)) result))
        (floe-e2e-step "edit"
          (let ((edit (floe-e2e-get 'edit))
                (before (length floe-e2e-published)))
            (floe-e2e-goto edit)
            (delete-char (- (alist-get 'end_col edit) (alist-get 'col edit)))
            (insert (alist-get 'text edit))
            (eglot--signal-textDocument/didChange)
            (floe-e2e-wait-for-diagnostics before)
            (push `(diagnostics_after_edit . ,(floe-e2e-diagnostics)) result)))
        (push `(errors . ,floe-e2e-errors) result)
        (eglot-shutdown server)))
    result))

(let ((result (condition-case err
                  (floe-e2e-run)
                (error `((error . ,(concat (error-message-string err) "\n"
                                           (floe-e2e-server-stderr))))))))
  (with-temp-file (floe-e2e-get 'output)
    (insert (json-encode result)))
  (kill-emacs (if (alist-get 'error result) 1 0)))

;;; emacs_driver.el ends here

"""Import of actors from a CSV or XLSX file (such as a CRESS export), by staff.

Steps: upload (type checked on content, size limit) → column mapping (proposed from the headers) →
preview (every row validated, counts to create / update / leave unchanged / reject) → confirm (run).
One module per step: `reading` (the file), `mapping` (columns → fields), `validation` (every row, compared
with the registry), `writing` (the valid rows in one transaction, their history, the report); `services` holds
the steps that the staff views and the background job call.

Rules of an import:
- Idempotent on SIRET: a SIRET already in the registry (archived actors included) updates that actor, a new
  SIRET creates one. Running the same file twice creates nothing the second time (rows are « inchangées »).
- A SIRET present on several lines of the file: the first line is imported, the next ones are rejected.
- An empty cell never erases a value already in the registry; filières and segments given in the file replace
  the actor's; agréments in the file are added when missing (never removed, dates are entered by staff).
- All or nothing: the valid rows are written together in one transaction (rejected rows are never written).
  If anything fails while writing, nothing is written and the import can be run again. The file is read and
  validated again at run time, so the final report (not the preview) says exactly what was done.
- Files of more than `ACTOR_IMPORT_INLINE_MAX_ROWS` rows (default 1,000) run as a background job
  (`actor_import`) with its progress; smaller ones run in the request.
- History: every created or updated actor gets a history record (with its filières and segments) naming the
  staff member who confirmed the import, with the reason « Import nº N ».
- Actors without coordinates are placed at their commune's centre (flagged `commune`) and geocoded from their
  address after commit (task `actors.geocode_actor`) when `ACTOR_IMPORT_GEOCODE` is true (default).
"""

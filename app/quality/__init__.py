"""The quality registers behind a committee's quality report (DOMAIN §9, seed 001 §6.4).

* ``deviations``: deviation reports (avvikelser) with their workflow, measures and Lex Sarah;
* ``feedback``: complaints, praise and suggestions (synpunkter);
* ``decisions``: granted decisions not executed in time, and the quarterly IVO report.

Decisions that hold for all three, written down once:

* Every row belongs to an org unit. A credential bound to an org unit (a reporter's key) reads
  and writes only that unit's subtree: rows elsewhere answer 404, writes elsewhere 403.
* The org unit is who is responsible, not who existed on the event's date: registrations are
  often late and organisations change (a 2018 decision is carried by the 2021 sector), so the
  unit's validity dates are not checked against the row's dates.
* ``source`` names the system a row came from ("DF Respons", "Flexite", "demo"); ``reference`` is
  that system's own (pseudonymised) id. A reference is unique per source, so an integration can
  find its rows again, and a second create with the same pair is a 409.
* Dates are calendar dates (``YYYY-MM-DD``) and may not lie in the future.
* Statistics are counted by the database (GROUP BY); medians and 90th percentiles of durations
  are taken from one query of the durations, in Python (see ``app.quality.stats``).
"""

-- Impact estimates are derived data (`impact.analysis.precomputed`): worked out once per store
-- revision by the server's background thread and kept here, so a server that restarts (or a
-- second server process, one after the other) reads them rather than running the bootstrap
-- again. Keyed by the store revision they came from (`queries/store_revision.sql`, as JSON)
-- and by what was asked: the cohort ("partnership / cohort"), the measure, the comparison and
-- the other options (pupil group, partnership, chosen schools; as JSON). `result` is the
-- typed result as JSON (`impact.analysis.serialised`): kind 'estimate' an `Estimate`, kind
-- 'sentence' the sentence a name that matches nothing gets. Rows of an earlier revision are
-- never read (a revision never comes back: it counts uploads and their events) and are
-- removed when the next revision's estimates are written.
CREATE TABLE derived_estimates (
    revision     VARCHAR NOT NULL,
    cohort       VARCHAR NOT NULL,
    measure      VARCHAR NOT NULL,
    comparison   VARCHAR NOT NULL,
    options      VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,   -- estimate | sentence
    result       VARCHAR NOT NULL,
    made_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (revision, cohort, measure, comparison, options)
);

-- The first schema: schools and partnerships, the facts schools upload, and the uploads
-- themselves (with the original bytes), plus one change log per fact table so that an upload
-- can be undone as a whole.
--
-- Natural keys, not surrogate ids: a row is named the way a spreadsheet names it (a URN, a
-- partnership's name, an academic year and term), so that export then import changes nothing.
-- Uniqueness of each natural key is kept by the one write path (impact.importing.writing).

CREATE TABLE upload_files (
    sha256      VARCHAR PRIMARY KEY,
    content     BLOB NOT NULL,
    size_bytes  BIGINT NOT NULL
);

CREATE SEQUENCE upload_id_seq START 1;

CREATE TABLE uploads (
    upload_id      INTEGER PRIMARY KEY,
    uploaded_at    TIMESTAMP NOT NULL,
    actor          VARCHAR NOT NULL,
    actor_role     VARCHAR NOT NULL,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    rows_added     INTEGER NOT NULL,
    rows_updated   INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    warnings       VARCHAR,          -- JSON list of warnings shown at upload
    summary        VARCHAR,          -- JSON object: what came in, per format
    status         VARCHAR NOT NULL  -- accepted | undone
);

CREATE TABLE upload_events (
    upload_id   INTEGER NOT NULL,
    event       VARCHAR NOT NULL,    -- undone
    actor       VARCHAR NOT NULL,
    actor_role  VARCHAR NOT NULL,
    happened_at TIMESTAMP NOT NULL
);

CREATE TABLE schools (
    urn              INTEGER NOT NULL,
    name             VARCHAR NOT NULL,
    phase            VARCHAR,
    school_type      VARCHAR,
    local_authority  VARCHAR,
    pupils           INTEGER,
    capacity         INTEGER,
    upload_id        INTEGER
);

CREATE TABLE partnerships (
    partnership       VARCHAR NOT NULL,
    partnership_type  VARCHAR,
    upload_id         INTEGER
);

CREATE TABLE cohorts (
    partnership  VARCHAR NOT NULL,
    cohort       VARCHAR NOT NULL,
    focus        VARCHAR,
    start_date   DATE,
    upload_id    INTEGER
);

CREATE TABLE memberships (
    urn          INTEGER NOT NULL,
    partnership  VARCHAR NOT NULL,
    cohort       VARCHAR NOT NULL,
    joined_date  DATE NOT NULL,
    left_date    DATE,
    upload_id    INTEGER
);

CREATE TABLE attainment (
    urn            INTEGER NOT NULL,
    academic_year  VARCHAR NOT NULL,  -- 2018/19
    term           VARCHAR NOT NULL,  -- Autumn | Spring | Summer (statutory results: Summer)
    measure        VARCHAR NOT NULL,  -- impact.domain.measures code
    pupil_group    VARCHAR NOT NULL,  -- impact.domain.pupil_groups code
    cohort_size    INTEGER,           -- pupils the figure is about (the denominator)
    value          DOUBLE,            -- empty when value_note says why
    value_note     VARCHAR,           -- impact.domain.missing_values code, else NULL
    source         VARCHAR,
    upload_id      INTEGER
);

CREATE TABLE benchmarks (
    area_type      VARCHAR NOT NULL,  -- national | local_authority
    area_code      VARCHAR NOT NULL,  -- E92000001 for England, else the LA number
    area_name      VARCHAR,
    academic_year  VARCHAR NOT NULL,
    term           VARCHAR NOT NULL,
    measure        VARCHAR NOT NULL,
    pupil_group    VARCHAR NOT NULL,
    cohort_size    INTEGER,
    value          DOUBLE,
    value_note     VARCHAR,
    source         VARCHAR,
    upload_id      INTEGER
);

CREATE TABLE ofsted_inspections (
    urn                                 INTEGER NOT NULL,
    inspection_date                     DATE NOT NULL,
    framework                           VARCHAR NOT NULL,  -- graded | key_judgements | report_card
    inspection_type                     VARCHAR,
    overall_effectiveness               VARCHAR,
    quality_of_education                VARCHAR,
    behaviour_and_attitudes             VARCHAR,
    personal_development                VARCHAR,
    leadership_and_management           VARCHAR,
    early_years                         VARCHAR,
    sixth_form                          VARCHAR,
    inclusion                           VARCHAR,
    curriculum_and_teaching             VARCHAR,
    achievement                         VARCHAR,
    attendance_and_behaviour            VARCHAR,
    personal_development_and_wellbeing  VARCHAR,
    leadership_and_governance           VARCHAR,
    post_16                             VARCHAR,
    safeguarding                        VARCHAR,
    source                              VARCHAR,
    upload_id                           INTEGER
);

CREATE TABLE cpd_activities (
    urn                     INTEGER NOT NULL,
    academic_year           VARCHAR NOT NULL,
    term                    VARCHAR NOT NULL,
    activity                VARCHAR NOT NULL,
    staff_role              VARCHAR NOT NULL,
    staff_count             INTEGER,
    hours_each              DOUBLE,   -- hours each person spent, over the term
    activity_date           DATE,
    self_assessment_before  DOUBLE,   -- staff self-assessment, 1 to 5
    self_assessment_after   DOUBLE,
    lessons_good_or_better  DOUBLE,   -- % of lessons judged good or better
    staff_confidence        DOUBLE,   -- 1 to 5
    description             VARCHAR,
    upload_id               INTEGER
);

-- Change logs: what each upload did to each table, so it can be undone as a whole. Each holds
-- the table's own columns: for change 'added' the row as added (only its key matters), for
-- 'updated' the row as it was before the upload. A later migration that alters a table alters
-- its change log the same way.
CREATE TABLE schools_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM schools WHERE false;
CREATE TABLE partnerships_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM partnerships WHERE false;
CREATE TABLE cohorts_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM cohorts WHERE false;
CREATE TABLE memberships_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM memberships WHERE false;
CREATE TABLE attainment_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM attainment WHERE false;
CREATE TABLE benchmarks_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM benchmarks WHERE false;
CREATE TABLE ofsted_inspections_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM ofsted_inspections WHERE false;
CREATE TABLE cpd_activities_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM cpd_activities WHERE false;

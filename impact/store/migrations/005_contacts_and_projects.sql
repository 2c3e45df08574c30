-- The data manager's work: who to chase at each school, and improvement projects.
--
-- Schools gain a contact (name and email) for the returns reminder: who the data manager
-- writes to when a school's return is missing. Additive; the change log gains the same
-- columns so that an upload that set them can be undone.
ALTER TABLE schools ADD COLUMN contact_name VARCHAR;
ALTER TABLE schools ADD COLUMN contact_email VARCHAR;
ALTER TABLE schools_changes ADD COLUMN contact_name VARCHAR;
ALTER TABLE schools_changes ADD COLUMN contact_email VARCHAR;

-- Improvement projects ("Developing Leadership through Partnership"): a host school names an
-- area of need; a colleague from another school takes it on, collects data, and presents
-- findings and an action plan to the host's senior team. Natural key: the host school and
-- the project's short title. `measure` is the outcome the host hopes to move (a code from
-- impact.domain.measures), read by the project's event-time line.
CREATE TABLE improvement_projects (
    urn             INTEGER NOT NULL,   -- the host school
    project         VARCHAR NOT NULL,   -- short title, unique within the host school
    partnership     VARCHAR,
    area            VARCHAR,            -- the area of need
    lead_name       VARCHAR,            -- the colleague who takes it on
    lead_urn        INTEGER,            -- the colleague's own school
    start_date      DATE,
    end_date        DATE,
    status          VARCHAR,
    measure         VARCHAR,
    findings        VARCHAR,
    action_plan     VARCHAR,
    presented_date  DATE,               -- findings presented to the host's senior team
    upload_id       INTEGER
);
CREATE TABLE improvement_projects_changes AS
    SELECT CAST(NULL AS INTEGER) AS change_upload_id, CAST(NULL AS VARCHAR) AS change, *
    FROM improvement_projects WHERE false;

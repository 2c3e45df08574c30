-- Store-wide settings, such as whether this store holds the fictional demo data (the app
-- labels every page "Demo data" when it does).
CREATE TABLE settings (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

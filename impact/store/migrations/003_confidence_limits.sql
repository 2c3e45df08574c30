-- Confidence limits published with a figure: the DfE gives a 95% interval with every progress
-- score (KS2 READPROG_LOWER / READPROG_UPPER …, KS4 P8CILOW / P8CIUPP), and a chart should
-- draw that interval rather than compute its own. NULL where the source gives none.
-- Additive: existing rows and the template kinds are unaffected. The change logs gain the
-- same columns so that an upload that set them can be undone.
ALTER TABLE attainment ADD COLUMN lower DOUBLE;
ALTER TABLE attainment ADD COLUMN upper DOUBLE;
ALTER TABLE benchmarks ADD COLUMN lower DOUBLE;
ALTER TABLE benchmarks ADD COLUMN upper DOUBLE;
ALTER TABLE attainment_changes ADD COLUMN lower DOUBLE;
ALTER TABLE attainment_changes ADD COLUMN upper DOUBLE;
ALTER TABLE benchmarks_changes ADD COLUMN lower DOUBLE;
ALTER TABLE benchmarks_changes ADD COLUMN upper DOUBLE;

-- Rows in each table people upload to, for the Data page.
SELECT 'schools' AS table_name, count(*) AS rows FROM schools
UNION ALL SELECT 'partnerships', count(*) FROM partnerships
UNION ALL SELECT 'cohorts', count(*) FROM cohorts
UNION ALL SELECT 'memberships', count(*) FROM memberships
UNION ALL SELECT 'attainment', count(*) FROM attainment
UNION ALL SELECT 'benchmarks', count(*) FROM benchmarks
UNION ALL SELECT 'ofsted_inspections', count(*) FROM ofsted_inspections
UNION ALL SELECT 'cpd_activities', count(*) FROM cpd_activities
UNION ALL SELECT 'improvement_projects', count(*) FROM improvement_projects
UNION ALL SELECT 'uploads', count(*) FROM uploads

-- Academic years with any school figure or CPD record, oldest first, for the years filter.
SELECT academic_year FROM attainment
UNION
SELECT academic_year FROM cpd_activities
ORDER BY academic_year

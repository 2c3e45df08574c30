-- What each school has sent, per academic year and term: attainment rows (and how many of
-- them are termly measures, $termly being their codes) and CPD rows, for the schools $urns.
-- A "return" is any row.
SELECT urn, academic_year, term,
       sum(attainment) AS attainment_rows,
       sum(termly) AS termly_rows,
       sum(cpd) AS cpd_rows
FROM (
    SELECT urn, academic_year, term, 1 AS attainment,
           CASE WHEN list_contains($termly, measure) THEN 1 ELSE 0 END AS termly, 0 AS cpd
    FROM attainment
    WHERE list_contains($urns, urn)
    UNION ALL
    SELECT urn, academic_year, term, 0, 0, 1
    FROM cpd_activities
    WHERE list_contains($urns, urn)
)
GROUP BY urn, academic_year, term
ORDER BY urn, academic_year, term

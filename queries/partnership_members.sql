-- Which schools are (or were) in each partnership: what decides which partnerships a head
-- sees (those with one of their schools) and which schools a governor sees.
SELECT DISTINCT partnership, urn FROM memberships ORDER BY partnership, urn

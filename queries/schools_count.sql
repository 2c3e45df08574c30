-- How many schools are set up: the app says so plainly when there are none yet.
SELECT count(*) AS schools FROM schools

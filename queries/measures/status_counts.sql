-- status_counts(status): the five numbers of a compliance row (SPEC §5, §8) over obligations that each carry a
-- status ('met', 'missed' or 'open'): obligations (the closed ones), met, missed, open, and rate = met /
-- obligations (the rate macro). An aggregate macro stored in the database; it returns them as one struct, which
-- a query groups into a column and unnests into its columns afterwards (DuckDB will not unnest a struct in a
-- `group by all` query):
--     with per_group as (select <keys>, status_counts(status) as counts from ... group by all)
--     select <keys>, unnest(counts) from per_group
-- Used by reports/greetings.sql, views/scorecards.sql and views/customer_scores.sql.
create or replace macro status_counts(status) as {
    obligations: count(*) filter (where status <> 'open'),
    met: count(*) filter (where status = 'met'),
    missed: count(*) filter (where status = 'missed'),
    open: count(*) filter (where status = 'open'),
    rate: rate(count(*) filter (where status = 'met'), count(*) filter (where status <> 'open'))
};

-- status_counts(status): the five numbers of a compliance row (SPEC §5, §8) over obligations that each carry a
-- status ('met', 'missed' or 'open'): obligations (the closed ones), met, missed, open, and rate = met /
-- obligations (the rate macro). An aggregate macro stored in the database; it returns them as one struct, which
-- a query groups into a column and unnests into its columns afterwards (DuckDB will not unnest a struct in a
-- `group by all` query):
--     with per_group as (select <keys>, status_counts(status) as counts from ... group by all)
--     select <keys>, unnest(counts) from per_group
-- Used by reports/greetings.sql, views/scorecards.sql and views/customer_scores.sql; period_status_counts
-- below gives the same five over obligations already counted per period.
create or replace macro status_counts(status) as {
    obligations: count(*) filter (where status <> 'open'),
    met: count(*) filter (where status = 'met'),
    missed: count(*) filter (where status = 'missed'),
    open: count(*) filter (where status = 'open'),
    rate: rate(count(*) filter (where status = 'met'), count(*) filter (where status <> 'open'))
};
-- period_status_counts(obligations, met, period_end, as_of): the same five numbers over rows of
-- obligation_counts, which count a period's obligations and met ones per group: a period is closed when it ends
-- on or before as_of (its obligations are then met or missed), open otherwise. Zeros, and a null rate, when there
-- are none. Used by reports/compliance.sql and views/matrix.sql, in the same way as status_counts.
create or replace macro period_status_counts(obligations, met, period_end, as_of) as {
    obligations: coalesce(sum(obligations) filter (where period_end <= as_of::date), 0)::bigint,
    met: coalesce(sum(met) filter (where period_end <= as_of::date), 0)::bigint,
    missed: coalesce(sum(obligations - met) filter (where period_end <= as_of::date), 0)::bigint,
    open: coalesce(sum(obligations) filter (where period_end > as_of::date), 0)::bigint,
    rate: rate(
        sum(met) filter (where period_end <= as_of::date),
        sum(obligations) filter (where period_end <= as_of::date)
    )
};

-- compliance_items(date_from, date_to, as_of, scope_city, scope_district): the frequency obligations of a
-- window with their status (SPEC §5). A table macro stored in the database.
--   * only periods lying entirely inside [date_from, date_to] have obligations;
--   * a period is closed when its last day is on or before as_of, else the obligation is 'open'
--     (including periods that have not started yet);
--   * a closed obligation is 'met' when its completed records reach n, else 'missed';
--   * `completed` counts the records known on the as-of date: the whole period when it is closed, the days up
--     to as_of when the period runs on it, none when it starts later.
-- When the as-of date is on or after the last day of any record (the default as-of date, so most views), every
-- record of a running period is already known: its `completed` is the stored one and the running join is
-- skipped (it is the costly part: 2.4M running obligations against 9.5M record days at 800,000 customers).
-- The four cases (closed, not started, running without and with later records) are disjoint parts of one
-- union, so that only the last one joins: a left join of every obligation cost more than the rest together.
-- scope_city / scope_district (null = no limit) are the reader's scope (SPEC §7), applied here so that no
-- caller can forget them.
create or replace macro compliance_items(date_from, date_to, as_of, scope_city, scope_district) as table
with picked as not materialized (
    select *
    from obligations as o
    where o.period_start >= date_from::date
        and o.period_end <= date_to::date
        and (scope_city is null or o.city_code = scope_city)
        and (scope_district is null or o.district_code = scope_district)
),

-- the last day of any record; an empty store has none, and then nothing needs counting up to the as-of date
last_record as (
    select coalesce(max(day), date '0001-01-01') as day from log_days
),

running_records as (
    select p.customer_id, p.service_code, p.period_start, sum(d.records)::integer as records
    from picked as p
    inner join log_days as d
        on d.customer_id = p.customer_id and d.service_code = p.service_code
        and d.day between p.period_start and as_of::date
    where p.period_start <= as_of::date and p.period_end > as_of::date
        and as_of::date < (select day from last_record)
    group by all
)

-- closed: every record of the period is on or before the as-of date
select p.*, case when p.completed >= p.n then 'met' else 'missed' end as status
from picked as p
where p.period_end <= as_of::date

union all

-- not started yet
select p.* replace (0::integer as completed), 'open' as status
from picked as p
where p.period_start > as_of::date

union all

-- running, and no record lies after the as-of date: the stored count is the count up to it
select p.*, 'open' as status
from picked as p
where p.period_start <= as_of::date and p.period_end > as_of::date
    and as_of::date >= (select day from last_record)

union all

-- running, with records after the as-of date: count those up to it
select p.* replace (coalesce(r.records, 0)::integer as completed), 'open' as status
from picked as p
left join running_records as r
    on r.customer_id = p.customer_id and r.service_code = p.service_code and r.period_start = p.period_start
where p.period_start <= as_of::date and p.period_end > as_of::date
    and as_of::date < (select day from last_record)


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
-- scope_city / scope_district (null = no limit) are the reader's scope (SPEC §7), applied here so that no
-- caller can forget them.
create or replace macro compliance_items(date_from, date_to, as_of, scope_city, scope_district) as table
with picked as (
    select *
    from obligations as o
    where o.period_start >= date_from::date
        and o.period_end <= date_to::date
        and (scope_city is null or o.city_code = scope_city)
        and (scope_district is null or o.district_code = scope_district)
),

running as (
    select p.customer_id, p.service_code, p.period_start, sum(d.records) as records
    from picked as p
    inner join log_days as d
        on d.customer_id = p.customer_id and d.service_code = p.service_code
        and d.day between p.period_start and as_of::date
    where p.period_start <= as_of::date and p.period_end > as_of::date
        and as_of::date < (select max(day) from log_days)
    group by all
)

select
    p.* replace (
        case
            when p.period_end <= as_of::date then p.completed
            when p.period_start > as_of::date then 0
            when r.records is not null then r.records::integer
            when as_of::date >= (select max(day) from log_days) then p.completed
            else 0
        end as completed
    ),
    case
        when p.period_end > as_of::date then 'open'
        when p.completed >= p.n then 'met'
        else 'missed'
    end as status
from picked as p
left join running as r
    on r.customer_id = p.customer_id and r.service_code = p.service_code and r.period_start = p.period_start
